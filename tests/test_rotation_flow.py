"""rotate_escalation_rules: real Prefect flow runs against the emulator over loopback HTTP."""

from __future__ import annotations

import copy
import json
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from flashcat_prefect.emulator import FlashcatEmulator
from flashcat_prefect.emulator import seed as demo
from flashcat_prefect.flows import RotationPlan, rotate_escalation_rules
from flashcat_prefect.flows.rotation import restore_rule_snapshot
from flashcat_prefect.flows.rotation._rules import PlanCheckError, RuleKind, escalation_update_body
from flashcat_prefect.flows.rotation._snapshot import (
    RuleChange,
    RuleChangeError,
    RuleModifiedError,
    RulesChangedMeanwhileError,
    RuleSnapshot,
    read_snapshot_file,
    write_change,
)

DATA = Path(__file__).parent / "data" / "rotation"
SHANGHAI = ZoneInfo("Asia/Shanghai")
UPDATE = "/channel/escalate/rule/update"
ROSTER = [101, 102, 103]
FIRST_HANDOVER = datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)


def rule_info(emulator: FlashcatEmulator, channel_id: int, rule_id: str) -> dict:
    with emulator.credentials().get_client() as client:
        return client.request(
            "/channel/escalate/rule/info", {"channel_id": channel_id, "rule_id": rule_id}
        )


def layer_people(rule: dict) -> list[list[int]]:
    return [layer["target"].get("person_ids", []) for layer in rule["layers"]]


def without_people_and_stamps(rule: dict) -> dict:
    """The rule minus what a rotation may change (layer people) or the server stamps."""
    rest = copy.deepcopy(rule)
    for field in ("updated_at", "updated_by"):
        rest.pop(field, None)
    for layer in rest["layers"]:
        layer["target"].pop("person_ids", None)
    return rest


def without_stamps(rule: dict) -> dict:
    return {k: v for k, v in rule.items() if k not in ("updated_at", "updated_by")}


def test_weekly_two_layer_rotation_over_three_weeks(emulator: FlashcatEmulator) -> None:
    plan = RotationPlan.from_file(DATA / "weekly-default.yaml")
    original = rule_info(emulator, demo.DEFAULT_CHANNEL_ID, demo.DEFAULT_RULE_ID)
    for week in range(4):
        at = FIRST_HANDOVER + timedelta(weeks=week, hours=1)
        report = rotate_escalation_rules(emulator.credentials(), plan, at=at)
        rule = rule_info(emulator, demo.DEFAULT_CHANNEL_ID, demo.DEFAULT_RULE_ID)
        on_duty = [ROSTER[week % 3], ROSTER[(week + 1) % 3]]
        assert layer_people(rule) == [[person] for person in on_duty]
        # every other field, nested ones included, is as the seed made it
        assert without_people_and_stamps(rule) == without_people_and_stamps(original)
        (result,) = report.rules
        assert result.duties[0].shift == week
        assert result.duties[0].layers == {
            n: f"{pid} ({demo.PERSON_NAMES[pid]})" for n, pid in enumerate(on_duty, start=1)
        }
        # week 0 matches the seed (101, 102): nothing to write
        assert result.written == (week != 0)


def test_update_body_is_the_rule_as_read_with_new_people(emulator: FlashcatEmulator) -> None:
    plan = RotationPlan.from_file(DATA / "weekly-default.yaml")
    before = rule_info(emulator, demo.DEFAULT_CHANNEL_ID, demo.DEFAULT_RULE_ID)
    emulator.request_log.clear()
    rotate_escalation_rules(emulator.credentials(), plan, at=FIRST_HANDOVER + timedelta(days=8))
    # the body comes from the rule's full record (detail endpoint), which is read again
    # right before the write to make sure nobody edited the rule in between, and once more
    # at the end to make sure the rule still holds this run's state
    assert emulator.request_log.count("/channel/escalate/rule/info") == 3
    (sent,) = [entry.body for entry in emulator.request_log.for_path(UPDATE)]
    read_only = {
        "account_id",
        "status",
        "updated_by",
        "created_at",
        "updated_at",
        "deleted_at",
        "channel_name",
    }
    expected = {k: v for k, v in copy.deepcopy(before).items() if k not in read_only}
    expected["layers"][0]["target"]["person_ids"] = [102]
    expected["layers"][1]["target"]["person_ids"] = [103]
    assert sent == expected


