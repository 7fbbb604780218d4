"""Prefect-level retries of endpoint tasks: reads retry transient faults, writes never risk a double apply."""

from __future__ import annotations

import pytest
from prefect import flow

from flashcat_prefect.client.errors import InternalError
from flashcat_prefect.emulator import seed
from flashcat_prefect.tasks import list_calendar_events, upsert_calendar_event


def _no_wait(task):
    return task.with_options(retry_delay_seconds=0, retry_jitter_factor=None)


def test_read_task_retries_past_a_500(emulator, credentials):
    # The client retries 500s itself (max_retries); exhaust it once so the task must retry.
    attempts = credentials.max_retries + 1
    emulator.faults.add("http_error", path="/calendar/event/list", status=500, times=attempts)

    @flow
    def read():
        return _no_wait(list_calendar_events)(credentials, cal_id=seed.OPS_CALENDAR_ID)

    result = read()
    assert result.items, "the seeded ops calendar has events"
    assert emulator.request_log.count("/calendar/event/list") == attempts + 1


def test_write_task_is_not_resent_after_a_500(emulator, credentials):
    emulator.faults.add("http_error", path="/calendar/event/upsert", status=500, times=1)

    @flow
    def write():
        return _no_wait(upsert_calendar_event)(
            credentials,
            cal_id=seed.OPS_CALENDAR_ID,
            summary="Maintenance",
            start_at="2026-12-01",
            end_at="2026-12-02",
            is_off=True,
        )

    with pytest.raises(InternalError):
        write()
    assert emulator.request_log.count("/calendar/event/upsert") == 1
