"""apply_calendar_profile: real Prefect flow runs against the emulator over loopback HTTP."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from flashcat_prefect.client.errors import FlashcatValidationError
from flashcat_prefect.emulator import FlashcatEmulator
from flashcat_prefect.emulator import seed as demo
from flashcat_prefect.flows import CalendarProfilePlan, apply_calendar_profile
from flashcat_prefect.flows.rotation._rules import PlanCheckError, RuleKind
from flashcat_prefect.flows.rotation._snapshot import RuleChangeError

CHANNEL = demo.DEFAULT_CHANNEL_ID
NATIONAL_DAY = date(2026, 10, 1)  # a Thursday
WORKING_FRIDAY = date(2026, 10, 9)

PLAN = {
    "time_zone": "Asia/Shanghai",
    "source": {"cal_id": demo.HOLIDAY_CALENDAR_ID},
    "day_off": {
        "enable": [
            {"kind": "escalate", "channel_id": CHANNEL, "rule_name": demo.HOLIDAY_RULE_NAME},
            {"kind": "silence", "channel_id": CHANNEL, "rule_name": demo.QUIET_DAYS_RULE_NAME},
        ],
        "disable": [{"kind": "escalate", "channel_id": CHANNEL, "rule_name": "Default"}],
    },
    "working_day": {
        "enable": [{"kind": "escalate", "channel_id": CHANNEL, "rule_name": "Default"}],
        "disable": [
            {"kind": "escalate", "channel_id": CHANNEL, "rule_name": demo.HOLIDAY_RULE_NAME},
            {"kind": "silence", "channel_id": CHANNEL, "rule_name": demo.QUIET_DAYS_RULE_NAME},
        ],
    },
}


def add_national_day(emulator: FlashcatEmulator) -> None:
    """Put the National Day holiday (Oct 1-7, 2026) in the China Holidays calendar."""
    with emulator.credentials().get_client() as client:
        client.request(
            "/calendar/event/upsert",
            {
                "cal_id": demo.HOLIDAY_CALENDAR_ID,
                "summary": "National Day",
                "start_at": "2026-10-01",
                "end_at": "2026-10-08",
                "is_off": True,
            },
        )


@pytest.fixture
def emu(emulator: FlashcatEmulator) -> FlashcatEmulator:
    """The shared demo emulator with a National Day holiday in the China Holidays calendar."""
    add_national_day(emulator)
    emulator.request_log.clear()
    return emulator


def rules_of(emu: FlashcatEmulator, kind: RuleKind) -> dict[str, dict]:
    with emu.credentials().get_client() as client:
        data = client.request(f"{kind.api_prefix}/list", {"channel_id": CHANNEL})
    return {rule["rule_name"]: rule for rule in data["items"]}


def statuses(emu: FlashcatEmulator) -> dict[str, str]:
    escalation = rules_of(emu, RuleKind.ESCALATE)
    silence = rules_of(emu, RuleKind.SILENCE)
    return {
        "Default": escalation["Default"]["status"],
        "Holiday": escalation[demo.HOLIDAY_RULE_NAME]["status"],
        "Quiet days": silence[demo.QUIET_DAYS_RULE_NAME]["status"],
    }


def all_rules(emu: FlashcatEmulator) -> list[dict]:
    rules = [*rules_of(emu, RuleKind.ESCALATE).values(), *rules_of(emu, RuleKind.SILENCE).values()]
    return [{k: v for k, v in r.items() if k not in ("updated_at", "updated_by")} for r in rules]


def writes(emu: FlashcatEmulator) -> list[str]:
    return [
        entry.path
        for entry in emu.request_log.entries
        if entry.path.endswith(("/enable", "/disable", "/update"))
    ]


DAY_OFF = {"Default": "disabled", "Holiday": "enabled", "Quiet days": "enabled"}
WORKING = {"Default": "enabled", "Holiday": "disabled", "Quiet days": "disabled"}


def test_a_calendar_holiday_flips_the_profile_and_a_working_day_flips_it_back(
    emu: FlashcatEmulator,
) -> None:
    assert statuses(emu) == WORKING
    before = all_rules(emu)
    holiday = apply_calendar_profile(emu.credentials(), PLAN, day=NATIONAL_DAY)
    assert (holiday.is_off, holiday.profile) == (True, "day_off")
    assert "National Day" in holiday.reason
    assert statuses(emu) == DAY_OFF
    assert sorted(r.rule_name for r in holiday.rules if r.written) == sorted(DAY_OFF)

    workday = apply_calendar_profile(emu.credentials(), PLAN, day=WORKING_FRIDAY)
    assert (workday.is_off, workday.profile) == (False, "working_day")
    assert statuses(emu) == WORKING
    # only statuses moved, and they are back: every rule reads as it did at the start
    assert all_rules(emu) == before


def test_rerun_on_the_same_day_writes_nothing(emu: FlashcatEmulator) -> None:
    apply_calendar_profile(emu.credentials(), PLAN, day=NATIONAL_DAY)
    emu.request_log.clear()
    again = apply_calendar_profile(emu.credentials(), PLAN, day=NATIONAL_DAY)
    assert again.changed == [] and writes(emu) == []


def test_weekend_without_events_is_a_day_off_per_calendar_workdays(emu: FlashcatEmulator) -> None:
    report = apply_calendar_profile(emu.credentials(), PLAN, day=date(2026, 10, 10), dry_run=True)
    assert report.is_off and "workdays" in report.reason
    assert writes(emu) == [] and statuses(emu) == WORKING
    assert {r.rule_name for r in report.changed} == set(DAY_OFF)


def test_holidays_source_and_layer_replacement(emu: FlashcatEmulator) -> None:
    plan = copy.deepcopy(PLAN)
    plan["source"] = {"country": "CN"}
    plan["day_off"]["escalation_layers"] = [
        {
            "channel_id": CHANNEL,
            "rule_name": demo.HOLIDAY_RULE_NAME,
            "layers": {1: {"person_ids": [104, 105]}},
        }
    ]
    holiday_before = rules_of(emu, RuleKind.ESCALATE)[demo.HOLIDAY_RULE_NAME]
    report = apply_calendar_profile(
        emu.credentials(), CalendarProfilePlan.model_validate(plan), day=NATIONAL_DAY
    )
    assert report.profile == "day_off"
    holiday = rules_of(emu, RuleKind.ESCALATE)[demo.HOLIDAY_RULE_NAME]
    assert holiday["status"] == "enabled"
    assert holiday["layers"][0]["target"]["person_ids"] == [104, 105]
    expected = copy.deepcopy(holiday_before)
    expected["layers"][0]["target"]["person_ids"] = [104, 105]
    ignore = ("status", "updated_at", "updated_by")
    assert {k: v for k, v in holiday.items() if k not in ignore} == {
        k: v for k, v in expected.items() if k not in ignore
    }


WRITES = [  # the day-off profile's writes, in the order the flow makes them
    ("/channel/escalate/rule/enable", demo.HOLIDAY_RULE_NAME),
    ("/channel/silence/rule/enable", demo.QUIET_DAYS_RULE_NAME),
    ("/channel/escalate/rule/disable", "Default"),
]


@pytest.mark.parametrize("position", [0, 1, 2], ids=["first", "middle", "last"])
def test_failed_write_restores_it_and_the_ones_before(emu: FlashcatEmulator, position: int) -> None:
    before = all_rules(emu)
    failing_path = WRITES[position][0]
    emu.faults.sequence(
        failing_path, [{"kind": "http_error", "status": 403, "code": "AccessDenied"}]
    )
    with pytest.raises(RuleChangeError) as caught:
        apply_calendar_profile(emu.credentials(), PLAN, day=NATIONAL_DAY)
    error = caught.value
    names = [name for _, name in WRITES]
    assert error.failed.snapshot.rule_name == names[position]
    # the failed rule and every rule written before it, newest first
    assert [c.snapshot.rule_name for c in error.restored] == names[position::-1]
    assert [c.snapshot.rule_name for c in error.not_attempted] == names[position + 1 :]
    assert statuses(emu) == WORKING
    assert all_rules(emu) == before


def test_unknown_rules_and_people_stop_the_run_before_any_write(emu: FlashcatEmulator) -> None:
    plan = copy.deepcopy(PLAN)
    plan["day_off"]["disable"].append({"kind": "drop", "channel_id": CHANNEL, "rule_name": "Nope"})
    plan["day_off"]["escalation_layers"] = [
        {"channel_id": CHANNEL, "rule_name": "Default", "layers": {1: {"person_ids": [4242]}}}
    ]
    with pytest.raises(PlanCheckError) as caught:
        apply_calendar_profile(emu.credentials(), plan, day=NATIONAL_DAY)
    assert "person 4242 does not exist" in str(caught.value)
    assert 'drop channel 2001 rule "Nope" not found' in str(caught.value)
    assert writes(emu) == []


def test_days_off_of_extra_calendars_count(emu: FlashcatEmulator) -> None:
    with emu.credentials().get_client() as client:
        client.request(
            "/calendar/update",
            {"cal_id": demo.OPS_CALENDAR_ID, "extra_cal_ids": [demo.HOLIDAY_CALENDAR_ID]},
        )
    plan = copy.deepcopy(PLAN)
    plan["source"] = {"cal_id": demo.OPS_CALENDAR_ID}
    report = apply_calendar_profile(emu.credentials(), plan, day=NATIONAL_DAY, dry_run=True)
    assert report.is_off and "National Day" in report.reason


def test_early_january_2023_reads_only_listable_years(emu: FlashcatEmulator) -> None:
    # The year before January is read too, but the API lists no year before 2023.
    report = apply_calendar_profile(emu.credentials(), PLAN, day=date(2023, 1, 5), dry_run=True)
    assert report.is_off is False
    listed = [entry.body for entry in emu.request_log.for_path("/calendar/event/list")]
    assert [body["year"] for body in listed] == [2023]


def test_a_day_the_calendar_cannot_list_fails_before_any_request(emu: FlashcatEmulator) -> None:
    with pytest.raises(FlashcatValidationError, match=r"^day: "):
        apply_calendar_profile(emu.credentials(), PLAN, day=date(2022, 6, 1), dry_run=True)
    assert emu.request_log.entries == []


def test_inhibit_and_drop_rules_switch_too(emu: FlashcatEmulator) -> None:
    with emu.credentials().get_client() as client:
        client.request(
            "/channel/inhibit/rule/create",
            {"channel_id": CHANNEL, "rule_name": "Mute warnings", "equals": ["host"]},
        )
        client.request(
            "/channel/unsubscribe/rule/create", {"channel_id": CHANNEL, "rule_name": "Drop info"}
        )
    plan = copy.deepcopy(PLAN)
    plan["day_off"]["disable"] += [
        {"kind": "inhibit", "channel_id": CHANNEL, "rule_name": "Mute warnings"},
        {"kind": "drop", "channel_id": CHANNEL, "rule_name": "Drop info"},
    ]
    plan["working_day"]["enable"] += [
        {"kind": "inhibit", "channel_id": CHANNEL, "rule_name": "Mute warnings"},
        {"kind": "drop", "channel_id": CHANNEL, "rule_name": "Drop info"},
    ]

    def extra_statuses() -> list[str]:
        return [
            rules_of(emu, RuleKind.INHIBIT)["Mute warnings"]["status"],
            rules_of(emu, RuleKind.DROP)["Drop info"]["status"],
        ]

    assert extra_statuses() == ["enabled", "enabled"]  # new rules start enabled
    apply_calendar_profile(emu.credentials(), plan, day=NATIONAL_DAY)
    assert extra_statuses() == ["disabled", "disabled"]
    apply_calendar_profile(emu.credentials(), plan, day=WORKING_FRIDAY)
    assert extra_statuses() == ["enabled", "enabled"]
