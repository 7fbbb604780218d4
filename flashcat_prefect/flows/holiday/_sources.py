"""Where the holiday sync gets its days: the ``holidays`` library and iCalendar files.

Every source turns into :class:`SourceDay` values, one per calendar date, which
:func:`merge_source_days` folds into the desired state of the calendar. Nothing here talks to
Flashduty; only :func:`read_ics` may fetch an ICS file over HTTP.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import httpx
import icalendar
import recurring_ical_events

from flashcat_prefect.client.errors import FlashcatError, FlashcatValidationError

WORKDAY_CATEGORIES = frozenset({"workday", "working day", "working-day", "makeup workday"})
"""ICS ``CATEGORIES`` values that turn an event into a working-day override (``is_off=false``)."""

MAKEUP_DAY_LOOKBACK_YEARS = 20
"""How many earlier years tell whether a country moves weekend days to working days."""

ICS_FETCH_TIMEOUT_SECONDS = 30.0
MAX_ICS_BYTES = 10 * 1024 * 1024
"""Largest ICS file read (10 MiB; a national holiday calendar is tens of kilobytes)."""


class HolidaySourceError(FlashcatError):
    """An ICS URL could not be fetched; ``retryable`` when the failure may pass."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        self.retryable = retryable
        super().__init__(message)


def invalid(field: str, rule: str) -> FlashcatValidationError:
    """The error for a bad parameter: it names the field and the rule it breaks."""
    return FlashcatValidationError(f"{field}: {rule}", [(field, rule)])


@dataclass(frozen=True, order=True)
class SourceDay:
    """One date as a source sees it: its name and whether it is a day off."""

    day: dt.date
    name: str
    is_off: bool
    source: str


@dataclass(frozen=True)
class DesiredDay:
    """What the calendar should say about one date once every source is merged."""

    day: dt.date
    name: str
    is_off: bool
    sources: tuple[str, ...]


# --- the holidays library ---------------------------------------------------------------------


@dataclass(frozen=True)
class HolidayEntity:
    """A country (optionally a subdivision) or a financial market of the ``holidays`` library."""

    country: str | None = None
    subdivision: str | None = None
    financial_market: str | None = None

    @property
    def label(self) -> str:
        if self.financial_market:
            return f"holidays:{self.financial_market}"
        return f"holidays:{self.country}" + (f"-{self.subdivision}" if self.subdivision else "")

    @property
    def library_class(self) -> type[holidays.HolidayBase]:
        """The ``holidays`` class behind the codes (raises on unknown codes)."""
        return type(self._library([], None))

    @property
    def default_language(self) -> str | None:
        """The language the library names this entity's holidays in by default."""
        return self.library_class.default_language

    def build(self, years: Iterable[int], language: str | None = None) -> holidays.HolidayBase:
        """The library's holiday set for ``years``; bad codes raise ``FlashcatValidationError``.

        The language is always named: left out, the library would pick one from the process
        locale, so the entity's own default is passed instead.
        """
        return self._library(years, language or self.default_language)

    def _library(self, years: Iterable[int], language: str | None) -> holidays.HolidayBase:
        try:
            if self.financial_market:
                return holidays.financial_holidays(
                    self.financial_market, years=list(years), language=language
                )
            return holidays.country_holidays(
                self.country, subdiv=self.subdivision, years=list(years), language=language
            )
        except NotImplementedError as exc:
            if self.financial_market:
                field = "financial_market"
            else:
                field = "subdivision" if "subdivision" in str(exc) else "country"
            raise invalid(field, str(exc)) from None


def validate_language(entity: HolidayEntity, language: str | None) -> None:
    """Reject a language the entity cannot name its holidays in (the library would silently
    fall back to its default)."""
    if language is None:
        return
    supported = entity.library_class.supported_languages
    if language not in supported:
        raise invalid(
            "language",
            f"{language!r} is not offered for {entity.label}; "
            f"choose one of {', '.join(sorted(supported))}",
        )


def makeup_workdays(calendar: holidays.HolidayBase, year: int) -> list[dt.date]:
    """Weekend dates of ``year`` that the calendar declares working days (China's 调休)."""
    return sorted(day for day in calendar.weekend_workdays if day.year == year)


