"""Plausible values for any pydantic model: the filler for fields we hold no state for.

``sample(model)`` builds a dict (wire names) that validates against the model, using the
field types and constraints: required fields always, optional ones too when
``fill_optional`` is set. Ids get their documented shapes (24-hex ObjectIDs for string ids).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, RootModel
from pydantic.fields import FieldInfo

NONE_OBJECT_ID = "000000000000000000000000"
_MAX_DEPTH = 6


def sample(model: type[BaseModel], *, fill_optional: bool = False) -> dict[str, Any]:
    """A fresh dict of plausible wire values for ``model``."""
    return _copy(_sample_cached(model, fill_optional))


@lru_cache(maxsize=4096)
def _sample_cached(model: type[BaseModel], fill_optional: bool) -> Any:
    return _model_value(model, fill_optional, 0)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def wire_name(name: str, info: FieldInfo) -> str:
    """The JSON key of a model field (its alias when it has one)."""
    return info.serialization_alias or info.alias or name


def _model_value(model: type[BaseModel], fill_optional: bool, depth: int) -> Any:
    if issubclass(model, RootModel):
        root = model.model_fields["root"]
        return _value_for(root.annotation, "root", _constraints(root), fill_optional, depth)
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if not info.is_required() and not fill_optional:
            continue
        if depth > _MAX_DEPTH and not info.is_required():
            continue
        out[wire_name(name, info)] = _field_value(name, info, fill_optional, depth)
    return out


def _field_value(name: str, info: FieldInfo, fill_optional: bool, depth: int) -> Any:
    constraints = _constraints(info)
    return _value_for(info.annotation, name, constraints, fill_optional, depth)


def _constraints(info: FieldInfo) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for meta in info.metadata:
        for attr in ("pattern", "min_length", "max_length", "ge", "gt", "le", "lt"):
            value = getattr(meta, attr, None)
            if value is not None:
                found[attr] = value
    return found


def _value_for(
    annotation: Any, name: str, constraints: dict[str, Any], fill_optional: bool, depth: int
) -> Any:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _value_for(args[0], name, constraints, fill_optional, depth)
    if origin in (typing.Union, types.UnionType):
        choices = [a for a in args if a is not type(None)]
        if not choices:
            return None
        return _value_for(choices[0], name, constraints, fill_optional, depth)
    if origin is typing.Literal:
        return args[0]
    if origin in (list, tuple, set, frozenset, typing.Sequence):
        min_items = constraints.get("min_length") or 0
        if not args or min_items == 0:
            return []
        return [_value_for(args[0], name, {}, fill_optional, depth + 1)] * min_items
    if origin in (dict, typing.Mapping):
        return {}
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return _model_value(annotation, fill_optional, depth + 1)
        if issubclass(annotation, enum.Enum):
            return next(iter(annotation)).value
        if annotation is bool:
            return False
        if annotation is int:
            return _number(constraints, 0)
        if annotation is float:
            return float(_number(constraints, 0))
        if annotation is str:
            return _string(name, constraints)
        if annotation in (dict,):
            return {}
        if annotation in (list,):
            return []
        if annotation is dt.datetime:
            return "1970-01-01T00:00:00Z"
    return None


def _number(constraints: dict[str, Any], default: int) -> int:
    if "ge" in constraints and constraints["ge"] > default:
        return int(constraints["ge"])
    if "gt" in constraints and constraints["gt"] >= default:
        return int(constraints["gt"]) + 1
    if "le" in constraints and constraints["le"] < default:
        return int(constraints["le"])
    return default


_HEX24 = re.compile(r"^\^?\[0-9a-fA-F\]\{24\}\$?$")


def _string(name: str, constraints: dict[str, Any]) -> str:
    pattern = constraints.get("pattern")
    if pattern and (_HEX24.match(str(pattern)) or "{24}" in str(pattern)):
        return NONE_OBJECT_ID
    if pattern and "cal" in str(pattern):
        return "cal.emulator0000000000000"
    if name.endswith("_id") and not pattern:
        return NONE_OBJECT_ID if name not in ("ref_id", "cal_id") else ""
    text = ""
    min_length = constraints.get("min_length") or 0
    if min_length:
        text = "x" * int(min_length)
    return text
