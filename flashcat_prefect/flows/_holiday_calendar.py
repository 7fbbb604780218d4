"""The holiday sync's calls to Flashduty: find or create the calendar, read a year, write.

Writes are made safe to repeat by reading back instead of trusting answers: the client does
not resend a write after a 500 or a lost answer (the server may have applied it), so
:func:`converge_year` re-reads the year after every pass and plans again. A create whose
answer was lost then shows up as an existing event and is not created twice; a delete that
did happen is not planned again. The loop ends when the calendar reads back exactly right;
when an answer was lost on the way, only after a pause that lets a late write land (a
create applied after its timeout shows up as a duplicate, which the next pass deletes).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flashcat_prefect.client import FlashcatClient
from flashcat_prefect.client.errors import (
    FlashcatError,
    InvalidParameterError,
    ResourceNotFoundError,
    is_retryable,
    surely_not_applied,
)
from flashcat_prefect.client.pagination import items_of
from flashcat_prefect.flows._holiday_plan import (
    WRITE_ACTIONS,
    CalendarEvent,
    DayChange,
    Prune,
    plan_calendar_changes,
)
from flashcat_prefect.flows._holiday_sources import DesiredDay, invalid

MAX_SYNC_PASSES = 4
"""Write passes per year before giving up: the first plus three repairs after faults."""
PASS_BACKOFF_SECONDS = 0.5
LOST_ANSWER_SETTLE_SECONDS = 2.0
"""How long a write whose answer was lost (timeout, 500, cut connection) gets to land on
the server before the final read-back."""
CALENDAR_DESCRIPTION = "Public holidays kept in step by the flashcat-prefect holiday sync."
DEFAULT_TIMEZONE = "Asia/Shanghai"
"""The time zone Flashduty gives a calendar created without one."""


class CalendarSyncIncomplete(FlashcatError):
    """The calendar still differs from the sources after every pass (retryable)."""

    retryable = True


@dataclass(frozen=True)
class CalendarRef:
    """The calendar a sync writes to; ``cal_id`` is None when a dry run would create it."""

    cal_id: str | None
    timezone: str = DEFAULT_TIMEZONE
    created: bool = False

    @classmethod
    def from_item(cls, item: Mapping[str, Any], *, created: bool = False) -> CalendarRef:
        return cls(str(item["cal_id"]), item.get("timezone") or DEFAULT_TIMEZONE, created)


def check_calendar(client: FlashcatClient, cal_id: str) -> CalendarRef:
    """The calendar ``cal_id``; fails clearly when the account has no such calendar."""
    try:
        info = client.request("/calendar/info", {"cal_id": cal_id})
    except (ResourceNotFoundError, InvalidParameterError):
        raise invalid("cal_id", f"no calendar {cal_id!r} in this account") from None
    return CalendarRef.from_item({"cal_id": cal_id, **(info or {})})


def find_calendar(client: FlashcatClient, name: str) -> CalendarRef | None:
    """The enabled calendar called ``name``, if there is one."""
    for item in items_of(client.request("/calendar/list", {})):
        if item.get("cal_name") == name and item.get("status", "enabled") == "enabled":
            return CalendarRef.from_item(item)
    return None


def create_calendar(client: FlashcatClient, name: str) -> CalendarRef:
    """Create the calendar ``name``; a create whose answer was lost is found, not repeated."""
    try:
        created = client.calendars.create(cal_name=name, description=CALENDAR_DESCRIPTION)
    except FlashcatError as exc:
        if not is_retryable(exc):
            raise
        found = find_calendar(client, name)
        if found is None:
            raise
        return CalendarRef(found.cal_id, found.timezone, created=True)
    return CalendarRef(str(created.cal_id), created=True)


def resolve_calendar(
    client: FlashcatClient,
    *,
    cal_id: str | None,
    name: str | None,
    create_if_missing: bool,
    dry_run: bool,
) -> CalendarRef:
    """The calendar by id, else by name; created when asked (a dry run only pretends)."""
    if cal_id:
        return check_calendar(client, cal_id)
    name = name or ""
    found = find_calendar(client, name)
    if found is not None:
        return found
    if not create_if_missing:
        raise invalid(
            "calendar_name", f"no calendar named {name!r}; pass create_if_missing=True to create it"
        )
    return CalendarRef(None) if dry_run else create_calendar(client, name)


def read_year(client: FlashcatClient, cal_id: str, year: int) -> list[CalendarEvent]:
    """Every event of the calendar that overlaps ``year``."""
    data = client.request("/calendar/event/list", {"cal_id": cal_id, "year": year})
    return [CalendarEvent.model_validate(item) for item in items_of(data)]


def write_change(client: FlashcatClient, cal_id: str, change: DayChange) -> None:
    """Send one create, update or delete (deleting an event that is gone already is fine:
    an event spanning two synced years is planned for deletion by both)."""
    if change.action == "delete":
        with contextlib.suppress(ResourceNotFoundError):
            client.calendars.delete_event(cal_id=cal_id, event_id=change.event_id)
    else:
        client.calendars.upsert_event(change.upsert_body(cal_id))


@dataclass
class YearSync:
    """The outcome of one year: the day-by-day plan and how many writes had to be redone."""

    year: int
    changes: list[DayChange]
    rewrites: int = 0
    faults: list[str] = field(default_factory=list)


def _writes(changes: list[DayChange]) -> list[DayChange]:
    return [change for change in changes if change.action in WRITE_ACTIONS]


def converge_year(
    client: FlashcatClient | None,
    cal_id: str | None,
    year: int,
    desired: Mapping[dt.date, DesiredDay],
    *,
    prune: Prune,
    dry_run: bool,
) -> YearSync:
    """Plan one year and, unless ``dry_run``, write until the calendar reads back right.

    ``cal_id=None`` (a calendar still to be created, dry run only) plans against no events.
    Retryable failures of single writes are collected and repaired by the next pass;
    anything else is raised at once.
    """
    existing = read_year(client, cal_id, year) if client is not None and cal_id else []
    plan = plan_calendar_changes(desired, existing, years=[year], prune=prune)
    result = YearSync(year, plan)
    if dry_run or client is None or cal_id is None:
        return result

    def pending_after_read_back() -> list[DayChange]:
        # Writes whose answers were lost may have been applied after all.
        existing = read_year(client, cal_id, year)
        return _writes(plan_calendar_changes(desired, existing, years=[year], prune=prune))

    pending = _writes(plan)
    answers_lost = False
    for attempt in range(MAX_SYNC_PASSES + 1):
        if not pending and answers_lost:
            time.sleep(LOST_ANSWER_SETTLE_SECONDS)
            answers_lost = False
            pending = pending_after_read_back()
        if not pending:
            return result
        if attempt == MAX_SYNC_PASSES:
            break
        if attempt:
            result.rewrites += len(pending)
            time.sleep(PASS_BACKOFF_SECONDS * 2 ** (attempt - 1))
        for change in pending:
            try:
                write_change(client, cal_id, change)
            except FlashcatError as exc:
                if not is_retryable(exc):
                    raise
                answers_lost = answers_lost or not surely_not_applied(exc)
                result.faults.append(f"{change.day} {change.action}: {type(exc).__name__}")
        pending = pending_after_read_back()
    raise CalendarSyncIncomplete(
        f"calendar {cal_id} still needs {len(pending)} writes for {year} after "
        f"{MAX_SYNC_PASSES} passes (last faults: {'; '.join(result.faults[-3:])})"
    )
