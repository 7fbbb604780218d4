"""Validation rules the generated request models use beyond pydantic's own constraints.

``tools/generate_api.py`` attaches them from facts of the API source: every number field gets
:data:`not_bool`, fields the source calls "unix seconds" get :data:`unix_seconds`, and a
request whose time fields have a "time span limit" gets :func:`time_span_at_most`, and a
pipeline or enrichment rule gets :func:`settings_match_kind`.
"""

from __future__ import annotations

from typing import Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

DAY_SECONDS = 86_400
MAX_UNIX_SECONDS = 4_102_444_800
"""2100-01-01 UTC: a unix time in seconds this large or larger is taken for milliseconds."""


def at_least_or_zero(low: float) -> AfterValidator:
    """A lower bound that exempts 0, which the server reads as "not set" on optional fields."""

    def check(value: float) -> float:
        if value != 0 and value < low:
            raise PydanticCustomError(
                "greater_than_equal",
                "Input should be greater than or equal to {ge}, or 0 (not set)",
                {"ge": low},
            )
        return value

    return AfterValidator(check)


def _refuse_bool(value: Any) -> Any:
    # bool is an int subclass, so pydantic's lax mode would send True as 1.
    if isinstance(value, bool):
        raise PydanticCustomError("number_not_bool", "Input should be a number, not True/False")
    return value


not_bool = BeforeValidator(_refuse_bool)
"""Refuses True/False for a number field (``limit=True`` would otherwise be sent as 1)."""


def _check_unix_seconds(value: int) -> int:
    if value >= MAX_UNIX_SECONDS:
        raise PydanticCustomError(
            "unix_seconds",
            "Input should be unix seconds, before {limit} (2100-01-01); "
            "a larger value looks like milliseconds: divide by 1000",
            {"limit": MAX_UNIX_SECONDS},
        )
    return value


unix_seconds = AfterValidator(_check_unix_seconds)
"""Refuses a unix time in milliseconds where the API takes seconds."""


def time_span_at_most(days: int, start: str, end: str) -> Any:
    """A validator of the field ``end`` (declared after ``start``): when both are set, ``end``
    is not before ``start`` and at most ``days`` days after it (times in unix seconds)."""
    most = days * DAY_SECONDS

    def check(value: int | None, info: ValidationInfo) -> int | None:
        begin = info.data.get(start)
        if not value or not begin:  # left out, 0 (not set), or already refused
            return value
        if value < begin:
            raise PydanticCustomError(
                "time_span", "{end} should not be before {start}", {"start": start, "end": end}
            )
        if value - begin > most:
            raise PydanticCustomError(
                "time_span",
                "{end} - {start} should be at most {days} days ({most} s); split the range",
                {"start": start, "end": end, "days": days, "most": most},
            )
        return value

    check.__name__ = f"check_{start}_{end}_span"
    return field_validator(end, mode="after")(check)


def settings_match_kind() -> Any:
    """A check for a rule model: its ``settings`` carry every field its ``kind`` requires.

    The model lists them in ``SETTINGS_BY_KIND`` (kind -> wire names of required settings),
    since the spec's ``settings`` is one of several shapes and the rule's ``kind`` picks one.
    """

    def check(rule: Any) -> Any:
        settings: BaseModel | None = rule.settings
        given = set()
        if settings is not None:
            given = {
                info.alias or name
                for name, info in type(settings).model_fields.items()
                if getattr(settings, name) is not None
            }
        for name in type(rule).SETTINGS_BY_KIND.get(rule.kind, ()):
            if name not in given:
                raise PydanticCustomError(
                    "missing",
                    "settings.{field} is required when kind is {kind}",
                    {"field": name, "kind": rule.kind},
                )
        return rule

    return model_validator(mode="after")(check)


__all__ = [
    "MAX_UNIX_SECONDS",
    "at_least_or_zero",
    "not_bool",
    "settings_match_kind",
    "time_span_at_most",
    "unix_seconds",
]
