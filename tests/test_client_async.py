"""AsyncFlashcatClient twins of the key sync tests, against the same loopback server."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from flashcat_prefect import AsyncFlashcatClient
from flashcat_prefect.api import get_endpoint
from flashcat_prefect.client import (
    FlashcatAPIError,
    FlashcatTransportError,
    FlashcatValidationError,
    InternalError,
    InvalidParameterError,
)
from tests import fake_api
from tests.fake_api import CLIENT_TIMEOUT, LATE, FakeFlashduty, Reply, error_body, free_port

fake_server, fake, new_key = fake_api.fake_server, fake_api.fake, fake_api.new_key

T = TypeVar("T")


def run_with(
    fake: FakeFlashduty,
    key: str,
    use: Callable[[AsyncFlashcatClient], Awaitable[T]],
    **settings: Any,
) -> T:
    """Run ``use(client)`` on a fresh event loop with a client for the fake."""

    async def main() -> T:
        async with AsyncFlashcatClient(key, base_url=fake.url, **settings) as client:
            return await use(client)

    return asyncio.run(main())


def test_429_with_retry_after_is_waited_out_then_succeeds(
    fake: FakeFlashduty, new_key: str
) -> None:
    fake.script(
        "/echo", Reply(429, error_body("RequestTooFrequently"), headers={"Retry-After": "1"})
    )
    data = run_with(fake, new_key, lambda client: client.request("/echo", {"n": 1}), max_retries=3)
    assert data["body"] == {"n": 1}
    first, second = fake.requests_to("/echo")
    assert second.at - first.at >= 1.0


def test_invalid_parameter_raised_at_once_without_retry(fake: FakeFlashduty, new_key: str) -> None:
    fake.script("/echo", Reply(400, error_body("InvalidParameter", "bad field", "req-a1")))
    with pytest.raises(InvalidParameterError) as info:
        run_with(fake, new_key, lambda client: client.request("/echo", {}), max_retries=3)
    assert (info.value.code, info.value.request_id, info.value.status) == (
        "InvalidParameter",
        "req-a1",
        400,
    )
    assert len(fake.requests_to("/echo")) == 1


def test_error_inside_a_200_is_raised(fake: FakeFlashduty, new_key: str) -> None:
    fake.script("/echo", Reply(200, error_body("ResourceNotFound", "gone", "req-a2")))
    with pytest.raises(FlashcatAPIError) as info:
        run_with(fake, new_key, lambda client: client.request("/echo", {}))
    assert info.value.code == "ResourceNotFound" and info.value.request_id == "req-a2"


def test_server_errors_are_retried_until_max_retries(fake: FakeFlashduty, new_key: str) -> None:
    fake.script("/member/list", *[Reply(500, error_body("InternalError"))] * 2)
    with pytest.raises(InternalError):
        run_with(fake, new_key, lambda client: client.request("/member/list", {}), max_retries=1)
    assert len(fake.requests_to("/member/list")) == 2


def test_typed_call_validates_then_parses(fake: FakeFlashduty, new_key: str) -> None:
    with pytest.raises(FlashcatValidationError, match="limit"):
        run_with(fake, new_key, lambda client: client.members.list(limit=0))
    assert fake.seen == []
    page = run_with(fake, new_key, lambda client: client.members.list(limit=3))
    assert [item.member_id for item in page.items] == [1000, 1001, 1002]


def test_csv_export_comes_back_as_text(fake: FakeFlashduty, new_key: str) -> None:
    text = run_with(
        fake,
        new_key,
        lambda client: client.call(
            get_endpoint("/insight/incident/export"), start_time=1, end_time=2
        ),
    )
    assert isinstance(text, str) and text.startswith("incident_id,title\n")


def test_timeouts_on_writes_are_not_resent(fake: FakeFlashduty, new_key: str) -> None:
    fake.script("/incident/ack", Reply(delay=LATE))
    with pytest.raises(FlashcatTransportError) as info:
        run_with(
            fake,
            new_key,
            lambda client: client.call(
                get_endpoint("/incident/ack"), incident_ids=["0123456789abcdef01234567"]
            ),
            timeout=CLIENT_TIMEOUT,
            max_retries=2,
        )
    assert info.value.path == "/incident/ack"
    assert len(fake.requests_to("/incident/ack")) == 1


def test_connection_refused_is_a_transport_error() -> None:
    async def main() -> None:
        async with AsyncFlashcatClient(
            "sentinel-nowhere", base_url=f"http://127.0.0.1:{free_port()}", max_retries=0
        ) as client:
            await client.request("/member/list", {})

    with pytest.raises(FlashcatTransportError) as info:
        asyncio.run(main())
    assert info.value.retryable and info.value.path == "/member/list"
