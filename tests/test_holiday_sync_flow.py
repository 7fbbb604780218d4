"""The holiday sync against the emulator over real HTTP, as real Prefect flow runs."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import random
import threading
import time
from collections import Counter
from pathlib import Path

import holidays
import httpx
import pytest
from prefect.settings import PREFECT_API_URL

from flashcat_prefect.client.errors import FlashcatValidationError
from flashcat_prefect.emulator import FlashcatEmulator
from flashcat_prefect.emulator.faults import Fault
from flashcat_prefect.emulator.seed import HOLIDAY_CALENDAR_ID
from flashcat_prefect.flows import CalendarSyncReport, sync_holiday_calendar
from flashcat_prefect.flows.holiday._calendar import CalendarNotFoundError, converge_year
from flashcat_prefect.flows.holiday._plan import OWNER_MARK
from flashcat_prefect.flows.holiday._request import collect_desired_days, validate_sync_parameters
from flashcat_prefect.flows.holiday._sources import (
    HolidayEntity,
    HolidaySourceError,
    is_year_published,
    read_ics,
)

DATA = Path(__file__).parent / "data" / "holiday"
UPSERT, DELETE, LIST = "/calendar/event/upsert", "/calendar/event/delete", "/calendar/event/list"
WRITES = (UPSERT, DELETE, "/calendar/create")
D = dt.date

CHINA_2026 = holidays.country_holidays("CN", years=2026)
CHINA_2026_OFF = set(CHINA_2026)
CHINA_2026_WORKING = {day for day in CHINA_2026.weekend_workdays if day.year == 2026}
# What tests/data/holiday/company.ics says about 2026 (see the file): a yearly day, a quarterly
# day (July left out by EXDATE), a three-day offsite and a Saturday marked as a working day.
ICS_2026_OFF = {
    D(2026, 3, 16),
    D(2026, 1, 5),
    D(2026, 4, 5),
    D(2026, 10, 5),
    D(2026, 11, 11),
    D(2026, 11, 12),
    D(2026, 11, 13),
}
ICS_2026_WORKING = {D(2026, 12, 5)}


@pytest.fixture
def emu(emulator):
    """The shared emulator, freshly reset, with Flashduty's rate limits enforced."""
    emulator.rate_limits = True
    return emulator


@pytest.fixture(scope="module")
def ics_url():
    """The test ICS files served over loopback HTTP."""
    handler = functools.partial(QuietHandler, directory=str(DATA))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def calendar_days(emu: FlashcatEmulator, cal_id: str, year: int = 2026) -> dict[str, list]:
    """The calendar as it reads back: events by kind, plus every event for closer checks."""
    with emu.credentials().get_client() as client:
        items = client.request(LIST, {"cal_id": cal_id, "year": year})["items"]
    starts = Counter(item["start_at"] for item in items if OWNER_MARK in item["description"])
    return {
        "off": {D.fromisoformat(i["start_at"]) for i in items if i["is_off"]},
        "working": {D.fromisoformat(i["start_at"]) for i in items if not i["is_off"]},
        "items": items,
        "duplicates": [day for day, count in starts.items() if count > 1],
    }


def latest_artifact_markdown(key: str) -> str:
    """The newest artifact with ``key``, read from the harness's Prefect API.

    Sent by hand: this Prefect client fills unset filters with nulls, which its server
    rejects or turns into joins that drop flow-level artifacts.
    """
    body = {"artifacts": {"key": {"any_": [key]}}, "sort": "CREATED_DESC", "limit": 1, "offset": 0}
    response = httpx.post(f"{PREFECT_API_URL.value()}/artifacts/filter", json=body)
    response.raise_for_status()
    artifacts = response.json()
    assert artifacts, f"no artifact {key!r}"
    return artifacts[0]["data"]


def write_count(emu: FlashcatEmulator) -> int:
    return sum(emu.request_log.count(path) for path in WRITES)