def _country_of(entity: HolidayEntity) -> HolidayEntity:
    """The country whose announcements decide the entity's year (a market's parent country)."""
    if entity.country:
        return entity
    parent = getattr(entity.library_class, "parent_entity", None)
    parent_code = getattr(parent, "country", None)
    return HolidayEntity(country=parent_code) if parent_code else entity


def is_year_published(entity: HolidayEntity, year: int) -> bool:
    """Whether the source has published ``year``.

    The library extends fixed-date rules into any year, but countries that move weekend days
    to working days only know those moves once the government announces them. Such a country
    (one with makeup working days in any of the previous twenty years) has published a year only
    when it lists makeup working days for it. Other sources are always published.
    """
    country = _country_of(entity)
    if not country.country:
        return True
    lookback = range(year - MAKEUP_DAY_LOOKBACK_YEARS, year + 1)
    calendar = country.build(lookback)
    uses_makeup_days = any(makeup_workdays(calendar, earlier) for earlier in lookback[:-1])
    return not uses_makeup_days or bool(makeup_workdays(calendar, year))


def holiday_library_days(
    entity: HolidayEntity,
    years: Sequence[int],
    *,
    language: str | None = None,
    include_workdays: bool = True,
) -> list[SourceDay]:
    """Days off (and makeup working days) the ``holidays`` library reports for ``years``."""
    calendar = entity.build(years, language)
    wanted = set(years)
    days = [
        SourceDay(day, str(name), True, entity.label)
        for day, name in calendar.items()
        if day.year in wanted
    ]
    if include_workdays:
        label = _workday_label(language or calendar.default_language)
        for year in years:
            days.extend(
                SourceDay(day, label, False, entity.label)
                for day in makeup_workdays(calendar, year)
            )
    return sorted(days)


_WORKDAY_LABELS = {"zh_CN": "调休上班", "zh_TW": "補班"}


def _workday_label(language: str | None) -> str:
    return _WORKDAY_LABELS.get(language or "", "Working day (makeup)")


# --- iCalendar ----------------------------------------------------------------------------------


def describe_location(location: str | Path) -> str:
    """A label for an ICS location that is safe to log: URLs lose their query and userinfo."""
    text = str(location)
    parts = urlsplit(text)
    if parts.scheme in {"http", "https", "webcal"}:
        return f"ics:{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}{parts.path}"
    return f"ics:{Path(text).name}"


def read_ics(location: str | Path) -> bytes:
    """The bytes of an ICS file given as a local path or an http(s)/webcal URL; refused
    (before parsing) when over :data:`MAX_ICS_BYTES`."""
    text = str(location)
    scheme = urlsplit(text).scheme
    if scheme in {"http", "https", "webcal"}:
        url = "https" + text[len("webcal") :] if scheme == "webcal" else text
        try:
            return _fetch_bounded(url, text)
        except httpx.HTTPError as exc:
            # Never echo the URL itself: its query may carry a token.
            status = exc.response.status_code if isinstance(exc, httpx.HTTPStatusError) else None
            raise HolidaySourceError(
                f"ics: cannot fetch {describe_location(text)} "
                f"({f'HTTP {status}' if status else type(exc).__name__})",
                retryable=status is None or status >= 500 or status == 429,
            ) from None
    path = Path(text).expanduser()
    if not path.is_file():
        raise invalid("ics", f"no such file {text!r}")
    if path.stat().st_size > MAX_ICS_BYTES:
        raise _too_large(text)
    return path.read_bytes()


def _too_large(location: str) -> FlashcatValidationError:
    return invalid(
        "ics", f"{describe_location(location)} is over the limit of {MAX_ICS_BYTES} bytes"
    )


def _fetch_bounded(url: str, location: str) -> bytes:
    """GET ``url``, reading no more than :data:`MAX_ICS_BYTES` of its body."""
    with httpx.stream(
        "GET", url, timeout=ICS_FETCH_TIMEOUT_SECONDS, follow_redirects=True
    ) as response:
        response.raise_for_status()
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > MAX_ICS_BYTES:
                raise _too_large(location)
        return bytes(body)


