"""Plausible values for any pydantic model: the filler for fields we hold no state for.

``sample(model)`` builds a dict (wire names) that validates against the model, using the
field types and constraints (read by :mod:`flashcat_prefect.api.annotations`): required
fields always, optional ones too when ``fill_optional`` is set. Ids get their documented
shapes (24-hex ObjectIDs for string ids).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from flashcat_prefect.api.annotations import Constraints, ValueBuilder

NONE_OBJECT_ID = "000000000000000000000000"
_MAX_DEPTH = 6
_HEX24 = re.compile(r"^\^?\[0-9a-fA-F\]\{24\}\$?$")


def sample(model: type[BaseModel], *, fill_optional: bool = False) -> dict[str, Any]:
    """A fresh dict of plausible wire values for ``model``."""
    return _copy(_sample_cached(model, fill_optional))


@lru_cache(maxsize=4096)
def _sample_cached(model: type[BaseModel], fill_optional: bool) -> Any:
    return _ZeroFiller(fill_optional).model(model)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


class _ZeroFiller(ValueBuilder):
    """Zero values, as a Go server fills fields it knows nothing about: empty lists and
    texts, numbers at 0 or their lower bound, the all-zero ObjectID for ids. Optional fields
    stop being filled below :data:`_MAX_DEPTH` nested levels."""

    def __init__(self, fill_optional: bool) -> None:
        super().__init__()
        self.fill_optional = fill_optional

    def include(self, info: FieldInfo) -> bool:
        return info.is_required() or (self.fill_optional and self.depth <= _MAX_DEPTH)

    def text(self, constraints: Constraints, name: str) -> str:
        pattern = constraints.pattern
        if pattern and (_HEX24.match(str(pattern)) or "{24}" in str(pattern)):
            return NONE_OBJECT_ID
        if name.endswith("_id") and not pattern:
            return NONE_OBJECT_ID if name not in ("ref_id", "cal_id") else ""
        return "x" * int(constraints.min_length or 0)


__all__ = ["NONE_OBJECT_ID", "sample"]
