"""Holiday sources without Prefect or HTTP: the holidays library, ICS files, merging."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import holidays
import pytest

from flashcat_prefect.client.errors import FlashcatValidationError
from flashcat_prefect.flows.holiday._sources import (
    HolidayEntity,
    SourceDay,
    describe_location,
    holiday_library_days,
    ics_days,
    is_year_published,
    merge_source_days,
    read_ics,
    validate_language,
)

DATA = Path(__file__).parent / "data" / "holiday"
CHINA = HolidayEntity(country="CN")
D = dt.date


def test_china_2026_matches_the_library_days_off_and_makeup_workdays():
    reference = holidays.country_holidays("CN", years=2026)
    days = holiday_library_days(CHINA, [2026])

    off = {day.day for day in days if day.is_off}
    working = {day.day for day in days if not day.is_off}
    assert off == set(reference)
    assert working == {day for day in reference.weekend_workdays if day.year == 2026}
    assert D(2026, 10, 10) in working
    assert all(day.weekday() >= 5 for day in working)
    assert {day.source for day in days} == {"holidays:CN"}


def test_names_follow_the_language_and_default_to_the_country_language():
    english = {d.day: d.name for d in holiday_library_days(CHINA, [2026], language="en_US")}
    default = {d.day: d.name for d in holiday_library_days(CHINA, [2026])}
    assert english[D(2026, 10, 1)] == "National Day"
    assert default[D(2026, 10, 1)] == "国庆节"


def test_workdays_can_be_left_out():
    days = holiday_library_days(CHINA, [2026], include_workdays=False)
    assert days and all(day.is_off for day in days)


def test_a_year_counts_as_published_only_with_makeup_workdays_in_china():
    verdicts = {}
    for year in range(2025, 2036):
        makeup = [
            d
            for d in holidays.country_holidays("CN", years=year).weekend_workdays
            if d.year == year
        ]
        verdicts[year] = is_year_published(CHINA, year)
        assert verdicts[year] == bool(makeup), year
    assert verdicts[2026] is True
    assert False in verdicts.values(), "expected some not-yet-announced year to test against"


def test_countries_without_makeup_days_are_always_published():
    assert is_year_published(HolidayEntity(country="US", subdivision="CA"), 2035)


def test_a_market_follows_its_parent_country_announcements():
    for year in (2026, 2035):
        assert is_year_published(HolidayEntity(financial_market="XSHG"), year) == (
            is_year_published(CHINA, year)
        )


def test_financial_market_days_are_the_library_market_days():
    market = HolidayEntity(financial_market="XSHG")
    days = holiday_library_days(market, [2026])
    assert {d.day for d in days} == set(holidays.financial_holidays("XSHG", years=2026))
    assert {d.source for d in days} == {"holidays:XSHG"}


def test_bad_codes_and_languages_name_the_field():
    with pytest.raises(FlashcatValidationError, match="country"):
        holiday_library_days(HolidayEntity(country="QQ"), [2026])
    with pytest.raises(FlashcatValidationError, match="subdivision"):
        holiday_library_days(HolidayEntity(country="CN", subdivision="ZZ"), [2026])
    with pytest.raises(FlashcatValidationError, match="financial_market"):
        holiday_library_days(HolidayEntity(financial_market="NOPE"), [2026])
    with pytest.raises(FlashcatValidationError, match=r"language: 'de'.*zh_CN"):
        validate_language(CHINA, "de")
    validate_language(CHINA, "en_US")


def test_ics_expands_recurring_events_and_multi_day_spans():
    content = (DATA / "company.ics").read_bytes()
    days = ics_days(content, [2026], source="ics:company.ics")
    by_date = {d.day: d for d in days}

    # Yearly founders' day; quarterly rest day (COUNT=4 from January, July excluded by EXDATE);
    # a three-day offsite (end date exclusive); a timed Saturday marked as a working day.
    quarterly = {D(2026, 1, 5), D(2026, 4, 5), D(2026, 10, 5)}
    offsite = {D(2026, 11, 11), D(2026, 11, 12), D(2026, 11, 13)}
    assert set(by_date) == {D(2026, 3, 16), *quarterly, *offsite, D(2026, 12, 5)}
    assert by_date[D(2026, 3, 16)].name == "Founders' Day"
    assert not by_date[D(2026, 12, 5)].is_off
    assert all(by_date[day].is_off for day in quarterly | offsite)

    next_year = {d.day for d in ics_days(content, [2027])}
    assert next_year == {D(2027, 3, 16)}, "only the yearly event recurs in 2027"


def test_ics_workday_events_can_be_left_out():
    content = (DATA / "company.ics").read_bytes()
    days = ics_days(content, [2026], include_workdays=False)
    assert D(2026, 12, 5) not in {d.day for d in days}


def test_ics_errors_name_the_field(tmp_path):
    with pytest.raises(FlashcatValidationError, match="ics: no such file"):
        read_ics(tmp_path / "missing.ics")
    with pytest.raises(FlashcatValidationError, match=r"ics: .*not a valid iCalendar"):
        ics_days(b"this is not a calendar", [2026])


def test_ics_labels_never_carry_url_secrets():
    label = describe_location("https://user:pw@cal.example.test:8443/feed.ics?token=s3cret")
    assert label == "ics:https://cal.example.test:8443/feed.ics"
    assert describe_location(DATA / "company.ics") == "ics:company.ics"


def test_merge_lets_a_day_off_win_and_joins_agreeing_names():
    merged = merge_source_days(
        [
            SourceDay(D(2026, 10, 10), "调休上班", False, "holidays:CN"),
            SourceDay(D(2026, 10, 10), "Team day", True, "ics:a"),
            SourceDay(D(2026, 10, 1), "国庆节", True, "holidays:CN"),
            SourceDay(D(2026, 10, 1), "National Day", True, "ics:a"),
            SourceDay(D(2026, 10, 1), "国庆节", True, "ics:b"),
        ]
    )
    assert merged[D(2026, 10, 10)].is_off is True
    assert merged[D(2026, 10, 10)].name == "Team day"
    assert merged[D(2026, 10, 10)].sources == ("ics:a",)
    assert merged[D(2026, 10, 1)].name == "国庆节 / National Day"
    assert merged[D(2026, 10, 1)].sources == ("holidays:CN", "ics:a", "ics:b")


TIMED_UTC_EVENT = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//flashcat-prefect tests//EN
BEGIN:VEVENT
UID:late-night@example.test
DTSTAMP:20250101T000000Z
DTSTART:20260531T170000Z
DTEND:20260531T180000Z
SUMMARY:Late-night change freeze
END:VEVENT
END:VCALENDAR
"""


def test_timed_events_fall_on_the_date_of_the_calendar_time_zone():
    # 17:00 UTC on May 31 is 01:00 on June 1 in Shanghai.
    shanghai = ics_days(TIMED_UTC_EVENT, [2026], timezone="Asia/Shanghai")
    assert [d.day for d in shanghai] == [D(2026, 6, 1)]
    as_written = ics_days(TIMED_UTC_EVENT, [2026])
    assert [d.day for d in as_written] == [D(2026, 5, 31)]
    with pytest.raises(FlashcatValidationError, match="timezone"):
        ics_days(TIMED_UTC_EVENT, [2026], timezone="Mars/Olympus")
