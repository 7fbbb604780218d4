"""Both paginators, sync and async, walk every page exactly once and stop on their own
(against the emulator; respx only for a server that leaves out ``has_next_page``)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
import respx

from flashcat_prefect import AsyncFlashcatClient, FlashcatClient
from flashcat_prefect.client import FlashcatError, FlashcatValidationError
from flashcat_prefect.client.pagination import CURSOR_FIELD, PageWalker
from tests.loopback import Wire

MOCK_URL = "http://flashduty.test"
MEMBERS = 250
"""Members after :func:`invite_members`: three pages of 100."""


def invite_members(wire: Wire) -> list[int]:
    """Grow the demo account (30 members) to :data:`MEMBERS` through the API; all ids."""
    with FlashcatClient(wire.app_key, base_url=wire.url) as client:
        seeded = [m["member_id"] for m in client.request("/member/list", {"limit": 100})["items"]]
        invited = client.members.invite(
            members=[
                {"member_name": f"member-{i:03d}", "email": f"m{i}@example.com"}
                for i in range(MEMBERS - len(seeded))
            ]
        )
    wire.recorder.arrivals.clear()
    return seeded + [item.member_id for item in invited.items]


def window(wire: Wire, days: int = 7) -> dict[str, int]:
    now = wire.app.state.now
    return {"start_time": now - days * 86_400, "end_time": now}


def pages_requested(wire: Wire, path: str, field: str) -> list[Any]:
    return [seen.body.get(field) for seen in wire.requests_to(path)]


def test_page_style_walks_every_page_once(wire: Wire) -> None:
    member_ids = invite_members(wire)
    with FlashcatClient(wire.app_key, base_url=wire.url) as client:
        members = list(client.iter_items("/member/list", orderby="created_at"))
    assert sorted(m["member_id"] for m in members) == sorted(member_ids)
    assert len(members) == MEMBERS
    assert pages_requested(wire, "/member/list", "p") == [1, 2, 3]
    assert {seen.body["limit"] for seen in wire.requests_to("/member/list")} == {100}
    assert {seen.body["orderby"] for seen in wire.requests_to("/member/list")} == {"created_at"}


def test_page_style_without_has_next_page_stops_on_a_short_page() -> None:
    # The emulator always says has_next_page; older servers leave it out (mocked here).
    members = [{"member_id": 1000 + i} for i in range(MEMBERS)]

    def page(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        start = (body["p"] - 1) * body["limit"]
        items = members[start : start + body["limit"]]
        return httpx.Response(200, json={"request_id": "r", "data": {"items": items}})

    with respx.mock(assert_all_called=True) as mock:
        route = mock.post(f"{MOCK_URL}/member/list").mock(side_effect=page)
        with FlashcatClient("sentinel-key", base_url=MOCK_URL) as client:
            pages = list(client.iter_pages("/member/list", limit=50))
    assert [len(page["items"]) for page in pages] == [50, 50, 50, 50, 50, 0]
    requested = [json.loads(call.request.content)["p"] for call in route.calls]
    assert requested == [1, 2, 3, 4, 5, 6]


def test_cursor_style_follows_search_after_ctx(wire: Wire) -> None:
    with FlashcatClient(wire.app_key, base_url=wire.url) as client:
        pages = list(client.iter_pages("/incident/list", window(wire)))
        incidents = list(client.iter_items("/incident/list", window(wire)))
    assert len(pages) >= 3
    cursors = pages_requested(wire, "/incident/list", "search_after_ctx")[: len(pages)]
    assert cursors == [None] + [page["search_after_ctx"] for page in pages[:-1]]
    assert all("p" not in seen.body for seen in wire.requests_to("/incident/list"))
    ids = [incident["incident_id"] for incident in incidents]
    assert len(set(ids)) == len(ids) == pages[0]["total"]
    assert ids == [item["incident_id"] for page in pages for item in page["items"]]


def test_typed_iterators_parse_items(wire: Wire) -> None:
    with FlashcatClient(wire.app_key, base_url=wire.url) as client:
        raw = list(client.iter_items("/incident/list", window(wire)))
        incidents = list(client.incidents.iter_list(window(wire), limit=100))
    assert [incident.incident_id for incident in incidents] == [i["incident_id"] for i in raw]


def test_a_page_past_the_row_window_is_refused_before_sending(wire: Wire) -> None:
    with (
        FlashcatClient(wire.app_key, base_url=wire.url) as client,
        pytest.raises(FlashcatValidationError) as info,
    ):
        list(client.iter_pages("/member/list", p=101, limit=100))
    assert "p*limit" in str(info.value)
    assert wire.seen == []


def test_walker_refuses_the_page_that_would_pass_10000_rows() -> None:
    walker = PageWalker("/member/list", {"p": 99, "limit": 100}, "page")
    assert walker.first()["p"] == 99
    assert walker.next({"has_next_page": True, "items": []}) == {"p": 100, "limit": 100}
    with pytest.raises(FlashcatValidationError, match="10000"):
        walker.next({"has_next_page": True, "items": []})


def test_cursor_walk_ends_on_an_empty_page_or_a_stuck_cursor() -> None:
    walker = PageWalker("/incident/list", {}, "cursor")
    assert walker.next({"items": [{"id": 1}], CURSOR_FIELD: "c1"}) == {
        "limit": 100,
        CURSOR_FIELD: "c1",
    }
    assert walker.next({"items": [], CURSOR_FIELD: "c2", "has_next_page": True}) is None
    with pytest.raises(FlashcatError, match="did not advance"):
        walker.next({"items": [{"id": 2}], CURSOR_FIELD: "c1"})


def test_iter_pages_validates_the_body_first(wire: Wire) -> None:
    with (
        FlashcatClient(wire.app_key, base_url=wire.url) as client,
        pytest.raises(FlashcatValidationError) as info,
    ):
        list(client.iter_items("/incident/list", start_time=1))
    assert [field for field, _ in info.value.problems] == ["end_time"]
    assert wire.seen == []


def test_async_paginators_walk_every_page_once(wire: Wire) -> None:
    member_ids = invite_members(wire)

    async def walk() -> tuple[list[Any], list[Any], list[Any]]:
        async with AsyncFlashcatClient(wire.app_key, base_url=wire.url) as client:
            members = [item async for item in client.iter_items("/member/list")]
            incidents = [item async for item in client.iter_items("/incident/list", window(wire))]
            pages = [page async for page in client.iter_pages("/incident/list", window(wire))]
        return members, incidents, pages

    members, incidents, pages = asyncio.run(walk())
    assert sorted(m["member_id"] for m in members) == sorted(member_ids)
    assert [i["incident_id"] for i in incidents] == [
        item["incident_id"] for page in pages for item in page["items"]
    ]
    assert len({i["incident_id"] for i in incidents}) == pages[0]["total"]
    assert pages_requested(wire, "/member/list", "p") == [1, 2, 3]
    cursors = pages_requested(wire, "/incident/list", "search_after_ctx")[: len(pages)]
    assert cursors == [None] + [page["search_after_ctx"] for page in pages[:-1]]
