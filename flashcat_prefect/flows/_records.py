"""Typed client answers back as plain records, for routines that keep what the API sent.

The routines snapshot rules and compare events field by field, so they work on dicts of
exactly the fields in the answer (unknown ones included): ``exclude_unset`` leaves out the
defaults the response model would add.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def record(answer: BaseModel | None) -> dict[str, Any]:
    """One typed answer (or item) as the dict the API sent; None (an empty answer) is ``{}``."""
    return {} if answer is None else answer.model_dump(by_alias=True, exclude_unset=True)


def records(page: BaseModel | None) -> list[dict[str, Any]]:
    """The ``items`` of a typed list answer as the dicts the API sent."""
    items = getattr(page, "items", None) or []
    return [record(item) for item in items]
