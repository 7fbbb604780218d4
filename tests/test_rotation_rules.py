"""Rule bodies, layer diffs, planning against rule lists and all-or-nothing writes (pure)."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcat_prefect.api import get_endpoint
from flashcat_prefect.flows import RotationPlan
from flashcat_prefect.flows.rotation._plan import plan_rotation
from flashcat_prefect.flows.rotation._rules import (
    PlanCheckError,
    RuleAddress,
    RuleKind,
    RuleNotFoundError,
    diff_layers,
    escalation_update_body,
    find_rule,
    set_layer_targets,
)
from flashcat_prefect.flows.rotation._snapshot import (
    RuleChange,
    RuleChangeError,
    RuleModifiedError,
    RuleSnapshot,
    apply_all_or_restore,
    read_snapshot_file,
    write_snapshot_file,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def escalation_rule(rule_id: str = "a" * 24, name: str = "Default", people=(101, 102)) -> dict:
    """An escalation rule shaped like the list endpoint's items, with every field set."""
    return {
        "account_id": 1,
        "channel_id": 2001,
        "channel_name": "Payments",
        "priority": 3,
        "aggr_window": 120,
        "rule_name": name,
        "description": "who gets paged",
        "layers": [
            {
                "max_times": 2,
                "notify_step": 5.5,
                "escalate_window": 15,
                "force_escalate": True,
                "target": {
                    "person_ids": [person],
                    "emails": ["oncall@example.com"],
                    "by": {"follow_preference": False, "critical": ["sms", "voice"]},
                    "webhooks": [{"type": "feishu", "settings": {"token": "t"}}],
                },
            }
            for person in people
        ],
        "time_filters": [{"start": "09:00", "end": "18:00", "repeat": [1, 2, 3, 4, 5]}],
        "filters": [[{"key": "severity", "oper": "IN", "vals": ["Critical"]}]],
        "status": "enabled",
        "template_id": "0" * 23 + "1",
        "rule_id": rule_id,
        "updated_by": 9,
        "created_at": 1_700_000_000,
        "updated_at": 1_700_000_100,
    }


def test_update_body_keeps_every_field_the_update_accepts_exactly() -> None:
    rule = escalation_rule()
    body = escalation_update_body(rule)
    accepted = set(get_endpoint("/channel/escalate/rule/update").request_model.model_fields)
    assert set(body) == accepted & set(rule)
    for field in body:
        assert body[field] == rule[field], field
    assert "status" not in body and "updated_at" not in body


def test_update_body_drops_unknown_nested_fields_but_keeps_known_ones() -> None:
    rule = escalation_rule()
    rule["layers"][0]["target"]["future_field"] = 1
    rule["layers"][0]["unknown"] = True
    body = escalation_update_body(rule)
    assert "future_field" not in body["layers"][0]["target"]
    assert "unknown" not in body["layers"][0]
    assert body["layers"][0]["target"]["webhooks"] == rule["layers"][0]["target"]["webhooks"]


def test_set_layer_targets_changes_only_the_named_kinds() -> None:
    rule = escalation_rule()
    layers = set_layer_targets(rule["layers"], {2: {"person_ids": [103], "team_ids": []}})
    assert layers[0] == rule["layers"][0]
    expected = copy.deepcopy(rule["layers"][1])
    expected["target"]["person_ids"] = [103]
    assert layers[1] == expected  # empty team_ids not added where there were none
    assert rule["layers"][1]["target"]["person_ids"] == [102]  # input untouched
    with pytest.raises(ValueError, match="layer 3 does not exist: the rule has 2 layer"):
        set_layer_targets(rule["layers"], {3: {"person_ids": [1]}})


def test_diff_names_people_and_skips_equal_layers() -> None:
    before = escalation_rule()["layers"]
    after = set_layer_targets(before, {1: {"person_ids": [102]}})
    assert diff_layers(before, after, {101: "Ann", 102: "Bo"}) == [
        "layer 1: persons 101 (Ann) -> persons 102 (Bo)"
    ]


def test_find_rule_by_name_id_or_both() -> None:
    rules = [escalation_rule("a" * 24, "Default"), escalation_rule("b" * 24, "Holiday")]
    assert (
        find_rule(rules, RuleAddress(channel_id=2001, rule_name="Holiday"))["rule_id"] == "b" * 24
    )
    assert (
        find_rule(rules, RuleAddress(channel_id=2001, rule_id="A" * 24))["rule_name"] == "Default"
    )
    with pytest.raises(RuleNotFoundError, match='"Holiday" not found; the channel has'):
        find_rule(rules, RuleAddress(channel_id=2001, rule_id="a" * 24, rule_name="Holiday"))
    twins = [escalation_rule("a" * 24, "Same"), escalation_rule("b" * 24, "Same")]
    with pytest.raises(RuleNotFoundError, match="ambiguous"):
        find_rule(twins, RuleAddress(channel_id=2001, rule_name="Same"))


def test_rule_kinds_map_to_api_paths() -> None:
    assert RuleKind("escalation") is RuleKind.ESCALATE
    assert RuleKind("unsubscribe") is RuleKind.DROP
    for kind in RuleKind:
        for action in ("enable", "disable", "list"):
            get_endpoint(f"{kind.api_prefix}/{action}")  # raises for an unknown path


WEEKLY = {
    "time_zone": "Asia/Shanghai",
    "rules": [
        {
            "channel_id": 2001,
            "rule_name": "Default",
            "rotations": [
                {
                    "period": "weekly",
                    "start": "2026-11-02T10:00",
                    "roster": {"person_ids": [101, 102, 103]},
                    "layers": [1, 2],
                }
            ],
        }
    ],
}


