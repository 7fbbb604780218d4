"""The client and blocks against the bundled emulator, and inside real Prefect flow runs."""

from __future__ import annotations

import asyncio
import time

import pytest
from prefect import flow

from flashcat_prefect.client import (
    FlashcatAPIError,
    FlashcatTransportError,
    InvalidParameterError,
    is_retryable,
)
from flashcat_prefect.emulator import FlashcatEmulator
from flashcat_prefect.emulator.requestlog import LoggedRequest
from flashcat_prefect.tasks.members import alist_members, list_members


def logged(emulator: FlashcatEmulator, path: str, count: int) -> list[LoggedRequest]:
    """The log entries of ``path`` once ``count`` are there (the emulator logs after answering)."""
    deadline = time.monotonic() + 5
    while (
        len(entries := emulator.request_log.for_path(path)) < count and time.monotonic() < deadline
    ):
        time.sleep(0.01)
    return entries


def test_small_and_large_pages_see_the_same_members(emulator: FlashcatEmulator) -> None:
    credentials = emulator.credentials()
    with credentials.get_client() as client:
        large = list(client.iter_items("/member/list", limit=100))
        small = list(client.iter_items("/member/list", limit=2))
    assert len(large) > 2
    assert small == large
    entries = logged(emulator, "/member/list", 1 + -(-len(large) // 2))
    pages = [entry.body["p"] for entry in entries if entry.body["limit"] == 2]
    assert pages == list(range(1, len(pages) + 1))
    assert len(pages) in (len(large) // 2 + 1, -(-len(large) // 2))


def test_rate_limit_fault_is_waited_out(emulator: FlashcatEmulator) -> None:
    emulator.faults.sequence("/member/list", [{"kind": "rate_limit", "retry_after": 1}, None])
    with emulator.credentials().get_client() as client:
        page = client.members.list(limit=5)
    assert len(page.items) == 5
    first, second = logged(emulator, "/member/list", 2)
    assert first.status == 429 and second.status == 200
    assert second.time - first.time >= 1.0


def test_error_in_200_raises_and_a_malformed_read_is_retried(emulator: FlashcatEmulator) -> None:
    emulator.faults.sequence(
        "/member/list", [{"kind": "error_in_200", "code": "AccessDenied"}, "malformed"]
    )
    with emulator.credentials(max_retries=3).get_client() as client:
        with pytest.raises(FlashcatAPIError):
            client.members.list()
        assert client.members.list(limit=5).items, "the garbled 200 was asked for again"
    assert [entry.status for entry in logged(emulator, "/member/list", 3)] == [200, 200, 200]


def test_a_malformed_answer_to_a_write_is_not_resent(emulator: FlashcatEmulator) -> None:
    emulator.faults.sequence("/calendar/create", ["malformed"])
    client = emulator.credentials(max_retries=3).get_client()
    with client, pytest.raises(FlashcatTransportError, match="not JSON") as info:
        client.calendars.create(cal_name="garbled answer")
    assert is_retryable(info.value), "a later pass may repair it by reading back"
    assert emulator.request_log.count("/calendar/create") == 1, "the server may have acted"


def test_emulator_validation_error_is_typed(emulator: FlashcatEmulator) -> None:
    with (
        emulator.credentials().get_client() as client,
        pytest.raises(InvalidParameterError) as info,
    ):
        # Skips our own validation (request() sends as-is) so the emulator answers.
        client.request("/member/list", {"limit": 1000})
    assert info.value.request_id and info.value.status == 400
    assert len(logged(emulator, "/member/list", 1)) == 1


def test_integration_block_pushes_alerts_and_changes(emulator: FlashcatEmulator) -> None:
    integration = emulator.integration(2001)
    key = integration.push_alert(
        "Warning", "Disk almost full on db-1", alert_key="db-1-disk", labels={"host": "db-1"}
    )
    assert key == "db-1-disk"
    generated = asyncio.run(integration.apush_alert("Info", "Nightly backup finished"))
    assert generated
    integration.push_change("Done", "deploy-42", "Deploy api v42")
    asyncio.run(integration.apush_change("Processing", "deploy-43", "Deploy api v43"))
    pushed = logged(emulator, "/event/push/alert/standard", 2)
    assert [entry.body["title_rule"] for entry in pushed] == [
        "Disk almost full on db-1",
        "Nightly backup finished",
    ]
    assert all(entry.status == 200 for entry in pushed)
    assert len(logged(emulator, "/event/push/change/standard", 2)) == 2


def test_tasks_use_the_block_inside_flow_runs(emulator: FlashcatEmulator) -> None:
    credentials = emulator.credentials()

    @flow
    def members_flow() -> list[int]:
        page = list_members(credentials, limit=3)
        return [item.member_id for item in page.items]

    @flow
    async def amembers_flow() -> list[int]:
        page = await alist_members(credentials, limit=3)
        return [item.member_id for item in page.items]

    sync_ids = members_flow()
    async_ids = asyncio.run(amembers_flow())
    with credentials.get_client() as client:
        expected = [
            item["member_id"] for item in client.request("/member/list", {"limit": 3})["items"]
        ]
    assert sync_ids == async_ids == expected


def test_task_retries_only_retryable_errors(emulator: FlashcatEmulator) -> None:
    credentials = emulator.credentials(max_retries=0)
    emulator.faults.sequence("/member/list", [{"kind": "http_error", "status": 503}, None])

    @flow
    def retrying_flow() -> int:
        quick = list_members.with_options(retry_delay_seconds=0)
        return len(quick(credentials, limit=2).items)

    assert retrying_flow() == 2
    assert [entry.status for entry in logged(emulator, "/member/list", 2)] == [503, 200]
    assert is_retryable(FlashcatAPIError("ServiceUnavailable", "x", status=503, retryable=True))

    emulator.request_log.clear()
    emulator.faults.sequence(
        "/member/list", [{"kind": "http_error", "status": 400, "code": "InvalidParameter"}]
    )
    with pytest.raises(InvalidParameterError):
        retrying_flow()
    assert [entry.status for entry in logged(emulator, "/member/list", 1)] == [400]
