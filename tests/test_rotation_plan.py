"""Rotation plans and schedule maths, without Prefect or HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from flashcat_prefect.flows import RotationPlan
from flashcat_prefect.flows.rotation._plan import Rotation, period_days, plan_rule_targets

DATA = Path(__file__).parent / "data" / "rotation"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def rotation(**fields) -> Rotation:
    fields.setdefault("roster", {"person_ids": [101, 102, 103]})
    fields.setdefault("time_zone", "Asia/Shanghai")
    return Rotation.model_validate(fields)


def test_issue_example_plan_loads_with_the_plan_zone() -> None:
    plan = RotationPlan.from_file(DATA / "weekly-default.yaml")
    (rule,) = plan.rules
    assert (rule.channel_id, rule.rule_name) == (2001, "Default")
    (weekly,) = rule.rotations
    assert weekly.time_zone == "Asia/Shanghai"
    assert weekly.first_handover == datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)
    assert plan.roster_ids("person_ids") == {101, 102, 103}


def test_json_and_yaml_plans_load_the_same(tmp_path: Path) -> None:
    yaml_plan = RotationPlan.from_file(DATA / "weekly-default.yaml")
    json_path = tmp_path / "plan.json"
    json_path.write_text(yaml_plan.model_dump_json())
    assert RotationPlan.from_file(json_path) == yaml_plan


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("2026-11-02T10:00", {1: 101, 2: 102}),
        ("2026-11-09T09:59", {1: 101, 2: 102}),
        ("2026-11-09T10:00", {1: 102, 2: 103}),
        ("2026-11-16T10:00", {1: 103, 2: 101}),
        ("2026-11-23T10:00", {1: 101, 2: 102}),
    ],
)
def test_weekly_two_layers_walk_the_roster(local: str, expected: dict[int, int]) -> None:
    weekly = rotation(period="weekly", start="2026-11-02T10:00", layers=[1, 2])
    at = datetime.fromisoformat(local).replace(tzinfo=SHANGHAI)
    shift = weekly.shift_at(at)
    assert shift is not None
    assert shift.starts_at <= at < shift.ends_at
    assert weekly.on_duty(shift.index) == expected


def test_before_the_start_nothing_is_due() -> None:
    weekly = rotation(period="weekly", start="2026-11-02T10:00")
    assert weekly.shift_at(datetime(2026, 11, 2, 1, 59, tzinfo=UTC)) is None
    assert weekly.shift_at(datetime(2026, 11, 2, 2, 0, tzinfo=UTC)) is not None


def test_handover_time_applies_to_a_date_only_start() -> None:
    daily = rotation(period="daily", start="2026-03-01", handover="08:30")
    assert daily.shift_at(datetime(2026, 3, 2, 8, 29, tzinfo=SHANGHAI)).index == 0
    assert daily.shift_at(datetime(2026, 3, 2, 8, 30, tzinfo=SHANGHAI)).index == 1


def test_handover_keeps_local_wall_time_across_daylight_saving() -> None:
    daily = rotation(
        period="daily", start="2026-03-07T09:00", time_zone="America/New_York", layers=[1]
    )
    new_york = ZoneInfo("America/New_York")
    # DST starts on 2026-03-08: the handover stays at 09:00 local, 23 hours after the last.
    shift = daily.shift_at(datetime(2026, 3, 8, 9, 0, tzinfo=new_york))
    assert shift.index == 1
    assert shift.starts_at.astimezone(UTC) - daily.first_handover.astimezone(UTC) == timedelta(
        hours=23
    )


def test_every_n_days_and_weeks() -> None:
    assert period_days("every 3 days") == 3
    assert period_days("Every 2 Weeks") == 14
    three = rotation(period="every 3 days", start="2026-01-01T00:00", layers=[1])
    assert three.shift_at(datetime(2026, 1, 3, 23, 0, tzinfo=SHANGHAI)).index == 0
    assert three.shift_at(datetime(2026, 1, 4, 0, 0, tzinfo=SHANGHAI)).index == 1


def test_cron_period_counts_fire_times_since_the_start() -> None:
    mondays = rotation(cron="0 10 * * 1", start="2026-11-02T10:00", layers=[1, 2])
    assert mondays.period == "cron"
    at = datetime(2026, 11, 17, 12, 0, tzinfo=SHANGHAI)  # after two more Monday handovers
    shift = mondays.shift_at(at)
    assert shift.index == 2
    assert shift.starts_at == datetime(2026, 11, 16, 10, 0, tzinfo=SHANGHAI)
    assert shift.ends_at == datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
    assert mondays.on_duty(2) == {1: 103, 2: 101}


def test_team_and_schedule_rosters_fill_their_own_target_kind() -> None:
    teams = rotation(period="daily", start="2026-01-01", roster={"team_ids": [7, 8]}, layers=[2])
    assert teams.layer_targets(1) == {2: {"team_ids": [8]}}
    schedules = rotation(
        period="daily",
        start="2026-01-01",
        roster={"schedule_roles": [{"schedule_id": 5, "role_ids": [1]}, {"schedule_id": 6}]},
        target_kinds=["schedule_to_role_ids", "person_ids"],
    )
    assert schedules.layer_targets(1) == {1: {"schedule_to_role_ids": {"6": []}, "person_ids": []}}


def test_rotations_of_one_rule_merge_per_layer() -> None:
    plan = RotationPlan.model_validate(
        {
            "time_zone": "Asia/Shanghai",
            "rules": [
                {
                    "channel_id": 2001,
                    "rule_id": "a" * 24,
                    "rotations": [
                        {
                            "period": "weekly",
                            "start": "2026-11-02T10:00",
                            "roster": {"person_ids": [101, 102]},
                            "layers": [1],
                        },
                        {
                            "period": "daily",
                            "start": "2026-11-02T10:00",
                            "roster": {"team_ids": [7, 8]},
                            "layers": [1, 2],
                        },
                    ],
                }
            ],
        }
    )
    targets, assignments = plan_rule_targets(
        plan.rules[0], datetime(2026, 11, 3, 11, tzinfo=SHANGHAI)
    )
    assert targets == {1: {"person_ids": [101], "team_ids": [8]}, 2: {"team_ids": [7]}}
    assert [a.shift.index for a in assignments] == [0, 1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"period": "fortnightly"}, "period 'fortnightly' must be daily"),
        ({"period": None}, "give period"),
        ({"cron": "61 * * * *"}, "not a valid cron"),
        ({"time_zone": "Mars/Olympus"}, "not an IANA time zone"),
        ({"layers": [0]}, "numbered from 1"),
        ({"layers": [1, 1]}, "list a layer twice"),
        ({"layers": [1, 2, 3, 4]}, "each layer needs its own member"),
        ({"roster": {"person_ids": [1], "team_ids": [2]}}, "exactly one of person_ids"),
        ({"roster": {"person_ids": []}}, "at least 1 item"),
        ({"handover": "09:00"}, "disagree"),
        ({"target_kinds": ["team_ids"]}, "must include the roster's kind"),
        ({"shift": 3}, "Extra inputs are not permitted"),
    ],
)
def test_bad_rotations_are_refused_with_the_field_named(change: dict, message: str) -> None:
    fields = {"period": "weekly", "start": "2026-11-02T10:00", **change}
    if change.get("cron"):
        fields.pop("period")
    with pytest.raises(ValidationError, match=message):
        rotation(**fields)


def test_a_plan_may_not_rotate_one_layer_twice() -> None:
    entry = {"period": "weekly", "start": "2026-11-02", "roster": {"person_ids": [1, 2]}}
    with pytest.raises(ValidationError, match="rotations 1 and 2 both set person_ids of layer 1"):
        RotationPlan.model_validate(
            {"rules": [{"channel_id": 1, "rule_name": "x", "rotations": [entry, entry]}]}
        )


def test_a_rule_needs_an_id_or_a_name() -> None:
    entry = {"period": "weekly", "start": "2026-11-02", "roster": {"person_ids": [1]}}
    with pytest.raises(ValidationError, match="give rule_id or rule_name"):
        RotationPlan.model_validate({"rules": [{"channel_id": 1, "rotations": [entry]}]})


# --- properties ---------------------------------------------------------------------------

starts = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 1, 1))
offsets = st.integers(min_value=0, max_value=3 * 365 * 24 * 60)
zones = st.sampled_from(["UTC", "Asia/Shanghai", "America/New_York", "Europe/Berlin"])


@settings(max_examples=150, deadline=None)
@given(
    start=starts,
    minutes=offsets,
    zone=zones,
    days=st.integers(min_value=1, max_value=15),
    roster_size=st.integers(min_value=2, max_value=6),
)
def test_shift_contains_the_instant_and_layers_take_consecutive_members(
    start: datetime, minutes: int, zone: str, days: int, roster_size: int
) -> None:
    members = list(range(101, 101 + roster_size))
    rot = rotation(
        period=f"every {days} days",
        start=start.replace(second=0, microsecond=0),
        time_zone=zone,
        roster={"person_ids": members},
        layers=[1, 2],
    )
    at = rot.first_handover + timedelta(minutes=minutes)
    shift = rot.shift_at(at)
    assert shift is not None
    assert shift.starts_at <= at < shift.ends_at
    on_duty = rot.on_duty(shift.index)
    assert on_duty[2] == members[(members.index(on_duty[1]) + 1) % roster_size]
    # the next shift hands layer 1 to the member who was on layer 2
    following = rot.shift_at(shift.ends_at)
    assert following.index == shift.index + 1
    assert rot.on_duty(following.index)[1] == on_duty[2]


@settings(max_examples=60, deadline=None)
@given(start=starts, minutes=offsets, zone=zones)
def test_weekly_and_matching_cron_agree(start: datetime, minutes: int, zone: str) -> None:
    anchor = start.replace(hour=10, minute=0, second=0, microsecond=0)
    weekly = rotation(period="weekly", start=anchor, time_zone=zone)
    cron = rotation(cron=f"0 10 * * {anchor.isoweekday() % 7}", start=anchor, time_zone=zone)
    at = weekly.first_handover + timedelta(minutes=minutes)
    assert weekly.shift_at(at).index == cron.shift_at(at).index


def test_documented_example_plan_loads() -> None:
    plan = RotationPlan.from_file(Path(__file__).parent.parent / "examples" / "rotation-plan.yaml")
    default = plan.rules[0]
    assert [r.period for r in default.rotations] == ["weekly", "cron"]
    assert default.rotations[1].target_kinds == ["team_ids"]
    # the cron rotation pages a team on the layer the weekly one fills with people
    assert set(default.rotations[0].layers) & set(default.rotations[1].layers) == {2}
