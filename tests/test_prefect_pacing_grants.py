"""How account-wide pacing takes its grants from the Prefect server: asking ahead for the next
grant while sending (never for the export class), and not sleeping Prefect's 2 s back-off
when the server is momentarily busy (the one fault mocked with respx)."""

from __future__ import annotations

import time

import httpx
import pytest
import respx
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.settings import get_current_settings

from flashcat_prefect import FlashcatCredentials
from flashcat_prefect.client import prefect_pacing
from flashcat_prefect.client.prefect_pacing import (
    SLOTS_PER_REQUEST,
    PacingStats,
    account_fingerprint,
    pacing_stats,
    take_slots,
)
from flashcat_prefect.emulator import FlashcatEmulator
from tests.test_prefect_pacing import paced, read_limit

__all__ = ["paced"]  # the fixture, shared with test_prefect_pacing

NO_DECAY = 0.001
"""A slot decay so slow that a limit's active slots count exactly the grants taken."""


def create_limit(name: str, limit: int, decay: float) -> None:
    with get_client(sync_client=True) as prefect:
        prefect.create_global_concurrency_limit(
            GlobalConcurrencyLimitCreate(name=name, limit=limit, slot_decay_per_second=decay)
        )


def settled_active_slots(name: str) -> int:
    """The limit's active slots once no grant is in flight any more (they stop changing)."""
    last, deadline = -1, time.monotonic() + 10
    while time.monotonic() < deadline:
        time.sleep(0.3)
        active = read_limit(name).active_slots
        if active == last:
            return active
        last = active
    raise AssertionError(f"{name} kept changing")


def test_a_busy_process_asks_for_its_next_grant_while_it_sends(
    emulator: FlashcatEmulator, paced: FlashcatCredentials
) -> None:
    """Two calls spend one grant of two requests; the second already asked for the next one."""
    minute = f"flashcat-account-{account_fingerprint(emulator.url, emulator.app_key)}-per-minute"
    create_limit(minute, 1000 * SLOTS_PER_REQUEST, NO_DECAY)
    before = pacing_stats()
    with paced.get_client() as client:
        for _ in range(2):
            client.request("/member/list", {"limit": 1})
    assert settled_active_slots(minute) == 4 * SLOTS_PER_REQUEST
    assert emulator.request_log.count("/member/list") == 2
    after = pacing_stats()  # the process's counters saw both grants and the first call's wait
    assert after.grants - before.grants == 2
    assert after.grant_seconds > before.grant_seconds
    assert after.waited_seconds > before.waited_seconds


def test_the_export_class_never_takes_a_slot_ahead(
    emulator: FlashcatEmulator, paced: FlashcatCredentials
) -> None:
    """An export slot fetched ahead and never used would waste a tenth of a minute's exports."""
    export_minute = (
        f"flashcat-account-{account_fingerprint(emulator.url, emulator.app_key)}-export-per-minute"
    )
    create_limit(export_minute, 10 * SLOTS_PER_REQUEST, NO_DECAY)
    with paced.get_client() as client:
        client.request(
            "/insight/incident/export",
            {"start_time": emulator.state.now - 3600, "end_time": emulator.state.now},
        )
    assert settled_active_slots(export_minute) == SLOTS_PER_REQUEST


def test_a_busy_prefect_server_is_asked_again_soon(monkeypatch: pytest.MonkeyPatch) -> None:
    """On SQLite the Prefect server answers 503 while another write holds the database (a
    fault the test server will not produce on demand); Prefect's client would sleep 2 s before
    trying again, which stalls every process waiting on that grant."""
    name = "flashcat-test-busy-server"
    waits: list[float] = []
    monkeypatch.setattr(prefect_pacing.time, "sleep", waits.append)
    granted = httpx.Response(
        200,
        json=[
            {
                "id": "6f1c0a4e-0000-4000-8000-000000000001",
                "name": name,
                "limit": 10 * SLOTS_PER_REQUEST,
            }
        ],
    )
    with respx.mock(assert_all_called=True) as mock:
        increments = mock.post(f"{get_current_settings().api.url}/v2/concurrency_limits/increment")
        increments.side_effect = [httpx.Response(503), httpx.Response(503), granted]
        stats = PacingStats()
        take_slots([name], SLOTS_PER_REQUEST, poll_seconds=1.0, stats=stats)
    assert increments.call_count == 3
    assert (stats.busy, stats.denials) == (2, 0)
    assert waits == [prefect_pacing.BUSY_RETRY_SECONDS, 2 * prefect_pacing.BUSY_RETRY_SECONDS]
