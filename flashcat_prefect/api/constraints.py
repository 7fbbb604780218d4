"""Validation rules the generated request models use beyond pydantic's own constraints."""

from __future__ import annotations

from pydantic import AfterValidator
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


__all__ = ["at_least_or_zero"]
