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

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

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
    history = pq.read_table(out / "metrics" / "incidents.parquet",
                            columns=["escalated", "escalation_layer", "escalate_rule_name"])
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
    # Quiet console, full record: every run's logs reached the demo's Prefect API.
    with sqlite3.connect(database) as connection:
        logged = connection.execute(
            "select f.name, count(l.id) from flow_run r join flow f on f.id = r.flow_id "
            "left join log l on l.flow_run_id = r.id "
            "and l.task_run_id is null and l.message like 'Finished in state Completed%' "
            "group by r.id"
        ).fetchall()
    assert {name: count for name, count in logged} == dict.fromkeys(
        [name for name, _ in states], 1
    ), logged
    assert not (tmp_path / "home" / ".prefect" / "prefect.db").exists()
