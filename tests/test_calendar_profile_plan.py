"""Day-off decisions and calendar profile planning, without Prefect or HTTP."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from flashcat_prefect.client.errors import FlashcatValidationError
from flashcat_prefect.flows import CalendarProfilePlan
from flashcat_prefect.flows.profile._days import (
    calendar_day_verdict,
    calendar_weekday,
    event_years,
    holiday_day_verdict,
)
from flashcat_prefect.flows.profile._plan import RuleProfile, plan_profile
from flashcat_prefect.flows.rotation._rules import PlanCheckError, RuleKind

EXAMPLES = Path(__file__).parent.parent / "examples"


def event(start: str, end: str, is_off: bool, summary: str = "event") -> dict:
    return {"start_at": start, "end_at": end, "is_off": is_off, "summary": summary}


def test_calendar_events_cover_start_inclusive_end_exclusive() -> None:
    golden_week = [event("2026-10-01", "2026-10-08", True, "National Day")]
    assert calendar_day_verdict(date(2026, 10, 1), golden_week).is_off
    assert calendar_day_verdict(date(2026, 10, 7), golden_week).is_off
    verdict = calendar_day_verdict(date(2026, 10, 8), golden_week)  # a Thursday
    assert not verdict.is_off and "no day-off event" in verdict.reason


def test_a_working_day_event_beats_the_weekend_and_an_off_event() -> None:
    events = [
        event("2026-10-10", "2026-10-11", False, "make-up workday"),
        event("2026-10-10", "2026-10-12", True, "long weekend"),
    ]
    saturday = date(2026, 10, 10)
    assert calendar_weekday(saturday) == 6
    assert not calendar_day_verdict(saturday, events).is_off
    assert calendar_day_verdict(date(2026, 10, 11), events).is_off


def test_weekends_follow_the_calendar_workdays_unless_switched_off() -> None:
    sunday = date(2026, 11, 22)
    assert calendar_day_verdict(sunday, []).is_off
    assert not calendar_day_verdict(sunday, [], workdays=[0, 1, 2, 3, 4]).is_off
    assert not calendar_day_verdict(sunday, [], count_weekends=False).is_off


def test_january_reads_the_year_before_too_but_never_before_2023() -> None:
    assert event_years(date(2027, 1, 3)) == [2026, 2027]
    assert event_years(date(2027, 2, 1)) == [2027]
    assert event_years(date(2023, 1, 5)) == [2023]
    with pytest.raises(FlashcatValidationError, match=r"^day: ") as caught:
        event_years(date(2022, 12, 31))
    assert caught.value.problems[0][0] == "day"


def test_holidays_source_knows_public_holidays_and_make_up_days() -> None:
    assert holiday_day_verdict(date(2026, 10, 1), "CN").is_off
    verdict = holiday_day_verdict(date(2026, 1, 4), "CN")  # Sunday worked for New Year
    assert not verdict.is_off
    assert not holiday_day_verdict(date(2026, 11, 23), "CN").is_off


def test_holiday_names_do_not_follow_the_process_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C")
    reason = holiday_day_verdict(date(2026, 10, 1), "CN").reason
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert holiday_day_verdict(date(2026, 10, 1), "CN").reason == reason


def test_example_plan_loads() -> None:
    plan = CalendarProfilePlan.from_file(EXAMPLES / "calendar-profile.yaml")
    assert plan.source.cal_id or plan.source.country
    assert plan.day_off.enable and plan.working_day.enable


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({}, "exactly one of cal_id or country"),
        ({"cal_id": "cal.x", "country": "CN"}, "exactly one of cal_id or country"),
        ({"country": "XX"}, "'XX' is not a supported country"),
        ({"country": "US", "subdivision": "ZZ"}, "'ZZ' is not a subdivision of US"),
    ],
)
def test_bad_sources_are_refused(source: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        CalendarProfilePlan.model_validate({"source": source, "day_off": {}, "working_day": {}})


def test_a_profile_may_not_enable_and_disable_one_rule() -> None:
    rule = {"kind": "silence", "channel_id": 1, "rule_name": "Quiet"}
    with pytest.raises(ValidationError, match="both enabled and disabled"):
        RuleProfile.model_validate({"enable": [rule], "disable": [rule]})


def rule(kind: str, rule_id: str, name: str, status: str) -> dict:
    item = {"channel_id": 2001, "rule_id": rule_id, "rule_name": name, "status": status}
    if kind == "escalate":
        item |= {
            "template_id": "0" * 24,
            "layers": [{"target": {"person_ids": [101]}}, {"target": {"person_ids": [102]}}],
        }
    return item


LISTS = {
    (RuleKind.ESCALATE, 2001): [
        rule("escalate", "a" * 24, "Default", "enabled"),
        rule("escalate", "b" * 24, "Holiday", "disabled"),
    ],
    (RuleKind.SILENCE, 2001): [rule("silence", "c" * 24, "Quiet days", "disabled")],
}


def test_plan_profile_switches_statuses_and_layers_once_per_rule() -> None:
    profile = RuleProfile.model_validate(
        {
            "enable": [
                {"kind": "escalate", "channel_id": 2001, "rule_name": "Holiday"},
                {"kind": "silence", "channel_id": 2001, "rule_name": "Quiet days"},
            ],
            "disable": [{"kind": "escalate", "channel_id": 2001, "rule_name": "Default"}],
            "escalation_layers": [
                {"channel_id": 2001, "rule_name": "Holiday", "layers": {2: {"person_ids": [105]}}}
            ],
        }
    )
    results, changes = plan_profile(profile, LISTS)
    by_name = {c.snapshot.rule_name: c for c in changes}
    assert set(by_name) == {"Default", "Holiday", "Quiet days"}
    assert by_name["Default"].status == "disabled" and by_name["Default"].update_body is None
    holiday = by_name["Holiday"]
    assert holiday.status == "enabled"
    assert [layer["target"]["person_ids"] for layer in holiday.update_body["layers"]] == [
        [101],
        [105],
    ]
    assert holiday.diff == ["layer 2: persons 102 -> persons 105", "status: disabled -> enabled"]
    assert by_name["Quiet days"].snapshot.kind is RuleKind.SILENCE
    assert all(r.changed for r in results)


def test_plan_profile_writes_nothing_when_rules_already_match() -> None:
    profile = RuleProfile.model_validate(
        {
            "enable": [{"kind": "escalate", "channel_id": 2001, "rule_name": "Default"}],
            "disable": [{"kind": "silence", "channel_id": 2001, "rule_name": "Quiet days"}],
            "escalation_layers": [
                {"channel_id": 2001, "rule_name": "Default", "layers": {1: {"person_ids": [101]}}}
            ],
        }
    )
    results, changes = plan_profile(profile, LISTS)
    assert changes == [] and len(results) == 2


def test_plan_profile_lists_unknown_rules_and_layers() -> None:
    profile = RuleProfile.model_validate(
        {
            "enable": [{"kind": "inhibit", "channel_id": 2001, "rule_name": "Nope"}],
            "escalation_layers": [
                {"channel_id": 2001, "rule_name": "Default", "layers": {5: {"team_ids": [1]}}}
            ],
        }
    )
    with pytest.raises(PlanCheckError) as caught:
        plan_profile(profile, LISTS)
    assert caught.value.problems == [
        'inhibit channel 2001 rule "Nope" not found; the channel has: none',
        'escalation channel 2001 rule "Default": layer 5 does not exist: the rule has 2 layer(s)',
    ]