def _as_date(value: dt.date | dt.datetime, zone: ZoneInfo | None) -> dt.date:
    if not isinstance(value, dt.datetime):
        return value
    if zone is not None and value.tzinfo is not None:
        value = value.astimezone(zone)
    return value.date()


def _occurrence_dates(event: icalendar.Event, zone: ZoneInfo | None) -> list[dt.date]:
    """Calendar dates one event occurrence covers (all-day end dates are exclusive); timed
    events with a time zone are placed on the dates they cover in ``zone``."""
    start = event.decoded("DTSTART")
    if "DTEND" in event:
        end = event.decoded("DTEND")
    elif "DURATION" in event:
        end = start + event.decoded("DURATION")
    else:
        end = start if isinstance(start, dt.datetime) else start + dt.timedelta(days=1)
    first = _as_date(start, zone)
    if isinstance(end, dt.datetime):
        # A timed event touches every date up to the one its last instant falls on.
        last = _as_date(end - dt.timedelta(microseconds=1), zone) if end > start else first
    else:
        last = end - dt.timedelta(days=1)
    count = max((last - first).days + 1, 1)
    return [first + dt.timedelta(days=offset) for offset in range(count)]


def _categories(event: icalendar.Event) -> set[str]:
    found: set[str] = set()
    raw = event.get("CATEGORIES")
    for item in raw if isinstance(raw, list) else [raw] if raw is not None else []:
        found.update(str(category).strip().lower() for category in item.cats)
    return found


def ics_days(
    content: bytes | str,
    years: Sequence[int],
    *,
    source: str = "ics",
    include_workdays: bool = True,
    timezone: str | None = None,
) -> list[SourceDay]:
    """Days an iCalendar document marks within ``years``, recurring events expanded.

    Every event is a day off unless its ``CATEGORIES`` name it a working day
    (:data:`WORKDAY_CATEGORIES`). Cancelled occurrences are ignored. ``timezone`` (the
    calendar's, an IANA name) decides the dates of timed events that carry a time zone.
    """
    try:
        zone = ZoneInfo(timezone) if timezone else None
    except (ZoneInfoNotFoundError, ValueError):
        raise invalid("timezone", f"{timezone!r} is not an IANA time zone") from None
    try:
        calendar = icalendar.Calendar.from_ical(content)
    except ValueError as exc:
        raise invalid("ics", f"{source} is not a valid iCalendar file ({exc})") from None
    wanted = set(years)
    window_start = dt.date(min(years), 1, 1)
    window_end = dt.date(max(years) + 1, 1, 1)
    days: list[SourceDay] = []
    for event in recurring_ical_events.of(calendar).between(window_start, window_end):
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        name = str(event.get("SUMMARY", "")).strip()
        is_off = not (_categories(event) & WORKDAY_CATEGORIES)
        if not is_off and not include_workdays:
            continue
        days.extend(
            SourceDay(day, name, is_off, source)
            for day in _occurrence_dates(event, zone)
            if day.year in wanted
        )
    return sorted(days)


# --- merging ------------------------------------------------------------------------------------


def merge_source_days(days: Iterable[SourceDay]) -> dict[dt.date, DesiredDay]:
    """Fold every source's days into one entry per date.

    A date that any source calls a day off is a day off; the names of the sources that agree
    with the outcome are joined with `` / `` in source order, without repeats.
    """
    by_date: dict[dt.date, list[SourceDay]] = {}
    for day in days:
        by_date.setdefault(day.day, []).append(day)
    merged: dict[dt.date, DesiredDay] = {}
    for date in sorted(by_date):
        entries = by_date[date]
        is_off = any(entry.is_off for entry in entries)
        winners = [entry for entry in entries if entry.is_off == is_off]
        names = list(dict.fromkeys(entry.name for entry in winners if entry.name))
        sources = tuple(dict.fromkeys(entry.source for entry in winners))
        merged[date] = DesiredDay(date, " / ".join(names), is_off, sources)
    return merged