def test_china_2026_is_exact_and_a_second_run_writes_nothing(emu):
    report = sync_holiday_calendar(
        emu.credentials(), cal_id=HOLIDAY_CALENDAR_ID, country="CN", years=[2026]
    )

    cal = calendar_days(emu, HOLIDAY_CALENDAR_ID)
    assert cal["off"] == CHINA_2026_OFF
    assert cal["working"] == CHINA_2026_WORKING
    assert D(2026, 10, 10) in cal["working"]
    assert not cal["duplicates"]
    assert all(
        D.fromisoformat(i["end_at"]) - D.fromisoformat(i["start_at"]) == dt.timedelta(1)
        for i in cal["items"]
    )
    assert all(1 <= len(i["summary"]) <= 39 for i in cal["items"])
    assert isinstance(report, CalendarSyncReport)
    assert report.created == len(CHINA_2026_OFF | CHINA_2026_WORKING) == len(cal["items"])
    assert (report.updated, report.deleted, report.rewrites) == (0, 0, 0)
    assert emu.request_log.count(UPSERT) == report.created

    markdown = latest_artifact_markdown(report.artifact_key)
    row = next(line for line in markdown.splitlines() if line.startswith("| 2026-10-10 |"))
    assert "| create | working day |" in row

    emu.request_log.clear()
    again = sync_holiday_calendar(
        emu.credentials(), cal_id=HOLIDAY_CALENDAR_ID, country="CN", years=[2026]
    )
    assert write_count(emu) == 0
    assert emu.request_log.count(LIST) >= 1, "the second run did read the calendar"
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    assert again.unchanged == report.created


def test_ics_url_with_recurring_events_into_a_calendar_created_on_first_run(emu, ics_url):
    parameters = {
        "ics": f"{ics_url}/company.ics",
        "years": 2026,
        "calendar_name": "Company days",
        "create_if_missing": True,
    }
    report = sync_holiday_calendar(emu.credentials(), **parameters)

    assert report.calendar_created and report.cal_id
    cal = calendar_days(emu, report.cal_id)
    assert cal["off"] == ICS_2026_OFF
    assert cal["working"] == ICS_2026_WORKING
    assert report.sources == [f"ics:{ics_url}/company.ics"]

    # Deployments pass the name of a saved credentials block instead of the block.
    emu.credentials().save("holiday-sync-test", overwrite=True)
    emu.request_log.clear()
    again = sync_holiday_calendar("holiday-sync-test", **parameters)
    assert again.cal_id == report.cal_id and not again.calendar_created
    assert write_count(emu) == 0


def test_an_ics_url_that_fails_is_named_without_its_query(ics_url):
    with pytest.raises(HolidaySourceError) as caught:
        read_ics(f"{ics_url}/missing.ics?token=s3cret")
    assert "HTTP 404" in str(caught.value) and "/missing.ics" in str(caught.value)
    assert "s3cret" not in str(caught.value)
    assert not caught.value.retryable


def test_prune_removes_only_what_it_should(emu):
    creds = emu.credentials()
    sync_holiday_calendar(
        creds, cal_id=HOLIDAY_CALENDAR_ID, country="CN", ics=DATA / "company.ics", years=2026
    )
    with creds.get_client() as client:
        by_hand = client.calendars.upsert_event(
            cal_id=HOLIDAY_CALENDAR_ID,
            summary="Team offsite (by hand)",
            start_at="2026-03-03",
            end_at="2026-03-04",
            is_off=True,
        ).event_id
    ics_only = (ICS_2026_OFF | ICS_2026_WORKING) - CHINA_2026_OFF - CHINA_2026_WORKING

    # The ICS source is dropped: without prune its days stay, reported as skipped.
    kept = sync_holiday_calendar(creds, cal_id=HOLIDAY_CALENDAR_ID, country="CN", years=2026)
    assert kept.deleted == 0 and kept.skipped == len(ics_only)
    cal = calendar_days(emu, HOLIDAY_CALENDAR_ID)
    assert ics_only <= cal["off"] | cal["working"]

    # prune=True deletes the flow's own stale events and nothing else.
    pruned = sync_holiday_calendar(
        creds, cal_id=HOLIDAY_CALENDAR_ID, country="CN", years=2026, prune=True
    )
    assert pruned.deleted == len(ics_only)
    cal = calendar_days(emu, HOLIDAY_CALENDAR_ID)
    assert cal["off"] == CHINA_2026_OFF | {D(2026, 3, 3)}
    assert cal["working"] == CHINA_2026_WORKING
    assert by_hand in {item["event_id"] for item in cal["items"]}

    # prune="all" also removes the event entered by hand: the calendar equals the source.
    exact = sync_holiday_calendar(
        creds, cal_id=HOLIDAY_CALENDAR_ID, country="CN", years=2026, prune="all"
    )
    assert exact.deleted == 1
    cal = calendar_days(emu, HOLIDAY_CALENDAR_ID)
    assert (cal["off"], cal["working"]) == (CHINA_2026_OFF, CHINA_2026_WORKING)
    assert all(OWNER_MARK in item["description"] for item in cal["items"])


