"""The "not given" marker of the typed endpoint signatures.

Every request field is a keyword parameter of the client methods and tasks, defaulting to
:data:`UNSET` so that leaving a field out (nothing sent) stays distinct from passing ``None``
(which the request model then judges). :func:`given_fields` collects what a caller did give.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, final

CALL_OPTIONS: Final = frozenset(
    {"self", "body", "extra_body", "timeout", "credentials", "integration", "unknown_fields"}
)
"""Parameters of a generated method or task that are not request fields."""

UNKNOWN_FIELDS: Final = "unknown_fields"
"""The ``**unknown_fields: Never`` catch-all of the generated signatures: a type checker flags
any keyword it collects, and at run time the request model refuses it by name, suggesting
the closest known field."""


@final
class Unset:
    """The type of :data:`UNSET`; there is only one instance, and it is falsy."""

    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False

    def __copy__(self) -> Unset:
        return self

    def __deepcopy__(self, memo: Any) -> Unset:
        return self

    def __reduce__(self) -> str:
        return "UNSET"


UNSET: Final = Unset()
"""A request field the caller did not give."""


def given_fields(scope: Mapping[str, Any]) -> dict[str, Any]:
    """The request fields among a generated function's ``locals()`` that were given, with the
    unknown keywords it collected (for the request model to refuse)."""
    given = {
        name: value
        for name, value in scope.items()
        if value is not UNSET and name not in CALL_OPTIONS
    }
    given.update(scope.get(UNKNOWN_FIELDS) or {})
    return given


__all__ = ["CALL_OPTIONS", "UNKNOWN_FIELDS", "UNSET", "Unset", "given_fields"]