def test_rerun_at_the_same_instant_writes_nothing(emulator: FlashcatEmulator) -> None:
    plan = RotationPlan.from_file(DATA / "weekly-default.yaml")
    at = FIRST_HANDOVER + timedelta(weeks=1, hours=3)
    first = rotate_escalation_rules(emulator.credentials(), plan, at=at)
    assert [r.written for r in first.rules] == [True]
    emulator.request_log.clear()
    again = rotate_escalation_rules(emulator.credentials(), plan, at=at)
    assert [r.changed for r in again.rules] == [False]
    assert emulator.request_log.count(UPDATE) == 0


def test_dry_run_shows_the_diff_and_writes_nothing(emulator: FlashcatEmulator) -> None:
    plan = RotationPlan.from_file(DATA / "weekly-default.yaml")
    before = rule_info(emulator, demo.DEFAULT_CHANNEL_ID, demo.DEFAULT_RULE_ID)
    report = rotate_escalation_rules(
        emulator.credentials(), plan, at=FIRST_HANDOVER + timedelta(weeks=2), dry_run=True
    )
    (result,) = report.rules
    assert result.changed and not result.written
    assert result.diff[0].startswith("layer 1: persons 101 (")
    assert "-> persons 103 (" in result.diff[0]
    assert emulator.request_log.count(UPDATE) == 0
    assert rule_info(emulator, demo.DEFAULT_CHANNEL_ID, demo.DEFAULT_RULE_ID) == before


THREE_RULES = {
    "time_zone": "Asia/Shanghai",
    "rules": [
        {
            "channel_id": channel,
            "rule_id": rule_id,
            "rotations": [
                {
                    "period": "daily",
                    "start": "2026-11-02T09:00",
                    "roster": {"person_ids": [110, 111, 112]},
                    "layers": [1],
                }
            ],
        }
        for channel, rule_id in (
            (demo.DEFAULT_CHANNEL_ID, demo.DEFAULT_RULE_ID),
            (demo.DEFAULT_CHANNEL_ID, demo.HOLIDAY_RULE_ID),
            (2002, demo.DEFAULT_RULE_IDS[2002]),
        )
    ],
}


def three_rules(emulator: FlashcatEmulator) -> list[dict]:
    return [
        rule_info(emulator, entry["channel_id"], entry["rule_id"]) for entry in THREE_RULES["rules"]
    ]


RETRIES = 1


REJECTED = {"kind": "http_error", "status": 400, "code": "InvalidParameter"}
UNAVAILABLE = {"kind": "http_error", "status": 503}
WRITE_ORDER = [demo.DEFAULT_RULE_ID, demo.HOLIDAY_RULE_ID, demo.DEFAULT_RULE_IDS[2002]]
"""The rules of THREE_RULES in the order the rotation writes them."""


@pytest.mark.parametrize(
    ("failure", "attempts", "position"),
    [
        # not retryable: the client sends the failing update once
        (REJECTED, 1, 0),
        (REJECTED, 1, 1),
        (REJECTED, 1, 2),
        # retryable: the update and its retry both fail
        (UNAVAILABLE, RETRIES + 1, 1),
    ],
    ids=["rejected-first", "rejected-middle", "rejected-last", "retries-exhausted-middle"],
)
def test_failed_update_leaves_all_three_rules_as_before(
    emulator: FlashcatEmulator, failure: dict, attempts: int, position: int
) -> None:
    before = three_rules(emulator)
    emulator.faults.sequence(UPDATE, [None] * position + [failure] * attempts)
    with pytest.raises(RuleChangeError) as caught:
        rotate_escalation_rules(
            emulator.credentials(max_retries=RETRIES),
            THREE_RULES,
            at=datetime(2026, 11, 3, 12, tzinfo=SHANGHAI),
        )
    error = caught.value
    assert error.failed.snapshot.rule_id == WRITE_ORDER[position]
    # the failed rule and every rule written before it, newest first
    assert [c.snapshot.rule_id for c in error.restored] == WRITE_ORDER[position::-1]
    assert [c.snapshot.rule_id for c in error.not_attempted] == WRITE_ORDER[position + 1 :]
    assert "restored from the snapshot" in str(error)
    after = three_rules(emulator)
    assert [without_stamps(rule) for rule in after] == [without_stamps(rule) for rule in before]


