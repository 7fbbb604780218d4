"""The holiday sync's parameters: checked before any request, then turned into desired days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import UnionType
from typing import Any

from flashcat_prefect.flows.holiday._plan import FIRST_LISTABLE_YEAR, SUMMARY_MAX_CHARS, Prune
from flashcat_prefect.flows.holiday._sources import (
    DesiredDay,
    HolidayEntity,
    SourceDay,
    describe_location,
    holiday_library_days,
    ics_days,
    invalid,
    is_year_published,
    merge_source_days,
    read_ics,
    validate_language,
)

LAST_YEAR = 2100

IcsInput = str | Path | Iterable[str | Path] | None
YearsInput = int | Iterable[int] | None


@dataclass(frozen=True)
class SyncRequest:
    """Validated parameters of one holiday sync."""

    cal_id: str | None
    calendar_name: str | None
    create_if_missing: bool
    entities: tuple[HolidayEntity, ...]
    ics: tuple[str, ...]
    years: tuple[int, ...]
    language: str | None
    include_workdays: bool
    prune: Prune
    dry_run: bool
    force_years: bool

    @property
    def source_labels(self) -> list[str]:
        return [entity.label for entity in self.entities] + [describe_location(i) for i in self.ics]


@dataclass
class DesiredDays:
    """What the sources want, per year, and the years left out because they are unpublished."""

    by_year: dict[int, dict[dt.date, DesiredDay]] = field(default_factory=dict)
    skipped_years: dict[int, list[str]] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return sorted(self.by_year)


def _text(value: object, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise invalid(name, "must be a non-empty string")
    return value.strip()


def _as_list(value: object, single: type | UnionType) -> list[Any] | None:
    """``[value]`` for one ``single`` value, the items of any other iterable, else None."""
    if isinstance(value, single):
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return None


def _years(years: YearsInput, today: dt.date) -> tuple[int, ...]:
    if years is None:
        return (today.year, today.year + 1)
    values = _as_list(years, int)
    if values is None:
        raise invalid("years", f"must be a year or a list of years, got {type(years).__name__}")
    if not values:
        raise invalid("years", "must name at least one year")
    for year in values:
        if isinstance(year, bool) or not isinstance(year, int):
            raise invalid("years", f"must be integers, got {type(year).__name__}")
        if not FIRST_LISTABLE_YEAR <= year <= LAST_YEAR:
            raise invalid("years", f"each year must be in {FIRST_LISTABLE_YEAR}..{LAST_YEAR}")
    return tuple(sorted(set(values)))


def _ics(ics: IcsInput) -> tuple[str, ...]:
    if ics is None:
        return ()
    items = _as_list(ics, str | Path)
    if items is None:
        raise invalid("ics", f"must be a path or URL or a list of them, got {type(ics).__name__}")
    locations = []
    for item in items:
        if not isinstance(item, str | Path) or not str(item).strip():
            raise invalid("ics", "each entry must be a non-empty path or http(s) URL")
        locations.append(str(item).strip())
    return tuple(locations)


def validate_sync_parameters(
    *,
    cal_id: str | None = None,
    country: str | None = None,
    years: YearsInput = None,
    subdivision: str | None = None,
    language: str | None = None,
    financial_market: str | None = None,
    ics: IcsInput = None,
    include_workdays: bool = True,
    prune: Prune = False,
    dry_run: bool = False,
    force_years: bool = False,
    create_if_missing: bool = False,
    calendar_name: str | None = None,
    today: dt.date | None = None,
) -> SyncRequest:
    """Check every parameter and name the field and rule of the first one that is wrong."""
    cal_id, calendar_name = _text(cal_id, "cal_id"), _text(calendar_name, "calendar_name")
    country, subdivision = _text(country, "country"), _text(subdivision, "subdivision")
    financial_market, language = (
        _text(financial_market, "financial_market"),
        _text(language, "language"),
    )
    if cal_id is None and calendar_name is None:
        raise invalid(
            "cal_id", "give cal_id, or calendar_name (with create_if_missing=True to create it)"
        )
    if calendar_name is not None and len(calendar_name) > SUMMARY_MAX_CHARS:
        raise invalid("calendar_name", f"at most {SUMMARY_MAX_CHARS} characters")
    if subdivision and not country:
        raise invalid("subdivision", "needs country")
    if prune not in (False, True, "all"):
        raise invalid("prune", "must be False, True or 'all'")
    for name, flag in (
        ("include_workdays", include_workdays),
        ("dry_run", dry_run),
        ("force_years", force_years),
        ("create_if_missing", create_if_missing),
    ):
        if not isinstance(flag, bool):
            raise invalid(name, "must be true or false")
    entities = []
    if country:
        entities.append(HolidayEntity(country=country.upper(), subdivision=subdivision))
    if financial_market:
        entities.append(HolidayEntity(financial_market=financial_market.upper()))
    locations = _ics(ics)
    if not entities and not locations:
        raise invalid("country", "give at least one source: country, financial_market or ics")
    for entity in entities:
        entity.library_class  # noqa: B018 (raises for unknown codes)
        validate_language(entity, language)
    return SyncRequest(
        cal_id=cal_id,
        calendar_name=calendar_name,
        create_if_missing=create_if_missing,
        entities=tuple(entities),
        ics=locations,
        years=_years(years, today or dt.datetime.now(dt.UTC).date()),
        language=language,
        include_workdays=include_workdays,
        prune=prune,
        dry_run=dry_run,
        force_years=force_years,
    )


def collect_desired_days(request: SyncRequest, *, timezone: str | None = None) -> DesiredDays:
    """Read every source and merge their days, per year; unpublished years are left out
    (with the reason) unless ``force_years``. ``timezone`` is the calendar's: it places
    timed ICS events on dates."""
    result = DesiredDays()
    years = list(request.years)
    for year in years:
        unpublished = [e.label for e in request.entities if not is_year_published(e, year)]
        if unpublished and not request.force_years:
            result.skipped_years[year] = unpublished
    kept = [year for year in years if year not in result.skipped_years]
    if not kept:
        return result
    days: list[SourceDay] = []
    for entity in request.entities:
        days += holiday_library_days(
            entity, kept, language=request.language, include_workdays=request.include_workdays
        )
    for location in request.ics:
        days += ics_days(
            read_ics(location),
            kept,
            source=describe_location(location),
            include_workdays=request.include_workdays,
            timezone=timezone,
        )
    merged = merge_source_days(days)
    for year in kept:
        result.by_year[year] = {day: wanted for day, wanted in merged.items() if day.year == year}
    return result
