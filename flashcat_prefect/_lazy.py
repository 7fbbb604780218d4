"""Names a package offers but imports only on first use (PEP 562 ``__getattr__``/``__dir__``).

A package keeps its public names cheap to import and still visible to type checkers and IDEs
by pairing this helper with the same imports under ``if TYPE_CHECKING:`` (or a ``.pyi`` stub)::

    if TYPE_CHECKING:
        from flashcat_prefect.client import FlashcatClient

    __getattr__, __dir__ = lazy_names(__name__, {"FlashcatClient": "flashcat_prefect.client"})
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    package: str, sources: Mapping[str, str], *, hint: str = ""
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: each name of ``sources`` is imported
    from its module on first use, as ``from <module> import <name>`` would (so a submodule is a
    valid name too), then kept on the package so the next lookup costs nothing. ``hint`` ends
    the AttributeError for any other name."""

    def __getattr__(name: str) -> Any:
        source = sources.get(name)
        if source is None:
            ending = f"; {hint}" if hint else ""
            raise AttributeError(f"module {package!r} has no attribute {name!r}{ending}")
        module = importlib.import_module(source)
        try:
            value = getattr(module, name)
        except AttributeError:
            value = importlib.import_module(f"{source}.{name}")
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *sources})

    return __getattr__, __dir__
