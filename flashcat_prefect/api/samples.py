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
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from flashcat_prefect.api.annotations import (
    Constraints,
    Shape,
    ValueBuilder,
    members,
    wire_name,
)
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
    return {wire_name(name, info) for name, info in model.model_fields.items()}


class _SampleBuilder(ValueBuilder):
    """Required fields only, lists of at least one item, numbers near ``now``, texts that
    match their patterns; ``overrides`` win at any depth."""

    def __init__(self, overrides: dict[str, Any], now: int) -> None:
        super().__init__()
        self.overrides = overrides
        self.now = now

    def model(self, model: type[BaseModel]) -> Any:
        body = super().model(model)
        by_kind: dict[str, tuple[str, ...]] = getattr(model, "SETTINGS_BY_KIND", {})
        if body.get("kind") in by_kind and isinstance(body.get("settings"), dict):
            self.fill_settings(model, body["settings"], by_kind[body["kind"]])
        return body

    def field(self, wire: str, info: FieldInfo) -> Any:
        if wire in self.overrides:
            return self.overrides[wire]
        return super().field(wire, info)

    def fill_settings(
        self, rule: type[BaseModel], settings: dict[str, Any], wanted: tuple[str, ...]
    ) -> None:
        """Add the settings fields a rule's kind requires (``SETTINGS_BY_KIND``)."""
        shape = members(rule.model_fields["settings"].annotation)
        model = next(a for a in shape if isinstance(a, type) and issubclass(a, BaseModel))
        for name, info in model.model_fields.items():
            wire = wire_name(name, info)
            if wire in wanted and wire not in settings:
                settings[wire] = super().field(wire, info)

    def list_size(self, constraints: Constraints) -> int:
        return max(1, constraints.min_length or 0)

    def number(self, constraints: Constraints, name: str, *, integer: bool) -> float:
        return constraints.clamp(self.time_value(name) if integer else 1)

    def time_value(self, name: str) -> int:
        """Unix seconds for time-like names, else 1 (a positive id or count)."""
        if "start" in name or name in ("since", "from_time"):
            return self.now - 86_400
        if "end" in name or "time" in name or name.endswith("_at"):
            return self.now
        return 1

    def text(self, constraints: Constraints, name: str) -> str:
        if constraints.pattern:
            return self.text_for_pattern(constraints.pattern, name)
        text = SAMPLE_TEXT.ljust(constraints.min_length or 0, "x")
        return text[: constraints.max_length] if constraints.max_length is not None else text

    def other(self, shape: Shape, name: str) -> Any:
        return None if shape.type is None else SAMPLE_TEXT

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


__all__ = ["SAMPLE_OBJECT_ID", "minimal_request"]
