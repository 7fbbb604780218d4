"""The plans shipped in examples/ name the emulator's demo ids and run against it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flashcat_prefect.flows import (
    CalendarProfilePlan,
    RotationPlan,
    apply_calendar_profile,
    rotate_escalation_rules,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_example_rotation_plan_runs_against_the_demo_seed(emulator, credentials):
    plan = RotationPlan.from_file(EXAMPLES / "rotation-plan.yaml")
    at = datetime(2026, 11, 18, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Wednesday

    report = rotate_escalation_rules(credentials, plan, at=at, dry_run=True)

    assert [rule.rule_name for rule in report.rules] == ["Default"]
    assert report.dry_run
    assert emulator.request_log.count("/channel/escalate/rule/update") == 0


def test_example_calendar_profile_runs_against_the_demo_seed(emulator, credentials):
    plan = CalendarProfilePlan.from_file(EXAMPLES / "calendar-profile.yaml")

    report = apply_calendar_profile(credentials, plan, day=date(2026, 11, 21), dry_run=True)

    assert report.is_off  # a Saturday, not among the calendar's workdays
    assert report.profile == "day_off"
    assert {rule.rule_name for rule in report.rules} == {"Default", "Holiday", "Quiet days"}
