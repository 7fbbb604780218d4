"""Each routine tells the rest of Prefect what it did: ``flashcat.*`` events, and the export's
files as materialized assets, read back from the session's Prefect API.

Every routine runs for real against the emulator; the events are then listed with the
Prefect client (``read_events``), narrowed to the routine's own flow run.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from prefect.client.orchestration import get_client
from prefect.events.filters import (
    EventFilter,
    EventNameFilter,
    EventOccurredFilter,
    EventRelatedFilter,
)
from prefect.events.worker import EventsWorker

from flashcat_prefect.emulator import FlashcatEmulator, seed
from flashcat_prefect.flows import (
    apply_calendar_profile,
    export_incident_metrics,
    rotate_escalation_rules,
    sync_holiday_calendar,
)
from flashcat_prefect.flows._events import account_fingerprint

KIT = Path(__file__).resolve().parents[1] / "flows" / "prefect.yaml"
EVENT_WAIT_SECONDS = 30
MATERIALIZED = "prefect.asset.materialization.succeeded"


def kit_parameters(name: str) -> dict[str, Any]:
    specs = yaml.safe_load(KIT.read_text(encoding="utf-8"))["deployments"]
    return next(spec["parameters"] for spec in specs if spec["name"] == name)


def events_of_run(state: Any, names: list[str], count: int = 1) -> list[Any]:
    """Events named ``names`` related to the flow run that ended in ``state`` (waits for
    ``count`` of them)."""
    assert state.is_completed(), state.message
    run_id = str(state.state_details.flow_run_id)
    EventsWorker.drain_all(timeout=10)
    since = datetime.now(UTC) - timedelta(minutes=10)
    deadline = time.monotonic() + EVENT_WAIT_SECONDS
    with get_client(sync_client=True) as client:
        while True:
            page = client.read_events(
                EventFilter(
                    occurred=EventOccurredFilter(since=since),
                    event=EventNameFilter(name=names),
                    related=EventRelatedFilter(id=[f"prefect.flow-run.{run_id}"]),
                ),
                limit=50,
            )
            found = page.events
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.5)


def related_by_role(event: Any) -> dict[str, list[str]]:
    roles: dict[str, list[str]] = {}
    for related in event.related:
        roles.setdefault(related.role, []).append(related.id)
    return roles


def assert_account_but_no_key(event: Any, emulator: FlashcatEmulator) -> None:
    fingerprint = account_fingerprint(emulator.credentials())
    assert related_by_role(event)["flashcat-account"] == [f"flashcat.account.{fingerprint}"]
    assert emulator.app_key not in json.dumps(event.model_dump(mode="json"))


def test_holiday_sync_emits_calendar_synced(emulator: FlashcatEmulator) -> None:
    state = sync_holiday_calendar(
        emulator.credentials(),
        cal_id=seed.HOLIDAY_CALENDAR_ID,
        country="CN",
        years=2026,
        return_state=True,
    )
    report = state.result()
    (event,) = events_of_run(state, ["flashcat.calendar.synced"])
    assert event.resource.id == f"flashcat.calendar.{seed.HOLIDAY_CALENDAR_ID}"
    assert event.resource["flashcat.changed"] == "true"
    assert event.payload["created"] == report.created > 0
    assert (event.payload["updated"], event.payload["deleted"]) == (0, 0)
    assert_account_but_no_key(event, emulator)


def test_rotation_emits_rule_rotated(emulator: FlashcatEmulator) -> None:
    plan = kit_parameters("rotation-weekly")["plan"]
    state = rotate_escalation_rules(
        emulator.credentials(),
        plan,
        at=datetime(2026, 11, 20, tzinfo=UTC),
        return_state=True,
    )
    report = state.result()
    (event,) = events_of_run(state, ["flashcat.rule.rotated"])
    (rule,) = report.rules
    assert rule.written
    assert event.resource.id == f"flashcat.rule.{rule.rule_id}"
    assert event.resource["flashcat.changed"] == "true"
    assert related_by_role(event)["channel"] == [f"flashcat.channel.{rule.channel_id}"]
    assert event.payload["diff"] == rule.diff
    assert_account_but_no_key(event, emulator)


def test_calendar_profile_emits_profile_applied(emulator: FlashcatEmulator) -> None:
    plan = kit_parameters("calendar-profile-daily")["plan"]
    state = apply_calendar_profile(
        emulator.credentials(), plan, day=datetime(2026, 10, 1).date(), return_state=True
    )
    report = state.result()
    (event,) = events_of_run(state, ["flashcat.profile.applied"])
    assert event.resource.id == "flashcat.profile.day_off"  # National Day
    assert event.payload["is_off"] is True
    roles = related_by_role(event)
    assert sorted(roles["rule"]) == sorted(f"flashcat.rule.{r.rule_id}" for r in report.rules)
    assert roles["channel"] == [f"flashcat.channel.{seed.DEFAULT_CHANNEL_ID}"]
    assert_account_but_no_key(event, emulator)


def test_export_emits_exported_and_materializes_its_files(
    emulator: FlashcatEmulator, tmp_path: Path
) -> None:
    end = datetime.fromtimestamp(emulator.state.now, UTC)
    state = export_incident_metrics(
        emulator.credentials(),
        start=end - timedelta(days=14),
        end=end,
        output_dir=str(tmp_path / "export"),
        return_state=True,
    )
    report = state.result()
    (exported,) = events_of_run(state, ["flashcat.incidents.exported"])
    assert exported.payload["rows"] == report.incident_count > 0
    assert exported.payload["path"] == str((tmp_path / "export").resolve())
    assert_account_but_no_key(exported, emulator)
    (upstream,) = related_by_role(exported)["source-asset"]
    assert upstream.startswith("flashduty://") and upstream.endswith("/incidents")

    data_files = {kind: report.files[kind] for kind in ("parquet", "csv", "summary_csv")}
    keys = {Path(path).resolve().as_uri(): kind for kind, path in data_files.items()}
    assert set(related_by_role(exported)["export-file"]) >= set(keys)

    materialized = events_of_run(state, [MATERIALIZED], count=len(keys))
    assert {event.resource.id for event in materialized} == set(keys)
    for event in materialized:
        assert related_by_role(event)["asset"] == [upstream]
        metadata = event.payload
        assert metadata["time_range"] == exported.payload["window"]
        if keys[event.resource.id] == "summary_csv":
            assert metadata["schema"][0] == {"name": "dimension"}
        else:
            assert metadata["rows"] == report.incident_count
            assert {"name": "incident_id", "type": "string"} in metadata["schema"]
