"""Service calendars and their events.

Events are days: ``start_at``/``end_at`` are ``YYYY-MM-DD`` with the end exclusive.
``/calendar/event/upsert`` creates when ``event_id`` is absent and updates the named event
otherwise; ``/calendar/event/list`` keeps the events that overlap the requested year, month
or day (all events when none is given). Deleting a calendar leaves its events unreachable
(listing needs the calendar) rather than erasing them.
"""

from __future__ import annotations

import calendar as cal_module
import datetime as dt
from typing import Any

from flashcat_prefect.emulator.errors import invalid, not_found
from flashcat_prefect.emulator.handlers.base import RequestContext, handles

CALENDARS = "/calendar"
EVENTS = "/calendar/event"


def _calendar(ctx: RequestContext) -> dict[str, Any]:
    return ctx.state.store.collection(CALENDARS).get(ctx.body["cal_id"])


def _day(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise invalid(f"{field}: must be a date YYYY-MM-DD, got {value!r}") from None


@handles("/calendar/create")
def create_calendar(ctx: RequestContext) -> dict[str, Any]:
    """A calendar made through the API is a ``personal`` one (the spec's other kinds are
    Flashduty's public holiday calendars)."""
    return ctx.state.store.new_record(
        CALENDARS,
        {"kind": "personal", "timezone": "Asia/Shanghai", "creator_id": ctx.person_id, **ctx.body},
    )


@handles("/calendar/event/upsert")
def upsert_event(ctx: RequestContext) -> dict[str, Any]:
    calendar = _calendar(ctx)
    body = ctx.body
    start, end = _day(body["start_at"], "start_at"), _day(body["end_at"], "end_at")
    if end <= start:
        raise invalid("end_at: must be after start_at (the end day is exclusive)")
    events = ctx.state.store.collection(EVENTS)
    event_id = body.get("event_id")
    if event_id:
        record = events.records.get(event_id)
        if record is None or record["cal_id"] != calendar["cal_id"]:
            raise not_found("event_id", event_id)
        record.update(body)
        record["updated_at"] = ctx.now
    else:
        record = ctx.state.store.new_record(
            EVENTS,
            {
                "description": "",
                "creator_id": ctx.person_id,
                **{k: v for k, v in body.items() if k != "event_id"},
            },
        )
    return {
        "cal_id": record["cal_id"],
        "event_id": record["event_id"],
        "summary": record["summary"],
    }


@handles("/calendar/event/delete")
def delete_event(ctx: RequestContext) -> None:
    events = ctx.state.store.collection(EVENTS)
    record = events.records.get(ctx.body["event_id"])
    if record is None or record["cal_id"] != ctx.body["cal_id"]:
        raise not_found("event_id", ctx.body["event_id"])
    del events.records[record["event_id"]]


@handles("/calendar/event/list")
def list_events(ctx: RequestContext) -> dict[str, Any]:
    calendar = _calendar(ctx)
    window = _window(ctx.body)
    items = []
    for record in ctx.state.store.collection(EVENTS).values():
        if record["cal_id"] != calendar["cal_id"]:
            continue
        if window is not None:
            start, end = (
                dt.date.fromisoformat(record["start_at"]),
                dt.date.fromisoformat(record["end_at"]),
            )
            if not (start < window[1] and end > window[0]):
                continue
        items.append(record)
    items.sort(key=lambda r: (r["start_at"], r["event_id"]))
    return {"items": items, "total": len(items)}


def _window(body: dict[str, Any]) -> tuple[dt.date, dt.date] | None:
    """The [first, after-last) days selected by year/month/day, or None for everything."""
    year, month, day = body.get("year"), body.get("month"), body.get("day")
    if not year:
        if month or day:
            raise invalid("year: is required when month or day is given")
        return None
    if day and not month:
        raise invalid("month: is required when day is given")
    try:
        if day:
            first = dt.date(year, month, day)
            return first, first + dt.timedelta(days=1)
        if month:
            last_day = cal_module.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last_day) + dt.timedelta(days=1)
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    except ValueError as exc:
        raise invalid(f"year/month/day: {exc}") from None
