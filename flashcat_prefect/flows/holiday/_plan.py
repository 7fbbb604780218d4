"""The pure part of the holiday sync: desired days vs. existing events, diffed by date.

The flow writes one calendar event per date (``start_at`` = the date, ``end_at`` = the next
date, exclusive). One event per day keeps the diff simple and idempotent: a date either has
the right event, a wrong one (update), none (create) or one too many (delete). Events the flow
writes carry :data:`OWNER_MARK` in their description; only those count as its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.flows.holiday._sources import DesiredDay

OWNER_MARK = "[managed by flashcat-prefect holiday sync]"
"""Tag in the description of every event the flow writes; ``prune`` touches only these."""

FIRST_LISTABLE_YEAR = 2023
"""``/calendar/event/list`` accepts years from 2023 on."""
SUMMARY_MAX_CHARS = 39
DESCRIPTION_MAX_CHARS = 499
ELLIPSIS = "…"

Prune = bool | Literal["all"]
Action = Literal["create", "update", "delete", "unchanged", "skipped"]
WRITE_ACTIONS: frozenset[str] = frozenset({"create", "update", "delete"})


def shorten(text: str, limit: int) -> str:
    """``text`` with whitespace collapsed, cut to ``limit`` characters at a word boundary when
    one is near the end, with an ellipsis marking the cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space >= limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:-/(") + ELLIPSIS


@dataclass(frozen=True)
class EventContent:
    """The fields the flow writes for one date."""

    summary: str
    description: str
    is_off: bool


def event_content(day: DesiredDay) -> EventContent:
    """The event for a desired day: a readable summary within the API limit, the full name and
    sources in the description, ending with the ownership mark."""
    name = day.name or ("Day off" if day.is_off else "Working day")
    footer = f"\nSource: {', '.join(day.sources)}\n{OWNER_MARK}"
    body = shorten(name, DESCRIPTION_MAX_CHARS - len(footer))
    return EventContent(shorten(name, SUMMARY_MAX_CHARS), body + footer, day.is_off)


class CalendarEvent(BaseModel):
    """An event as ``/calendar/event/list`` returns it (the fields the diff needs)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: str
    summary: str = ""
    description: str = ""
    start_at: dt.date
    end_at: dt.date
    is_off: bool

    @property
    def owned(self) -> bool:
        return OWNER_MARK in self.description

    @property
    def days(self) -> list[dt.date]:
        """Dates the event covers (``end_at`` is exclusive; a zero-length event covers its
        start)."""
        count = max((self.end_at - self.start_at).days, 1)
        return [self.start_at + dt.timedelta(days=offset) for offset in range(count)]

    def matches(self, day: dt.date, content: EventContent) -> bool:
        return (
            self.start_at == day
            and self.end_at == day + dt.timedelta(days=1)
            and (self.summary, self.description, self.is_off)
            == (content.summary, content.description, content.is_off)
        )


class DayChange(BaseModel):
    """One line of the day-by-day plan: what happens (or happened) to one date's event."""

    day: dt.date
    action: Action
    is_off: bool | None = None
    summary: str = ""
    description: str = Field(default="", repr=False)
    event_id: str | None = None
    note: str = ""

    def upsert_body(self, cal_id: str) -> dict[str, Any]:
        """The ``/calendar/event/upsert`` body for a create or update."""
        body: dict[str, Any] = {
            "cal_id": cal_id,
            "summary": self.summary,
            "description": self.description,
            "start_at": self.day.isoformat(),
            "end_at": (self.day + dt.timedelta(days=1)).isoformat(),
            "is_off": self.is_off,
        }
        if self.event_id:
            body["event_id"] = self.event_id
        return body


def _write(
    day: dt.date, action: Action, content: EventContent, event_id: str | None = None, note: str = ""
) -> DayChange:
    return DayChange(
        day=day,
        action=action,
        is_off=content.is_off,
        summary=content.summary,
        description=content.description,
        event_id=event_id,
        note=note,
    )


def _delete(event: CalendarEvent, note: str) -> DayChange:
    return DayChange(
        day=event.start_at,
        action="delete",
        is_off=event.is_off,
        summary=event.summary,
        event_id=event.event_id,
        note=note,
    )


def plan_calendar_changes(
    desired: Mapping[dt.date, DesiredDay],
    existing: Iterable[CalendarEvent],
    *,
    years: Collection[int],
    prune: Prune = False,
) -> list[DayChange]:
    """Diff the desired days against the calendar's events within ``years``.

    - A desired date with the flow's own single-day event is ``unchanged`` when the event is
      right and ``update``d otherwise; further own events on that date are duplicates and
      are always deleted.
    - A desired date without an own event is ``create``d, unless an event the flow does not
      own already covers it: with the same ``is_off`` that counts as ``unchanged``, with the
      other it is ``skipped`` (never overwrite someone else's entry).
    - Own events on dates no longer desired are deleted when ``prune`` is true, otherwise
      ``skipped``.
    - ``prune="all"`` makes the calendar match the sources exactly: foreign events are taken
      over (a single-day one on a desired date is updated) or deleted.
    """
    if prune not in (False, True, "all"):
        raise ValueError(f"prune: must be False, True or 'all', not {prune!r}")
    in_scope = set(years)
    events = {event.event_id: event for event in existing}
    by_date: dict[dt.date, list[CalendarEvent]] = {}
    for event in sorted(events.values(), key=lambda event: event.event_id):
        for day in event.days:
            if day.year in in_scope:
                by_date.setdefault(day, []).append(event)

    changes: list[DayChange] = []
    handled: set[str] = set()
    for day in sorted(d for d in desired if d.year in in_scope):
        content = event_content(desired[day])
        covering = by_date.get(day, [])
        own = [e for e in covering if e.owned and e.days == [day]]
        # Own events spanning several days are not the flow's shape: they are stale.
        foreign = [e for e in covering if not e.owned]
        if prune == "all":
            own += [e for e in foreign if e.days == [day]]
            foreign = [e for e in foreign if e.days != [day]]
        keeper = next((e for e in own if e.matches(day, content)), own[0] if own else None)
        for event in own:
            handled.add(event.event_id)
            if event is not keeper:
                changes.append(_delete(event, "duplicate"))
        if keeper is not None:
            if keeper.matches(day, content):
                changes.append(_write(day, "unchanged", content, keeper.event_id))
            else:
                note = "" if keeper.owned else "taken over"
                changes.append(_write(day, "update", content, keeper.event_id, note))
        elif prune == "all" or not foreign:
            changes.append(_write(day, "create", content))
        elif any(e.is_off == content.is_off for e in foreign):
            changes.append(
                _write(
                    day,
                    "unchanged",
                    content,
                    foreign[0].event_id,
                    "covered by an event this flow does not own",
                )
            )
        else:
            changes.append(
                _write(
                    day,
                    "skipped",
                    content,
                    foreign[0].event_id,
                    "an event this flow does not own says the opposite",
                )
            )

    stale = sorted(
        {
            e.event_id: e
            for events_on_day in by_date.values()
            for e in events_on_day
            if e.event_id not in handled
        }.values(),
        key=lambda event: (event.start_at, event.event_id),
    )
    for event in stale:
        if prune == "all" or (prune and event.owned):
            changes.append(
                _delete(event, "no longer in the sources" if event.owned else "not in the sources")
            )
        elif event.owned:
            changes.append(
                DayChange(
                    day=event.start_at,
                    action="skipped",
                    is_off=event.is_off,
                    summary=event.summary,
                    event_id=event.event_id,
                    note="no longer in the sources; prune=True deletes it",
                )
            )
    return sorted(changes, key=lambda change: (change.day, change.action != "delete"))


def count_actions(changes: Iterable[DayChange]) -> dict[str, int]:
    """How many changes of each action (every action present, zero when absent)."""
    counts = dict.fromkeys(get_args(Action), 0)
    for change in changes:
        counts[change.action] += 1
    return counts