@pytest.mark.parametrize(("late", "delay"), [(1, 1.5), (2, 3.0)])
def test_an_update_that_lands_after_its_timeout_is_undone_too(
    emulator: FlashcatEmulator, late: int, delay: float
) -> None:
    """Update number ``late`` (from 0) times out on the client and is applied ``delay``
    seconds later: the run fails, and every rule ends as its snapshot, for good."""
    before = three_rules(emulator)
    emulator.faults.sequence(UPDATE, [None] * late + [{"kind": "latency", "seconds": delay}])
    with pytest.raises(RuleChangeError) as caught:
        rotate_escalation_rules(
            emulator.credentials(timeout=0.5, max_retries=RETRIES),
            THREE_RULES,
            at=datetime(2026, 11, 3, 12, tzinfo=SHANGHAI),
        )
    time.sleep(delay)  # anything still on its way has landed now

    late_update = emulator.request_log.for_path(UPDATE)
    assert any(entry.status == 200 for entry in late_update), "the late update was applied"
    assert [without_stamps(rule) for rule in three_rules(emulator)] == [
        without_stamps(rule) for rule in before
    ], "every rule as its snapshot"
    assert len(caught.value.restored) == late + 1 and not caught.value.restore_failures
    assert "landed later and was undone" in str(caught.value)


def test_a_rule_another_run_changes_meanwhile_is_not_reported_unchanged(
    emulator: FlashcatEmulator,
) -> None:
    at = datetime(2026, 11, 3, 12, tzinfo=SHANGHAI)
    before = three_rules(emulator)
    rotate_escalation_rules(emulator.credentials(), THREE_RULES, at=at)
    first, second = THREE_RULES["rules"][0], THREE_RULES["rules"][1]
    rules = emulator.state.store.collection("/channel/escalate/rule").records
    with emulator.state.lock:  # the second rule back as before: this run changes only it
        rules[second["rule_id"]]["layers"] = copy.deepcopy(before[1]["layers"])

    def other_run() -> None:
        """Once the run has read its rules (it checks the recipients next), put the first
        rule back as another run at another instant would."""
        deadline = time.monotonic() + 60
        while not emulator.request_log.count("/person/infos") and time.monotonic() < deadline:
            time.sleep(0.02)
        with emulator.state.lock:
            rules[first["rule_id"]]["layers"] = copy.deepcopy(before[0]["layers"])

    emulator.request_log.clear()
    emulator.faults.sequence(UPDATE, [{"kind": "latency", "seconds": 2.0}])  # a slow write
    meddler = threading.Thread(target=other_run)
    meddler.start()
    try:
        with pytest.raises(RulesChangedMeanwhileError) as caught:
            rotate_escalation_rules(emulator.credentials(), THREE_RULES, at=at)
    finally:
        meddler.join()
    assert [snapshot.rule_id for snapshot in caught.value.rules] == [first["rule_id"]]
    assert emulator.request_log.count(UPDATE) == 1, "the other run's state was not overwritten"
    assert layer_people(rule_info(emulator, first["channel_id"], first["rule_id"])) == (
        layer_people(before[0])
    )


def test_plan_is_checked_against_live_data_before_any_write(emulator: FlashcatEmulator) -> None:
    broken = copy.deepcopy(THREE_RULES)
    broken["rules"][0]["rotations"][0]["roster"]["person_ids"] = [110, 999]
    broken["rules"][1]["rule_id"] = None
    broken["rules"][1]["rule_name"] = "No such rule"
    broken["rules"][2]["rotations"][0]["layers"] = [3]
    with pytest.raises(PlanCheckError) as caught:
        rotate_escalation_rules(
            emulator.credentials(), broken, at=datetime(2026, 11, 3, tzinfo=SHANGHAI)
        )
    text = str(caught.value)
    assert "person 999 does not exist" in text
    assert '"No such rule" not found' in text
    assert "layer 3 does not exist" in text
    assert emulator.request_log.count(UPDATE) == 0


