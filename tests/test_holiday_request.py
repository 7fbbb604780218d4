"""Holiday sync parameters: checked before any request, then turned into desired days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import holidays
import pytest

from flashcat_prefect.client.errors import FlashcatValidationError
from flashcat_prefect.flows.holiday._request import collect_desired_days, validate_sync_parameters
from flashcat_prefect.flows.holiday._sources import HolidayEntity, is_year_published

ICS = Path(__file__).parent / "data" / "holiday" / "company.ics"
CHINA = HolidayEntity(country="CN")


def first_unpublished_china_year() -> int:
    return next(year for year in range(2027, 2100) if not is_year_published(CHINA, year))


@pytest.mark.parametrize(
    ("parameters", "field"),
    [
        ({"country": "CN"}, "cal_id"),
        ({"cal_id": "cal.x"}, "country"),
        ({"cal_id": "", "country": "CN"}, "cal_id"),
        ({"cal_id": "cal.x", "subdivision": "CA"}, "subdivision"),
        ({"cal_id": "cal.x", "country": "CN", "prune": "some"}, "prune"),
        ({"cal_id": "cal.x", "country": "CN", "years": [2022]}, "years"),
        ({"cal_id": "cal.x", "country": "CN", "years": ["2026"]}, "years"),
        ({"cal_id": "cal.x", "country": "CN", "years": []}, "years"),
        ({"cal_id": "cal.x", "country": "CN", "years": 2026.0}, "years"),
        ({"cal_id": "cal.x", "ics": 5}, "ics"),
        ({"cal_id": "cal.x", "country": "CN", "language": "de"}, "language"),
        ({"cal_id": "cal.x", "country": "XX"}, "country"),
        ({"cal_id": "cal.x", "financial_market": "NOPE"}, "financial_market"),
        ({"cal_id": "cal.x", "ics": ["  "]}, "ics"),
        ({"cal_id": "cal.x", "country": "CN", "dry_run": "yes"}, "dry_run"),
        ({"calendar_name": "x" * 40, "country": "CN"}, "calendar_name"),
    ],
)
def test_bad_parameters_name_the_field(parameters, field):
    with pytest.raises(FlashcatValidationError) as caught:
        validate_sync_parameters(**parameters)
    assert str(caught.value).startswith(f"{field}:")
    assert caught.value.problems[0][0] == field


def test_defaults_sync_this_year_and_next():
    request = validate_sync_parameters(cal_id="cal.x", country="cn", today=dt.date(2026, 11, 22))
    assert request.years == (2026, 2027)
    assert request.entities == (CHINA,)
    assert request.prune is False and request.include_workdays is True


def test_several_sources_feed_one_calendar():
    request = validate_sync_parameters(cal_id="cal.x", country="CN", ics=[ICS], years=2026)
    days = collect_desired_days(request)
    wanted = days.by_year[2026]
    china = holidays.country_holidays("CN", years=2026)
    assert set(china) <= {day for day, d in wanted.items() if d.is_off}
    assert wanted[dt.date(2026, 3, 16)].sources == ("ics:company.ics",)
    assert wanted[dt.date(2026, 10, 10)].is_off is False
    assert request.source_labels == ["holidays:CN", "ics:company.ics"]


def test_unpublished_years_are_skipped_unless_forced():
    later = first_unpublished_china_year()
    request = validate_sync_parameters(cal_id="cal.x", country="CN", ics=ICS, years=[2026, later])
    days = collect_desired_days(request)
    assert days.years == [2026]
    assert days.skipped_years == {later: ["holidays:CN"]}

    forced = collect_desired_days(
        validate_sync_parameters(cal_id="cal.x", country="CN", years=[later], force_years=True)
    )
    assert forced.years == [later] and forced.by_year[later]
    assert all(day.is_off for day in forced.by_year[later].values()), "no makeup days known"