def test_plan_rotation_updates_only_rules_that_differ() -> None:
    plan = RotationPlan.model_validate(WEEKLY)
    rules = {2001: [escalation_rule(people=(101, 102))]}
    week0 = datetime(2026, 11, 3, tzinfo=SHANGHAI)
    results, changes = plan_rotation(plan, rules, week0)
    assert [r.changed for r in results] == [False] and changes == []

    week1 = datetime(2026, 11, 10, tzinfo=SHANGHAI)
    results, changes = plan_rotation(plan, rules, week1)
    (change,) = changes
    assert results[0].duties[0].layers == {1: "102", 2: "103"}
    assert [layer["target"]["person_ids"] for layer in change.update_body["layers"]] == [
        [102],
        [103],
    ]
    assert change.snapshot.rule == rules[2001][0]
    assert change.diff == [
        "layer 1: persons 101 -> persons 102",
        "layer 2: persons 102 -> persons 103",
    ]


def test_plan_rotation_reports_every_problem_at_once() -> None:
    plan = RotationPlan.model_validate(
        {
            **WEEKLY,
            "rules": [
                *WEEKLY["rules"],
                {**WEEKLY["rules"][0], "rule_name": "Missing"},
                {**WEEKLY["rules"][0], "rule_name": None, "rule_id": "a" * 24},
            ],
        }
    )
    rules = {2001: [escalation_rule(people=(101,))]}
    with pytest.raises(PlanCheckError) as caught:
        plan_rotation(plan, rules, datetime(2026, 11, 10, tzinfo=SHANGHAI))
    problems = caught.value.problems
    assert any("layer 2 does not exist" in p for p in problems)
    assert any('"Missing" not found' in p for p in problems)
    assert any("are the same rule" in p for p in problems)


# --- all-or-nothing -----------------------------------------------------------------------


def change(name: str) -> RuleChange:
    rule = escalation_rule(rule_id=name[0] * 24, name=name)
    return RuleChange(snapshot=RuleSnapshot.of(RuleKind.ESCALATE, rule), update_body={}, diff=[])


def test_apply_all_or_restore_restores_written_and_failed_rules_newest_first() -> None:
    changes = [change("alpha"), change("bravo"), change("charlie")]
    log: list[str] = []

    def write(c: RuleChange) -> None:
        log.append(f"write {c.snapshot.rule_name}")
        if c.snapshot.rule_name == "bravo":
            raise OSError("boom")

    def restore(c: RuleChange) -> None:
        log.append(f"restore {c.snapshot.rule_name}")

    with pytest.raises(RuleChangeError) as caught:
        apply_all_or_restore(changes, write, restore)
    assert log == ["write alpha", "write bravo", "restore bravo", "restore alpha"]
    error = caught.value
    assert [c.snapshot.rule_name for c in error.restored] == ["bravo", "alpha"]
    assert [c.snapshot.rule_name for c in error.not_attempted] == ["charlie"]
    text = str(error)
    assert 'writing channel 2001 escalation rule "bravo"' in text and "OSError: boom" in text
    assert "not attempted" in text and '"charlie"' in text


def test_a_failed_restore_is_reported_and_the_others_still_restored() -> None:
    changes = [change("alpha"), change("bravo"), change("charlie")]

    def write(c: RuleChange) -> None:
        if c.snapshot.rule_name == "charlie":
            raise RuntimeError("write failed")

    def restore(c: RuleChange) -> None:
        if c.snapshot.rule_name == "bravo":
            raise RuntimeError("restore failed")

    with pytest.raises(RuleChangeError) as caught:
        apply_all_or_restore(changes, write, restore)
    assert [c.snapshot.rule_name for c in caught.value.restored] == ["charlie", "alpha"]
    assert [c.snapshot.rule_name for c, _ in caught.value.restore_failures] == ["bravo"]
    assert "could NOT be restored" in str(caught.value)


def test_no_failure_no_restore() -> None:
    restored: list[RuleChange] = []
    apply_all_or_restore([change("alpha")], lambda c: None, restored.append)
    assert restored == []


def test_snapshot_file_round_trips(tmp_path) -> None:
    snapshots = [change("alpha").snapshot, change("bravo").snapshot]
    path = write_snapshot_file(tmp_path / "deep" / "snapshot.json", snapshots)
    assert read_snapshot_file(path) == snapshots


def test_a_rule_that_wrote_nothing_is_not_restored() -> None:
    changes = [change("alpha"), change("bravo")]
    restored: list[str] = []

    def write(c: RuleChange) -> None:
        if c.snapshot.rule_name == "bravo":
            raise RuleModifiedError("edited elsewhere")

    with pytest.raises(RuleChangeError) as caught:
        apply_all_or_restore(changes, write, lambda c: restored.append(c.snapshot.rule_name))
    assert restored == ["alpha"]
    assert "RuleModifiedError: edited elsewhere" in str(caught.value)


@settings(max_examples=60, deadline=None)
@given(hours=st.integers(min_value=-48, max_value=24 * 7 * 10))
def test_applying_the_planned_update_leaves_nothing_to_do(hours: int) -> None:
    plan = RotationPlan.model_validate(WEEKLY)
    rule = escalation_rule(people=(101, 102))
    at = datetime(2026, 11, 2, 10, tzinfo=SHANGHAI) + timedelta(hours=hours)
    _, changes = plan_rotation(plan, {2001: [rule]}, at)
    written = rule | {"layers": changes[0].update_body["layers"]} if changes else rule
    results, again = plan_rotation(plan, {2001: [written]}, at)
    assert again == [] and not results[0].changed
    # fields outside the rotated person lists never move
    assert escalation_update_body(written) | {"layers": None} == (
        escalation_update_body(rule) | {"layers": None}
    )
