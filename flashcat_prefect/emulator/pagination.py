"""Page-style pagination as Flashduty answers it.

``p`` is 1-based, ``limit`` defaults to 20 and may not exceed the endpoint's maximum,
``p * limit`` may not exceed 10000, ``total`` is exact below 1000 and reported as 1000 above,
and ``has_next_page`` tells whether more items follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from flashcat_prefect.emulator.errors import invalid

TOTAL_CAP = 1000
MAX_DEPTH = 10_000
DEFAULT_LIMIT = 20

T = TypeVar("T")


@dataclass(frozen=True)
class PageRequest:
    """A validated page request: ``offset`` and ``limit`` into the matching items."""

    p: int
    limit: int

    @property
    def offset(self) -> int:
        return (self.p - 1) * self.limit


def page_request(
    body: dict[str, Any], *, limit_max: int = 100, default_limit: int = DEFAULT_LIMIT
) -> PageRequest:
    """Read and check ``p``/``limit`` from a request body."""
    p = body.get("p") or 1
    limit = body.get("limit") or default_limit
    if not isinstance(p, int) or p < 1:
        raise invalid("p: must be an integer >= 1")
    if not isinstance(limit, int) or limit < 1:
        raise invalid("limit: must be an integer >= 1")
    if limit > limit_max:
        raise invalid(f"limit: must be at most {limit_max}")
    if p * limit > MAX_DEPTH:
        raise invalid(f"p*limit: must be at most {MAX_DEPTH} (got {p}*{limit})")
    return PageRequest(p=p, limit=limit)


def capped_total(count: int) -> int:
    return min(count, TOTAL_CAP)


def paginate(items: Sequence[T], page: PageRequest) -> tuple[list[T], dict[str, Any]]:
    """Slice ``items`` for ``page``; answers the slice and the ``total``/``has_next_page`` info."""
    chunk = list(items[page.offset : page.offset + page.limit])
    meta = {
        "total": capped_total(len(items)),
        "has_next_page": page.offset + len(chunk) < len(items),
        "p": page.p,
        "limit": page.limit,
    }
    return chunk, meta


def offset_page(
    entries: Sequence[T], body: dict[str, Any], *, limit_max: int = 100
) -> tuple[list[T], dict[str, Any]]:
    """A cursor page over an in-memory list: ``search_after_ctx`` encodes the next offset
    as 24 hex digits (ObjectID-shaped, opaque to callers); ``p``/``limit`` work too."""
    cursor = body.get("search_after_ctx")
    if cursor:
        try:
            offset = int(str(cursor), 16)
        except ValueError:
            raise invalid("search_after_ctx: not a cursor this endpoint issued") from None
        page = page_request({"limit": body.get("limit")}, limit_max=limit_max)
    else:
        page = page_request(body, limit_max=limit_max)
        offset = page.offset
    chunk = list(entries[offset : offset + page.limit])
    has_next = offset + len(chunk) < len(entries)
    meta: dict[str, Any] = {"total": capped_total(len(entries)), "has_next_page": has_next}
    if has_next:
        meta["search_after_ctx"] = f"{offset + len(chunk):024x}"
    return chunk, meta
