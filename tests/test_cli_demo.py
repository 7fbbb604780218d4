"""``flashcat-prefect demo`` as a new user runs it: a fresh process with no Prefect settings.

The demo must start its own emulator and Prefect's embedded server, record four completed
flow runs and their logs in its own Prefect home, leave every file its summary names, and
change the emulator the way the summary says.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]  # demo (540 s cap) + read-back (240 s)

REPO = Path(__file__).resolve().parents[1]


def test_demo_from_a_clean_environment(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update(
        HOME=str(tmp_path / "home"),  # no user profile, no ~/.prefect
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
        COLUMNS="120",
    )
    (tmp_path / "home").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "flashcat_prefect.cli", "demo", "--out", "demo-output"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "What changed" in result.stdout and "Files" in result.stdout
    assert "Traceback" not in result.stderr

    out = tmp_path / "demo-output"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [step["name"] for step in summary["steps"]] == [
        "Holiday sync",
        "Rotation",
        "Calendar profile",
        "Metrics export",
    ]
    for path in summary["files"]:
        assert (tmp_path / path).is_file(), path
        assert Path(path).name in result.stdout  # the printed summary names it too

    rows = pq.read_table(out / "metrics" / "incidents.parquet").num_rows
    assert f"{rows:,} incidents" in summary["steps"][3]["outcome"]
    assert rows > 1000
    assert summary["steps"][1]["outcome"].startswith("1 of 1")  # the seeded rule rotated
    history = pq.read_table(
        out / "metrics" / "incidents.parquet",
        columns=["escalated", "escalation_layer", "escalate_rule_name"],
    )
    escalated = sum(history.column("escalated").to_pylist())
    assert 0.08 * rows < escalated < 0.3 * rows
    assert set(history.column("escalation_layer").to_pylist()) == {0, 1}
    assert f"escalations {escalated:,}" in " ".join(summary["steps"][3]["details"])
    # the rotation disabled "Default" before the export; the incidents still name the rule
    # that assigned them
    assert set(history.column("escalate_rule_name").to_pylist()) == {"Default"}

    # The flow runs were real: recorded, completed, in the demo's own Prefect home.
    database = out / ".prefect" / "prefect.db"
    with sqlite3.connect(database) as connection:
        states = connection.execute(
            "select f.name, r.state_type from flow_run r join flow f on f.id = r.flow_id"
        ).fetchall()
    assert sorted(name for name, _ in states) == sorted(
        [
            "flashcat-holiday-sync",
            "flashcat-rotate-escalation-rules",
            "flashcat-apply-calendar-profile",
            "export-incident-metrics",
        ]
    )
    assert {state for _, state in states} == {"COMPLETED"}
    # Quiet console, full record: read back through the Prefect API (an embedded server on the
    # demo's home), every run has its logs and every routine its flashcat.* event.
    record = read_back_through_the_api(out / ".prefect", env)
    assert sorted(record["finished_lines"]) == sorted(name for name, _ in states), record
    assert sorted(record["events"]) == [
        "flashcat.calendar.synced",
        "flashcat.incidents.exported",
        "flashcat.profile.applied",
        "flashcat.rule.rotated",
    ]
    assert not (tmp_path / "home" / ".prefect" / "prefect.db").exists()


READ_BACK = """
import json
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
from prefect.events.filters import EventFilter, EventNameFilter

with get_client(sync_client=True) as client:
    finished = []
    for run in client.read_flow_runs():
        logs = client.read_logs(
            log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])), limit=200
        )
        name = client.read_flow(run.flow_id).name
        finished += [name for log in logs
                     if log.task_run_id is None and log.message.startswith("Finished in state")]
    page = client.read_events(EventFilter(event=EventNameFilter(prefix=["flashcat."])), limit=50)
    print(json.dumps({"finished_lines": finished, "events": sorted({e.event for e in page.events})}))
"""


def read_back_through_the_api(home: Path, env: dict[str, str]) -> dict[str, list[str]]:
    """Flow-run final-state log lines and flashcat.* event names from a Prefect home, read
    with the Prefect client (which starts its embedded server on that home's database)."""
    result = subprocess.run(
        [sys.executable, "-c", READ_BACK],
        env={
            **env,
            "PREFECT_HOME": str(home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        },
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
