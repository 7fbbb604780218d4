"""Validation rules the generated request models use beyond pydantic's own constraints."""

from __future__ import annotations

from typing import Any

from pydantic import AfterValidator, BaseModel, model_validator
from pydantic_core import PydanticCustomError


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


def settings_match_kind() -> Any:
    """A check for a rule model: its ``settings`` carry every field its ``kind`` requires.

    The model lists them in ``SETTINGS_BY_KIND`` (kind -> wire names of required settings),
    since the spec's ``settings`` is one of several shapes and the rule's ``kind`` picks one.
    """

    def check(rule: Any) -> Any:
        settings: BaseModel | None = rule.settings
        given = set()
        if settings is not None:
            given = {info.alias or name for name, info in type(settings).model_fields.items()
                     if getattr(settings, name) is not None}
        for name in type(rule).SETTINGS_BY_KIND.get(rule.kind, ()):
            if name not in given:
                raise PydanticCustomError(
                    "missing",
                    "settings.{field} is required when kind is {kind}",
                    {"field": name, "kind": rule.kind},
                )
        return rule

    return model_validator(mode="after")(check)


__all__ = ["at_least_or_zero", "settings_match_kind"]
