"""Walking Flashduty lists to the end, for both page styles.

:class:`PageWalker` is pure planning: it says which body to send next and when the list is
over; the sync and async clients do the I/O. Page style sends ``p`` (from 1) and ``limit``
and stops on ``has_next_page`` false (or a short page when the answer omits it); it refuses,
before sending, a page whose ``p * limit`` would pass the API's 10000-row window. Cursor style
follows ``search_after_ctx`` until the answer has none or a page comes back empty (so a
server handing out fresh cursors for empty pages cannot keep the walk going forever).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from flashcat_prefect.client.errors import FlashcatError, FlashcatValidationError

MAX_ROW_WINDOW = 10_000
"""The API refuses any page with ``p * limit`` above this."""
DEFAULT_PAGE_LIMIT = 100
CURSOR_FIELD = "search_after_ctx"

PageStyle = Literal["page", "cursor"]


def items_of(data: Any) -> list[Any]:
    """The items of one page: ``data["items"]``, ``data["list"]`` or a bare list."""
    if isinstance(data, list):
        return data
    if isinstance(data, Mapping):
        for key in ("items", "list"):
            value = data.get(key)
            if isinstance(value, list):
                return value
    return []


class PageWalker:
    """Plans successive request bodies for one list call.

    Args:
        path: the endpoint path (for error messages).
        body: the validated request body of the first page.
        style: ``"page"`` or ``"cursor"``.
        limit: the page size to ask for when ``body`` has none.
    """

    def __init__(
        self, path: str, body: Mapping[str, Any], style: PageStyle, limit: int = DEFAULT_PAGE_LIMIT
    ) -> None:
        self.path = path
        self.style = style
        self._body = dict(body)
        self._body.setdefault("limit", limit)
        if style == "page":
            self._body.setdefault("p", 1)
        self._last_cursor: Any = None

    @property
    def limit(self) -> int:
        return int(self._body["limit"])

    def first(self) -> dict[str, Any]:
        """The body of the first request."""
        return self._checked(dict(self._body))

    def next(self, data: Any) -> dict[str, Any] | None:
        """The body of the request after the page ``data``, or None when the list is over."""
        if isinstance(data, Mapping) and data.get("has_next_page") is False:
            return None
        if self.style == "cursor":
            return self._next_cursor(data)
        return self._next_page(data)

    def _next_page(self, data: Any) -> dict[str, Any] | None:
        told_more = isinstance(data, Mapping) and data.get("has_next_page") is True
        if not told_more and len(items_of(data)) < self.limit:
            return None
        self._body["p"] = int(self._body["p"]) + 1
        return self._checked(dict(self._body))

    def _next_cursor(self, data: Any) -> dict[str, Any] | None:
        cursor = data.get(CURSOR_FIELD) if isinstance(data, Mapping) else None
        if not cursor or not items_of(data):
            return None  # an empty page ends the walk, even with a fresh cursor
        if cursor == self._last_cursor:
            raise FlashcatError(f"{self.path}: the cursor {CURSOR_FIELD} did not advance")
        self._last_cursor = cursor
        self._body[CURSOR_FIELD] = cursor
        return dict(self._body)

    def _checked(self, body: dict[str, Any]) -> dict[str, Any]:
        if self.style == "page":
            page, limit = int(body["p"]), int(body["limit"])
            if page * limit > MAX_ROW_WINDOW:
                raise FlashcatValidationError(
                    f"{self.path}: page p={page} with limit={limit} passes the API's window "
                    f"of {MAX_ROW_WINDOW} rows (p*limit must be <= {MAX_ROW_WINDOW}); "
                    "narrow the query, e.g. split the time range",
                    [("p", f"p*limit <= {MAX_ROW_WINDOW}")],
                )
        return body
