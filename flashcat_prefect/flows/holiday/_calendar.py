"""The holiday sync's calls to Flashduty: find or create the calendar, read a year, write.

Writes are made safe to repeat by reading back instead of trusting answers: the client does
not resend a write after a 500 or a lost answer (the server may have applied it), so
:func:`converge_year` re-reads the year after every pass and plans again. A create whose
answer was lost then shows up as an existing event and is not created twice; a delete that
did happen is not planned again. A create whose answer timed out may land at any later
moment: the loop does not create its day again but keeps re-reading until every such create
has shown up, or a bounded wait ends (then the day is created again). A
:class:`WriteLedger` counts what the writes did across every pass, for the report.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
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
from flashcat_prefect.flows import _late_writes
from flashcat_prefect.flows._late_writes import may_still_land
from flashcat_prefect.flows._records import record, records
from flashcat_prefect.flows.holiday._plan import (
    WRITE_ACTIONS,
    CalendarEvent,
    DayChange,
    EventContent,
    Prune,
    plan_calendar_changes,
)
from flashcat_prefect.flows.holiday._sources import DesiredDay, invalid

MAX_SYNC_PASSES = 6
"""Write passes (and failed read-backs) per year before giving up: the first plus repairs."""
PASS_BACKOFF_SECONDS = 0.5
PASS_BACKOFF_CAP = 8.0

CALENDAR_DESCRIPTION = "Public holidays kept in step by the flashcat-prefect holiday sync."
DEFAULT_TIMEZONE = "Asia/Shanghai"
"""The time zone Flashduty gives a calendar created without one."""


class CalendarSyncIncomplete(FlashcatError):
    """The calendar still differs from the sources after every pass (retryable)."""

    retryable = True


class CalendarNotFoundError(FlashcatError):
    """The calendar named by ``cal_id`` does not exist: the API said so (so unlike a
    validation error, a request was sent and the flow run failed)."""


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
        info = client.calendars.info(cal_id=cal_id)
    except (ResourceNotFoundError, InvalidParameterError):
        raise CalendarNotFoundError(
            f"cal_id: the API has no calendar {cal_id[:80]!r} in this account "
            "(it was asked; nothing was written)"
        ) from None
    return CalendarRef.from_item({"cal_id": cal_id, **record(info)})


def find_calendar(client: FlashcatClient, name: str) -> CalendarRef | None:
    """The enabled calendar called ``name``, if there is one."""
    for item in records(client.calendars.list()):
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
    listed = client.calendars.list_events(cal_id=cal_id, year=year)
    return [CalendarEvent.model_validate(item) for item in records(listed)]


def write_change(client: FlashcatClient, cal_id: str, change: DayChange) -> str | None:
    """Send one create, update or delete; the event id a create made, else None.

    Raises ``ResourceNotFoundError`` for a delete of an event that is gone already (another
    sync, or a late copy of this one's own delete, got there first)."""
    if change.action == "delete":
        client.calendars.delete_event(cal_id=cal_id, event_id=change.event_id)
        return None
    answer = client.calendars.upsert_event(change.upsert_body(cal_id))
    event_id = (
        answer.get("event_id") if isinstance(answer, Mapping) else getattr(answer, "event_id", None)
    )
    return str(event_id) if event_id else None


@dataclass
class WriteLedger:
    """What the writes of one year did, across every pass: the counts of the report.

    A create whose answer was lost is *in doubt* until an event of the flow's own that this
    sync has not seen before shows up on its day (then it took effect). Updates and deletes
    are counted per event, so a late copy of one (same content, or a delete of an event
    already gone) never counts twice.
    """

    known_ids: set[str] = field(default_factory=set)
    created: int = 0
    updated_ids: set[str] = field(default_factory=set)
    deleted_ids: set[str] = field(default_factory=set)
    doubtful_creates: Counter[dt.date] = field(default_factory=Counter)
    in_flight_creates: Counter[dt.date] = field(default_factory=Counter)
    doubtful_deletes: set[str] = field(default_factory=set)
    doubtful_updates: dict[str, tuple[dt.date, EventContent]] = field(default_factory=dict)

    def done(self, change: DayChange, event_id: str | None) -> None:
        if change.action == "create":
            self.created += 1
            if event_id:
                self.known_ids.add(event_id)
        elif change.action == "update" and change.event_id:
            self.updated_ids.add(change.event_id)
        elif change.action == "delete" and change.event_id:
            self.deleted_ids.add(change.event_id)

    def in_doubt(self, change: DayChange, *, still_landing: bool) -> None:
        if change.action == "create":
            self.doubtful_creates[change.day] += 1
            if still_landing:
                self.in_flight_creates[change.day] += 1
        elif change.action == "delete" and change.event_id:
            self.doubtful_deletes.add(change.event_id)
        elif change.action == "update" and change.event_id:
            content = EventContent(change.summary, change.description, bool(change.is_off))
            self.doubtful_updates[change.event_id] = (change.day, content)

    def observe(self, events: list[CalendarEvent]) -> None:
        """Settle the writes in doubt that this read of the calendar shows."""
        present = {event.event_id: event for event in events}
        for event in sorted(events, key=lambda event: event.event_id):
            if event.event_id in self.known_ids:
                continue
            self.known_ids.add(event.event_id)
            day = event.start_at
            if event.owned and self.doubtful_creates[day] > 0:
                self.doubtful_creates[day] -= 1
                self.created += 1
                if self.in_flight_creates[day] > 0:
                    self.in_flight_creates[day] -= 1
        for event_id in list(self.doubtful_deletes):
            if event_id not in present:
                self.doubtful_deletes.discard(event_id)
                self.deleted_ids.add(event_id)
        for event_id, (day, content) in list(self.doubtful_updates.items()):
            event = present.get(event_id)
            if event is not None and event.matches(day, content):
                del self.doubtful_updates[event_id]
                self.updated_ids.add(event_id)

    @property
    def still_landing(self) -> int:
        """Creates whose request may still be applied by the server."""
        return sum(self.in_flight_creates.values())

    def landing_on(self, change: DayChange) -> bool:
        """Whether ``change`` creates a day that an unanswered create may still fill."""
        return change.action == "create" and self.in_flight_creates[change.day] > 0

    def stop_waiting(self) -> int:
        """Give up on the creates still in flight (their days may be created again); how
        many there were."""
        given_up = self.still_landing
        self.in_flight_creates.clear()
        return given_up


@dataclass
class YearSync:
    """The outcome of one year: the day-by-day plan, what the writes did and how many had to
    be redone."""

    year: int
    changes: list[DayChange]
    rewrites: int = 0
    faults: list[str] = field(default_factory=list)
    ledger: WriteLedger | None = None
    unsettled: int = 0
    """Creates whose answer timed out and that had not shown up when the wait ended."""


def _writes(changes: list[DayChange]) -> list[DayChange]:
    return [change for change in changes if change.action in WRITE_ACTIONS]


def _write_pass(
    client: FlashcatClient, cal_id: str, pending: list[DayChange], result: YearSync
) -> None:
    """Send ``pending`` once, recording each outcome; retryable failures are left to the
    next pass, anything else is raised."""
    ledger = result.ledger
    assert ledger is not None
    for change in pending:
        try:
            event_id = write_change(client, cal_id, change)
        except ResourceNotFoundError:
            if change.action != "delete":
                raise
            continue  # gone already: this delete did nothing
        except FlashcatError as exc:
            if not is_retryable(exc):
                raise
            if not surely_not_applied(exc):
                ledger.in_doubt(change, still_landing=may_still_land(exc))
            result.faults.append(f"{change.day} {change.action}: {type(exc).__name__}")
            continue
        ledger.done(change, event_id)


def _read_back(
    client: FlashcatClient, cal_id: str, year: int, result: YearSync
) -> list[CalendarEvent]:
    """Read the year again; a read that still fails after the client's own retries is tried
    again after a pause (writes are never planned without a fresh read)."""
    for attempt in range(MAX_SYNC_PASSES):
        try:
            return read_year(client, cal_id, year)
        except FlashcatError as exc:
            if not is_retryable(exc) or attempt == MAX_SYNC_PASSES - 1:
                raise
            result.faults.append(f"read-back: {type(exc).__name__}")
            time.sleep(min(PASS_BACKOFF_SECONDS * 2**attempt, PASS_BACKOFF_CAP))
    raise AssertionError("unreachable")


def converge_year(
    client: FlashcatClient | None,
    cal_id: str | None,
    year: int,
    desired: Mapping[dt.date, DesiredDay],
    *,
    prune: Prune,
    dry_run: bool,
    late_write_wait: float | None = None,
) -> YearSync:
    """Plan one year and, unless ``dry_run``, write until the calendar reads back right.

    ``cal_id=None`` (a calendar still to be created, dry run only) plans against no events.
    Retryable failures of single writes (and of the read-backs) are repaired by the next
    pass; anything else is raised at once. A create whose answer never came may still land:
    its day is not created again while it may (that would write the day twice); once
    nothing else is left to write, the sync keeps re-reading until every such create has
    shown up, or until ``late_write_wait`` seconds (default
    ``_late_writes.LATE_WRITE_WAIT_SECONDS``) passed without them. Those are then reported
    as ``unsettled`` and their days created again; should one land after all while the sync
    still runs, its duplicate is removed.
    """
    existing = read_year(client, cal_id, year) if client is not None and cal_id else []
    plan = plan_calendar_changes(desired, existing, years=[year], prune=prune)
    result = YearSync(year, plan)
    if dry_run or client is None or cal_id is None:
        return result
    wait = _late_writes.LATE_WRITE_WAIT_SECONDS if late_write_wait is None else late_write_wait
    ledger = result.ledger = WriteLedger(known_ids={event.event_id for event in existing})
    planned = {(change.day, change.action, change.event_id) for change in plan}
    pending = _writes(plan)
    passes = 0
    quiet_since: float | None = None
    poll = _late_writes.POLL_FIRST_SECONDS
    while pending or ledger.still_landing:
        sendable = [change for change in pending if not ledger.landing_on(change)]
        if sendable:
            if passes == MAX_SYNC_PASSES:
                raise CalendarSyncIncomplete(
                    f"calendar {cal_id} still needs {len(pending)} writes for {year} after "
                    f"{MAX_SYNC_PASSES} passes (last faults: {'; '.join(result.faults[-3:])})"
                )
            if passes:
                result.rewrites += len(sendable)
                time.sleep(min(PASS_BACKOFF_SECONDS * 2 ** (passes - 1), PASS_BACKOFF_CAP))
            passes += 1
            _write_pass(client, cal_id, sendable, result)
        else:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= wait:
                result.unsettled += ledger.stop_waiting()
                continue  # the days they left empty are created now
            time.sleep(poll)
            poll = min(poll * 2, _late_writes.POLL_CAP_SECONDS)
        existing = _read_back(client, cal_id, year, result)
        ledger.observe(existing)
        repairs = _writes(plan_calendar_changes(desired, existing, years=[year], prune=prune))
        result.changes += [
            change.model_copy(update={"note": change.note or "repair after a fault"})
            for change in repairs
            if (change.day, change.action, change.event_id) not in planned
        ]
        planned |= {(change.day, change.action, change.event_id) for change in repairs}
        pending = repairs
    return result
