"""Prefect-level retries of endpoint tasks, for the sync task and its async twin alike: reads
retry transient faults, writes are resent only when the server cannot have applied them.

The client's own retries are turned off (``max_retries=0``) so that every retry seen here is
Prefect's.
"""

from __future__ import annotations

import asyncio
import warnings
from typing import Any

import pytest
from prefect import flow

from flashcat_prefect.client.errors import InternalError
from flashcat_prefect.emulator import seed
from flashcat_prefect.tasks import (
    alist_calendar_events,
    aupsert_calendar_event,
    list_calendar_events,
    upsert_calendar_event,
)

READ = "/calendar/event/list"
WRITE = "/calendar/event/upsert"
EVENT = {
    "cal_id": seed.OPS_CALENDAR_ID,
    "summary": "Maintenance",
    "start_at": "2026-12-01",
    "end_at": "2026-12-02",
    "is_off": True,
}
TWINS = {
    READ: {"sync": list_calendar_events, "async": alist_calendar_events},
    WRITE: {"sync": upsert_calendar_event, "async": aupsert_calendar_event},
}
ARGUMENTS = {READ: {"cal_id": seed.OPS_CALENDAR_ID}, WRITE: EVENT}


def _no_wait(task: Any) -> Any:
    return task.with_options(retry_delay_seconds=0, retry_jitter_factor=None)


def run_in_flow(path: str, twin: str, credentials: Any) -> Any:
    """Call one endpoint task (sync, or its async twin in an async flow) with client retries off."""
    task = _no_wait(TWINS[path][twin])
    creds = credentials.model_copy(update={"max_retries": 0})
    if twin == "sync":

        @flow
        def call_sync() -> Any:
            return task(creds, **ARGUMENTS[path])

        return call_sync()

    @flow
    async def call_async() -> Any:
        return await task(creds, **ARGUMENTS[path])

    return asyncio.run(call_async())


@pytest.mark.parametrize("twin", ["sync", "async"])
@pytest.mark.parametrize("path", [READ, WRITE])
def test_a_503_is_retried_by_prefect(emulator, credentials, path, twin):
    # A 503 means the request was not handled: safe to send again, write or not.
    emulator.faults.add("http_error", path=path, status=503, times=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # e.g. "coroutine ... never awaited"
        result = run_in_flow(path, twin, credentials)
    assert result is not None
    assert emulator.request_log.count(path) == 2


@pytest.mark.parametrize("twin", ["sync", "async"])
def test_a_read_is_retried_after_a_500(emulator, credentials, twin):
    emulator.faults.add("http_error", path=READ, status=500, times=1)
    result = run_in_flow(READ, twin, credentials)
    assert result.items, "the seeded ops calendar has events"
    assert emulator.request_log.count(READ) == 2


@pytest.mark.parametrize("twin", ["sync", "async"])
def test_a_write_is_not_resent_after_a_500(emulator, credentials, twin):
    # The server may have applied it: sending it again could apply it twice.
    emulator.faults.add("http_error", path=WRITE, status=500, times=1)
    with pytest.raises(InternalError):
        run_in_flow(WRITE, twin, credentials)
    assert emulator.request_log.count(WRITE) == 1


def test_client_and_prefect_retries_add_up(emulator, credentials):
    """With the client's own retries on, Prefect retries once they are exhausted."""
    attempts = credentials.max_retries + 1
    emulator.faults.add("http_error", path=READ, status=500, times=attempts)

    @flow
    def read():
        return _no_wait(list_calendar_events)(credentials, cal_id=seed.OPS_CALENDAR_ID)

    assert read().items
    assert emulator.request_log.count(READ) == attempts + 1