def test_team_roster_is_checked_and_rotated(emulator: FlashcatEmulator) -> None:
    plan = {
        "rules": [
            {
                "channel_id": demo.DEFAULT_CHANNEL_ID,
                "rule_name": "Default",
                "rotations": [
                    {
                        "period": "weekly",
                        "start": "2026-11-02",
                        "roster": {"team_ids": list(demo.TEAM_IDS[:2])},
                        "layers": [2],
                        "target_kinds": ["team_ids", "person_ids"],
                    }
                ],
            }
        ]
    }
    rotate_escalation_rules(
        emulator.credentials(), plan, at=datetime(2026, 11, 10, tzinfo=SHANGHAI)
    )
    rule = rule_info(emulator, demo.DEFAULT_CHANNEL_ID, demo.DEFAULT_RULE_ID)
    assert rule["layers"][1]["target"].get("team_ids") == [demo.TEAM_IDS[1]]
    assert not rule["layers"][1]["target"].get("person_ids")
    plan["rules"][0]["rotations"][0]["roster"]["team_ids"] = [demo.TEAM_IDS[0], 987654]
    with pytest.raises(PlanCheckError, match="team 987654 does not exist"):
        rotate_escalation_rules(
            emulator.credentials(), plan, at=datetime(2026, 11, 10, tzinfo=SHANGHAI)
        )


def test_snapshot_file_restores_the_rules(emulator: FlashcatEmulator, tmp_path: Path) -> None:
    before = three_rules(emulator)
    path = tmp_path / "snapshots" / "rotation.json"
    report = rotate_escalation_rules(
        emulator.credentials(),
        THREE_RULES,
        at=datetime(2026, 11, 3, 12, tzinfo=SHANGHAI),
        snapshot_path=str(path),
    )
    assert report.snapshot_file == str(path)
    assert [s.rule for s in read_snapshot_file(path)] == [s.rule for s in report.snapshots]
    assert emulator.app_key not in path.read_text()
    assert three_rules(emulator) != before

    # a later run with nothing to do (or a dry run) keeps the file of the run that wrote
    rerun = rotate_escalation_rules(
        emulator.credentials(),
        THREE_RULES,
        at=datetime(2026, 11, 3, 12, tzinfo=SHANGHAI),
        snapshot_path=str(path),
    )
    assert rerun.snapshot_file is None and len(read_snapshot_file(path)) == 3

    listed = restore_rule_snapshot(emulator.credentials(), str(path), dry_run=True)
    assert len(listed) == 3 and three_rules(emulator) != before
    restore_rule_snapshot(emulator.credentials(), str(path))
    assert [without_stamps(r) for r in three_rules(emulator)] == [without_stamps(r) for r in before]


def flow_run_artifacts(flow_run_id) -> dict[str, str]:
    """Key -> content of the artifacts one flow run published.

    Posts the filter itself: this Prefect's ``read_artifacts`` sends explicit nulls for
    filters left out, which its own server refuses.
    """
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        response = client.request(
            "POST",
            "/artifacts/filter",
            json={
                "artifacts": {"flow_run_id": {"any_": [str(flow_run_id)]}},
                "sort": "CREATED_DESC",
                "limit": 50,
                "offset": 0,
            },
        )
    return {item["key"]: item["data"] for item in response.json() if item.get("key")}


def test_saved_block_name_plan_file_and_artifacts(emulator: FlashcatEmulator) -> None:
    emulator.credentials().save("rotation-flow-test", overwrite=True)
    state = rotate_escalation_rules(
        "rotation-flow-test",
        str(DATA / "weekly-default.yaml"),
        at=FIRST_HANDOVER + timedelta(weeks=1),
        return_state=True,
    )
    report = state.result()
    assert report.rules[0].written
    artifacts = flow_run_artifacts(state.state_details.flow_run_id)
    assert set(artifacts) == {"rotation-changes", "rotation-snapshot", "rotation-report"}
    assert "layer 1: 102 (" in artifacts["rotation-report"]
    snapshot = json.loads(artifacts["rotation-snapshot"].split("```json\n")[1].split("```")[0])
    assert snapshot["rules"][0]["rule"] == report.snapshots[0].rule
    assert emulator.app_key not in "".join(artifacts.values())


def test_a_rule_edited_after_the_read_is_not_overwritten(emulator: FlashcatEmulator) -> None:
    read = rule_info(emulator, demo.DEFAULT_CHANNEL_ID, demo.DEFAULT_RULE_ID)
    planned = RuleChange(
        snapshot=RuleSnapshot.of(RuleKind.ESCALATE, read),
        update_body=escalation_update_body(read) | {"description": "from the stale plan"},
    )
    someone_else = escalation_update_body(read) | {"description": "edited in the console"}
    with emulator.credentials().get_client() as client:
        client.request(UPDATE, someone_else)
        with pytest.raises(RuleModifiedError, match="was changed by someone else"):
            write_change(client, planned)
    current = rule_info(emulator, demo.DEFAULT_CHANNEL_ID, demo.DEFAULT_RULE_ID)
    assert current["description"] == "edited in the console"
