"""Smallest valid request bodies, built from the request models themselves.

:func:`minimal_request` fills only the required fields of an endpoint's request model, with
values that pass every declared rule (enums, ranges, lengths, patterns, list sizes), so a
coverage test or the emulator can exercise any endpoint without hand-written fixtures. Pass
``overrides`` to put real ids (a seeded channel, an existing incident) in place of samples.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import types
import typing
from collections.abc import Mapping
from typing import Any

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from flashcat_prefect.api.catalog import Endpoint

SAMPLE_OBJECT_ID = "65a1b2c3d4e5f60718293a4b"
"""A well-formed 24-hex ObjectID (incident, alert, rule and template ids)."""

SAMPLE_HEX32 = "0123456789abcdef0123456789abcdef"
SAMPLE_EMAIL = "oncall@example.com"
SAMPLE_TEXT = "sample"

_HEX_PATTERN = re.compile(r"^\^\[0-9a-fA-F\]\{(\d+)\}\$$")
_CHOICE_PATTERN = re.compile(r"^\^\(([^()]+)\)")


def minimal_request(
    endpoint: Endpoint,
    overrides: Mapping[str, Any] | None = None,
    *,
    now: int | None = None,
) -> dict[str, Any]:
    """A JSON-ready body holding only the required fields of ``endpoint``'s request model.

    ``overrides`` maps field names (wire names, at any nesting depth) to the value to use
    instead of a sample; an override for an optional top-level field adds that field.
    ``now`` (unix seconds) anchors time fields: ``start*`` one day before, ``end*`` at now.
    """
    overrides = dict(overrides or {})
    body = _SampleBuilder(overrides, int(time.time()) if now is None else now).model(
        endpoint.request_model
    )
    top_level = _wire_names(endpoint.request_model)
    for key, value in overrides.items():
        if key in top_level:
            body.setdefault(key, value)
    return body


def _wire_names(model: type[BaseModel]) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items()}


class _SampleBuilder:
    def __init__(self, overrides: dict[str, Any], now: int) -> None:
        self.overrides = overrides
        self.now = now

    def model(self, model: type[BaseModel]) -> dict[str, Any]:
        body: dict[str, Any] = {}
        for name, info in model.model_fields.items():
            if not info.is_required():
                continue
            wire = info.alias or name
            if wire in self.overrides:
                body[wire] = self.overrides[wire]
            else:
                body[wire] = self.value(info.annotation, info.metadata, wire)
        by_kind: dict[str, tuple[str, ...]] = getattr(model, "SETTINGS_BY_KIND", {})
        if body.get("kind") in by_kind and isinstance(body.get("settings"), dict):
            self.fill_settings(model, body["settings"], by_kind[body["kind"]])
        return body

    def fill_settings(
        self, rule: type[BaseModel], settings: dict[str, Any], wanted: tuple[str, ...]
    ) -> None:
        """Add the settings fields a rule's kind requires (``SETTINGS_BY_KIND``)."""
        shape = typing.get_args(rule.model_fields["settings"].annotation) or (
            rule.model_fields["settings"].annotation,
        )
        model = next(a for a in shape if isinstance(a, type) and issubclass(a, BaseModel))
        for name, info in model.model_fields.items():
            wire = info.alias or name
            if wire in wanted and wire not in settings:
                settings[wire] = self.value(info.annotation, info.metadata, wire)

    def value(self, annotation: Any, metadata: list[Any], name: str) -> Any:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is typing.Annotated:
            inner, *extra = args
            return self.value(inner, [*metadata, *_flatten(extra)], name)
        if origin in (typing.Union, types.UnionType):
            choices = [a for a in args if a is not type(None)]
            return self.value(choices[0], metadata, name) if choices else None
        if origin is typing.Literal:
            return args[0]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self.model(annotation)
        if origin is list:
            size = max(1, _bound(metadata, annotated_types.MinLen, "min_length") or 0)
            return [self.value(args[0] if args else Any, [], name) for _ in range(size)]
        if origin is dict or annotation is dict:
            return {}
        if annotation is bool:
            return False
        if annotation is int:
            return self.integer(metadata, name)
        if annotation is float:
            return float(self.integer(metadata, name, fallback=1))
        if annotation is str:
            return self.text(metadata, name)
        return SAMPLE_TEXT

    def integer(self, metadata: list[Any], name: str, fallback: int | None = None) -> Any:
        low = _bound(metadata, annotated_types.Ge, "ge")
        high = _bound(metadata, annotated_types.Le, "le")
        if fallback is None:
            fallback = self.time_value(name)
        value = fallback
        if low is not None and value < low:
            value = low
        if high is not None and value > high:
            value = high
        return value

    def time_value(self, name: str) -> int:
        """Unix seconds for time-like names, else 1 (a positive id or count)."""
        if "start" in name or name in ("since", "from_time"):
            return self.now - 86_400
        if "end" in name or "time" in name or name.endswith("_at"):
            return self.now
        return 1

    def text(self, metadata: list[Any], name: str) -> str:
        pattern = _bound(metadata, None, "pattern")
        if pattern:
            return self.text_for_pattern(pattern, name)
        min_length = _bound(metadata, annotated_types.MinLen, "min_length") or 0
        max_length = _bound(metadata, annotated_types.MaxLen, "max_length")
        text = SAMPLE_TEXT.ljust(min_length, "x")
        return text[:max_length] if max_length is not None else text

    def text_for_pattern(self, pattern: str, name: str) -> str:
        if m := _HEX_PATTERN.match(pattern):
            size = int(m.group(1))
            return SAMPLE_OBJECT_ID if size == 24 else SAMPLE_HEX32[:size].ljust(size, "0")
        if pattern.startswith(r"^\d{4}-\d{2}-\d{2}"):
            day = dt.datetime.fromtimestamp(self.now, dt.UTC).date()
            return (day + dt.timedelta(days=1 if "end" in name else 0)).isoformat()
        if "[0-5]" in pattern:  # HH:MM
            return "18:00" if "end" in name else "09:00"
        if "@" in pattern:
            return SAMPLE_EMAIL
        if m := _CHOICE_PATTERN.match(pattern):  # comma-separated enum
            return m.group(1).split("|")[0].replace("\\", "")
        return SAMPLE_TEXT


def _flatten(items: list[Any]) -> list[Any]:
    """Pydantic ``Field(...)`` inside ``Annotated`` carries its constraints in ``metadata``."""
    flat: list[Any] = []
    for item in items:
        if isinstance(item, FieldInfo):
            flat.extend(item.metadata)
        else:
            flat.append(item)
    return flat


def _bound(metadata: list[Any], kind: type | None, attribute: str) -> Any:
    for item in metadata:
        if (kind is None or isinstance(item, kind)) and getattr(item, attribute, None) is not None:
            return getattr(item, attribute)
    return None


__all__ = ["SAMPLE_OBJECT_ID", "minimal_request"]