def test_prune_all_removes_an_event_spanning_two_synced_years(emu):
    creds = emu.credentials()
    with creds.get_client() as client:
        client.calendars.upsert_event(
            cal_id=HOLIDAY_CALENDAR_ID,
            summary="Year-end freeze",
            start_at="2026-12-30",
            end_at="2027-01-03",
            is_off=True,
        )
    # Each year is its own task and both see the event: it must be deleted once, cleanly.
    report = sync_holiday_calendar(
        creds, cal_id=HOLIDAY_CALENDAR_ID, ics=DATA / "company.ics", years=[2026, 2027], prune="all"
    )
    assert report.years == [2026, 2027] and report.deleted == 1
    cal_2026, cal_2027 = (calendar_days(emu, HOLIDAY_CALENDAR_ID, year) for year in (2026, 2027))
    assert (cal_2026["off"], cal_2026["working"]) == (ICS_2026_OFF, ICS_2026_WORKING)
    assert cal_2027["off"] == {D(2027, 3, 16)} and not cal_2027["working"]


def test_injected_429s_and_500s_leave_the_calendar_exactly_right(emu):
    creds = emu.credentials()
    # A wrong event of the flow's own on a holiday, so that updates and deletes happen too.
    sync_holiday_calendar(creds, cal_id=HOLIDAY_CALENDAR_ID, ics=DATA / "company.ics", years=2026)
    emu.faults.sequence(
        UPSERT,
        [
            None,
            "http_error",
            {"kind": "rate_limit", "retry_after": 0},
            None,
            "http_error",
            "http_error",
            None,
            "rate_limit",
            {"kind": "http_error", "status": 503},
        ],
    )
    emu.faults.sequence(DELETE, ["http_error", {"kind": "rate_limit", "retry_after": 0}])
    emu.faults.sequence(LIST, [None, "http_error"])
    emu.request_log.clear()

    report = sync_holiday_calendar(
        creds, cal_id=HOLIDAY_CALENDAR_ID, country="CN", years=2026, prune=True
    )

    statuses = Counter(entry.status for entry in emu.request_log.entries)
    assert statuses[500] >= 3 and statuses[429] >= 2, "the faults did fire"
    cal = calendar_days(emu, HOLIDAY_CALENDAR_ID)
    assert (cal["off"], cal["working"]) == (CHINA_2026_OFF, CHINA_2026_WORKING)
    assert not cal["duplicates"]
    assert len(cal["items"]) == len(CHINA_2026_OFF | CHINA_2026_WORKING)
    assert report.rewrites >= 3, "writes lost to 500s were redone"


