"""Both paginators, sync and async, walk every page exactly once and stop on their own."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from flashcat_prefect import AsyncFlashcatClient, FlashcatClient
from flashcat_prefect.client import FlashcatError, FlashcatValidationError
from flashcat_prefect.client.pagination import CURSOR_FIELD, PageWalker
from tests import fake_api
from tests.fake_api import FakeFlashduty

fake_server, fake, new_key = fake_api.fake_server, fake_api.fake, fake_api.new_key

WINDOW = {"start_time": 1_700_000_000, "end_time": 1_700_086_400}


def pages_requested(fake: FakeFlashduty, path: str, field: str) -> list[Any]:
    return [seen.body.get(field) for seen in fake.requests_to(path)]


def test_page_style_walks_every_page_once(fake: FakeFlashduty, new_key: str) -> None:
    with FlashcatClient(new_key, base_url=fake.url) as client:
        members = list(client.iter_items("/member/list", orderby="created_at"))
    assert members == fake.members
    assert pages_requested(fake, "/member/list", "p") == [1, 2, 3]
    assert {seen.body["limit"] for seen in fake.requests_to("/member/list")} == {100}
    assert {seen.body["orderby"] for seen in fake.requests_to("/member/list")} == {"created_at"}


def test_page_style_without_has_next_page_stops_on_a_short_page(
    fake: FakeFlashduty, new_key: str
) -> None:
    fake.omit_has_next_page = True
    with FlashcatClient(new_key, base_url=fake.url) as client:
        pages = list(client.iter_pages("/member/list", limit=50))
    assert [len(page["items"]) for page in pages] == [50, 50, 50, 50, 50, 0]
    assert pages_requested(fake, "/member/list", "p") == [1, 2, 3, 4, 5, 6]


def test_cursor_style_follows_search_after_ctx(fake: FakeFlashduty, new_key: str) -> None:
    with FlashcatClient(new_key, base_url=fake.url) as client:
        incidents = list(client.iter_items("/incident/list", WINDOW))
    assert incidents == fake.incidents
    assert pages_requested(fake, "/incident/list", "search_after_ctx") == [
        None,
        "cursor-100",
        "cursor-200",
    ]
    assert all("p" not in seen.body for seen in fake.requests_to("/incident/list"))


def test_typed_iterators_parse_items(fake: FakeFlashduty, new_key: str) -> None:
    with FlashcatClient(new_key, base_url=fake.url) as client:
        incidents = list(client.incidents.iter_list(WINDOW, limit=100))
    assert [incident.incident_id for incident in incidents] == [
        i["incident_id"] for i in fake.incidents
    ]


def test_a_page_past_the_row_window_is_refused_before_sending(
    fake: FakeFlashduty, new_key: str
) -> None:
    with (
        FlashcatClient(new_key, base_url=fake.url) as client,
        pytest.raises(FlashcatValidationError) as info,
    ):
        list(client.iter_pages("/member/list", p=101, limit=100))
    assert "p*limit" in str(info.value)
    assert fake.seen == []


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


def test_iter_pages_validates_the_body_first(fake: FakeFlashduty, new_key: str) -> None:
    with (
        FlashcatClient(new_key, base_url=fake.url) as client,
        pytest.raises(FlashcatValidationError) as info,
    ):
        list(client.iter_items("/incident/list", start_time=1))
    assert [field for field, _ in info.value.problems] == ["end_time"]
    assert fake.seen == []


def test_async_paginators_walk_every_page_once(fake: FakeFlashduty, new_key: str) -> None:
    async def walk() -> tuple[list[Any], list[Any]]:
        async with AsyncFlashcatClient(new_key, base_url=fake.url) as client:
            members = [item async for item in client.iter_items("/member/list")]
            incidents = [item async for item in client.iter_items("/incident/list", WINDOW)]
        return members, incidents

    members, incidents = asyncio.run(walk())
    assert members == fake.members and incidents == fake.incidents
    assert pages_requested(fake, "/member/list", "p") == [1, 2, 3]
    assert pages_requested(fake, "/incident/list", "search_after_ctx") == [
        None,
        "cursor-100",
        "cursor-200",
    ]
