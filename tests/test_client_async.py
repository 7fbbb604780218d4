"""AsyncFlashcatClient twins of the key sync tests, against the same emulator over loopback."""

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
from tests.loopback import CLIENT_TIMEOUT, LATE, Wire, free_port

T = TypeVar("T")


def run_with(
    wire: Wire,
    use: Callable[[AsyncFlashcatClient], Awaitable[T]],
    **settings: Any,
) -> T:
    """Run ``use(client)`` on a fresh event loop with a client for the emulator."""

    async def main() -> T:
        async with AsyncFlashcatClient(wire.app_key, base_url=wire.url, **settings) as client:
            return await use(client)

    return asyncio.run(main())


def test_429_with_retry_after_is_waited_out_then_succeeds(wire: Wire) -> None:
    wire.app.faults.add("rate_limit", path="/member/list", retry_after=1, times=1)
    data = run_with(
        wire, lambda client: client.request("/member/list", {"limit": 1}), max_retries=3
    )
    assert len(data["items"]) == 1
    first, second = wire.requests_to("/member/list")
    assert first.body == second.body == {"limit": 1}
    assert second.at - first.at >= 1.0


def test_invalid_parameter_raised_at_once_without_retry(wire: Wire) -> None:
    wire.app.faults.add(
        "http_error", path="/member/list", status=400, code="InvalidParameter", message="bad field"
    )
    with pytest.raises(InvalidParameterError) as info:
        run_with(wire, lambda client: client.request("/member/list", {}), max_retries=3)
    assert (info.value.code, info.value.request_id, info.value.status) == (
        "InvalidParameter",
        wire.request_id("/member/list"),
        400,
    )
    assert len(wire.requests_to("/member/list")) == 1


def test_error_inside_a_200_is_raised(wire: Wire) -> None:
    wire.app.faults.add(
        "error_in_200", path="/member/list", code="ResourceNotFound", message="gone"
    )
    with pytest.raises(FlashcatAPIError) as info:
        run_with(wire, lambda client: client.request("/member/list", {}))
    assert info.value.code == "ResourceNotFound"
    assert info.value.request_id == wire.request_id("/member/list")


def test_server_errors_are_retried_until_max_retries(wire: Wire) -> None:
    wire.app.faults.add("http_error", path="/member/list", status=500, code="InternalError")
    with pytest.raises(InternalError):
        run_with(wire, lambda client: client.request("/member/list", {}), max_retries=1)
    assert len(wire.requests_to("/member/list")) == 2


def test_typed_call_validates_then_parses(wire: Wire) -> None:
    with pytest.raises(FlashcatValidationError, match="limit"):
        run_with(wire, lambda client: client.members.list(limit=0))
    assert wire.seen == []
    page = run_with(wire, lambda client: client.members.list(limit=3))
    assert [item.member_id for item in page.items] == [101, 102, 103]


def test_csv_export_comes_back_as_text(wire: Wire) -> None:
    now = wire.app.state.now
    text = run_with(
        wire,
        lambda client: client.call(
            get_endpoint("/insight/incident/export"), start_time=now - 3600, end_time=now
        ),
    )
    assert isinstance(text, str) and text.startswith("incident_id,title,")


def test_timeouts_on_writes_are_not_resent(wire: Wire) -> None:
    wire.app.faults.add("latency", path="/incident/ack", seconds=LATE, times=1)
    incident_id = wire.open_incident()
    with pytest.raises(FlashcatTransportError) as info:
        run_with(
            wire,
            lambda client: client.call(get_endpoint("/incident/ack"), incident_ids=[incident_id]),
            timeout=CLIENT_TIMEOUT,
            max_retries=2,
        )
    assert info.value.path == "/incident/ack"
    assert len(wire.requests_to("/incident/ack")) == 1


def test_connection_refused_is_a_transport_error() -> None:
    async def main() -> None:
        async with AsyncFlashcatClient(
            "sentinel-nowhere", base_url=f"http://127.0.0.1:{free_port()}", max_retries=0
        ) as client:
            await client.request("/member/list", {})

    with pytest.raises(FlashcatTransportError) as info:
        asyncio.run(main())
    assert info.value.retryable and info.value.path == "/member/list"
