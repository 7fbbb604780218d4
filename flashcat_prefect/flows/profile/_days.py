"""Is a day a day off? From a service calendar's events or from public holidays (pure).

Service calendar: events are whole days, ``start_at`` inclusive and ``end_at`` exclusive
(``YYYY-MM-DD``). An event marked as a working day (``is_off`` false, e.g. a make-up
workday) wins over one marked off; with no event, days outside the calendar's
``workdays`` (weekday numbers, 0 = Sunday; default Monday to Friday) are off when
``count_weekends`` is on.

Holidays source: the ``holidays`` library's working-day test for a country (weekends,
public holidays and the country's make-up workdays).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flashcat_prefect.client.errors import FlashcatValidationError
from flashcat_prefect.flows.holiday._plan import FIRST_LISTABLE_YEAR
from flashcat_prefect.flows.holiday._sources import HolidayEntity

DEFAULT_WORKDAYS: tuple[int, ...] = (1, 2, 3, 4, 5)
"""Monday to Friday, in the calendar's numbering (0 = Sunday)."""


@dataclass(frozen=True)
class DayVerdict:
    """Whether ``day`` is off, and why (for the report)."""

    day: date
    is_off: bool
    reason: str


def calendar_weekday(day: date) -> int:
    """Weekday number as calendars count it: 0 = Sunday ... 6 = Saturday."""
    return day.isoweekday() % 7


def event_years(day: date) -> list[int]:
    """The years of a service calendar to read to decide ``day``: its own and, in January,
    the year before too (an event may run from December into January), never a year the
    API cannot list. A ``day`` before :data:`FIRST_LISTABLE_YEAR` is refused, naming it."""
    if day.year < FIRST_LISTABLE_YEAR:
        rule = f"a service calendar can be read for days from {FIRST_LISTABLE_YEAR} on"
        raise FlashcatValidationError(f"day: {rule}", [("day", rule)])
    first = day.year - 1 if day.month == 1 else day.year
    return list(range(max(first, FIRST_LISTABLE_YEAR), day.year + 1))


def events_covering(day: date, events: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Events whose ``[start_at, end_at)`` range contains ``day``."""
    covering = []
    for event in events:
        start = date.fromisoformat(str(event["start_at"]))
        end = date.fromisoformat(str(event["end_at"]))
        if start <= day < end or (start == end == day):
            covering.append(event)
    return covering


def calendar_day_verdict(
    day: date,
    events: Iterable[Mapping[str, Any]],
    workdays: Sequence[int] | None = None,
    *,
    count_weekends: bool = True,
) -> DayVerdict:
    """Decide ``day`` from a service calendar's events and weekly workdays."""
    covering = events_covering(day, events)
    working = [e for e in covering if not e.get("is_off")]
    if working:
        return DayVerdict(
            day, False, f"working day per calendar event {working[0].get('summary')!r}"
        )
    off = [e for e in covering if e.get("is_off")]
    if off:
        return DayVerdict(day, True, f"day off per calendar event {off[0].get('summary')!r}")
    weekly = tuple(workdays) if workdays else DEFAULT_WORKDAYS
    if count_weekends and calendar_weekday(day) not in weekly:
        return DayVerdict(day, True, f"{day:%A} is not one of the calendar's workdays")
    return DayVerdict(day, False, "no day-off event in the calendar")


def holiday_day_verdict(day: date, country: str, subdivision: str | None = None) -> DayVerdict:
    """Decide ``day`` from the public holidays and weekends of ``country`` (holiday names in
    the country's own language, whatever the process locale)."""
    calendar = HolidayEntity(country=country, subdivision=subdivision).build([day.year])
    name = calendar.get(day)
    if not calendar.is_working_day(day):
        reason = f"public holiday {name!r}" if name else f"{day:%A} is a weekend day in {country}"
        return DayVerdict(day, True, reason)
    reason = f"working day in {country}" + (f" (despite {name!r})" if name else "")
    return DayVerdict(day, False, reason)