class LoseUpsertAnswers(httpx.HTTPTransport):
    """Lets the emulator apply the first ``count`` upserts, then cuts their answers."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.remaining = count

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.url.path == UPSERT and self.remaining:
            self.remaining -= 1
            response.read()
            response.close()
            raise httpx.RemoteProtocolError(
                "answer lost after the server applied the write", request=request
            )
        return response


def test_a_create_applied_but_unanswered_is_not_repeated(emu):
    desired = collect_desired_days(
        validate_sync_parameters(cal_id=HOLIDAY_CALENDAR_ID, country="CN", years=2026)
    ).by_year[2026]
    with emu.credentials().get_client(transport=LoseUpsertAnswers(3)) as client:
        result = converge_year(
            client, HOLIDAY_CALENDAR_ID, 2026, desired, prune=False, dry_run=False
        )

    assert len(result.faults) == 3
    assert emu.request_log.count(UPSERT) == len(desired), "no create was sent twice"
    cal = calendar_days(emu, HOLIDAY_CALENDAR_ID)
    assert not cal["duplicates"] and len(cal["items"]) == len(desired)


def late_landing(seed: int, delay: float, steps: int = 120) -> list[Fault | None]:
    """A script for a write path: about 30% of its requests are applied ``delay`` seconds
    late (after the client gave up waiting for the answer), the rest behave."""
    rng = random.Random(seed)
    return [
        Fault(kind="latency", seconds=delay) if rng.random() < 0.3 else None for _ in range(steps)
    ]


APPLIED_CODES = {None, "InternalError", "dropped", "malformed"}
"""Logged codes of a request the emulator ran: answered, or its answer replaced afterwards by
an ``after_handler`` fault (a fault played before the handler logs no body)."""


def effective_writes(emu: FlashcatEmulator) -> dict[str, int]:
    """The writes that took effect on the emulator, late ones and those whose answer was lost
    included: creates made, events updated, events deleted."""
    done = [
        entry
        for entry in emu.request_log.entries
        if entry.body is not None and entry.code in APPLIED_CODES
    ]
    upserts = [entry.body for entry in done if entry.path == UPSERT]
    return {
        "created": sum(1 for body in upserts if not body.get("event_id")),
        "updated": len({body["event_id"] for body in upserts if body.get("event_id")}),
        "deleted": len({entry.body["event_id"] for entry in done if entry.path == DELETE}),
    }


@pytest.mark.parametrize(("seed", "delay"), [(1, 1.5), (2, 3.0), (3, 5.0)])
def test_late_landing_writes_leave_the_calendar_exact_and_the_counts_true(emulator, seed, delay):
    creds = emulator.credentials(timeout=0.5, max_retries=2)
    # A wrong event of the flow's own on a holiday, so that updates and deletes happen too.
    sync_holiday_calendar(creds, cal_id=HOLIDAY_CALENDAR_ID, ics=DATA / "company.ics", years=2026)
    emulator.faults.sequence(UPSERT, late_landing(seed, delay))
    emulator.faults.sequence(DELETE, late_landing(seed + 100, delay))
    emulator.request_log.clear()

    report = sync_holiday_calendar(
        creds, cal_id=HOLIDAY_CALENDAR_ID, country="CN", years=2026, prune=True
    )
    time.sleep(delay + 0.5)  # anything still on its way lands now

    assert any(
        entry.status == 200 and entry.time - start > delay
        for start in [emulator.request_log.entries[0].time]
        for entry in emulator.request_log.entries
    ), "late writes did land"
    cal = calendar_days(emulator, HOLIDAY_CALENDAR_ID)
    assert not cal["duplicates"]
    assert (cal["off"], cal["working"]) == (CHINA_2026_OFF, CHINA_2026_WORKING)
    assert len(cal["items"]) == len(CHINA_2026_OFF | CHINA_2026_WORKING)
    done = effective_writes(emulator)
    assert report.unsettled == 0
    assert (report.created, report.updated, report.deleted) == (
        done["created"],
        done["updated"],
        done["deleted"],
    ), "the report counts the writes that took effect, late ones included"
    assert report.created >= 1 and report.deleted >= 1


def test_dry_run_writes_nothing_and_still_publishes_the_table(emu):
    report = sync_holiday_calendar(
        emu.credentials(),
        calendar_name="New holidays",
        create_if_missing=True,
        country="CN",
        years=2026,
        dry_run=True,
    )
    assert write_count(emu) == 0
    assert report.cal_id is None and not report.calendar_created
    assert report.created == len(CHINA_2026_OFF | CHINA_2026_WORKING)
    markdown = latest_artifact_markdown(report.artifact_key)
    assert "dry run, nothing written" in markdown
    assert sum(line.startswith("| 2026-") for line in markdown.splitlines()) == report.created


def test_unpublished_years_are_skipped_with_a_warning(emu, caplog):
    later = next(y for y in range(2027, 2100) if not is_year_published(HolidayEntity("CN"), y))
    report = sync_holiday_calendar(
        emu.credentials(), cal_id=HOLIDAY_CALENDAR_ID, country="CN", years=[2026, later]
    )
    assert report.years == [2026] and list(report.skipped_years) == [later]
    assert not calendar_days(emu, HOLIDAY_CALENDAR_ID, later)["items"]
    assert any(f"Skipping {later}" in record.getMessage() for record in caplog.records)


def test_bad_input_fails_clearly_and_writes_nothing(emu):
    with pytest.raises(FlashcatValidationError, match="language"):
        sync_holiday_calendar(
            emu.credentials(), cal_id=HOLIDAY_CALENDAR_ID, country="CN", language="xx", years=2026
        )
    with pytest.raises(CalendarNotFoundError, match="cal_id: the API has no calendar"):
        sync_holiday_calendar(emu.credentials(), cal_id="cal.missing", country="CN", years=2026)
    assert write_count(emu) == 0
    assert emu.request_log.count(LIST) == 0
    assert emu.request_log.count("/calendar/info") == 1, "only the unknown cal_id was looked up"
