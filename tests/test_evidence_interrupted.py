"""Interrupted work: a flow process killed half way, then run again, ends exactly right.

The first run of each scenario is a separate Python process (talking to the session's
Prefect harness and to the emulator over loopback) that gets SIGKILLed in the middle of
its work: no ``finally`` blocks, no restore, nothing of the flow's own clean-up runs. The
second run happens here, as usual, and must end with the same state an uninterrupted run
would have reached.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pandas as pd
from prefect.settings import PREFECT_API_URL

from flashcat_prefect.emulator import FlashcatEmulator
from flashcat_prefect.flows import rotate_escalation_rules
from flashcat_prefect.flows.metrics import export_incident_metrics, load_exported_incidents
from tests.test_metrics_flow import create_incidents, source_incidents
from tests.test_rotation_flow import THREE_RULES, rule_info

REPO = Path(__file__).resolve().parent.parent
DAY = 86_400
KILL_TIMEOUT = 120.0
ROTATION_AT = dt.datetime(2026, 11, 3, 12, tzinfo=dt.timezone(dt.timedelta(hours=8)))
UPDATE = "/channel/escalate/rule/update"

PRELUDE = """
import os, signal
from flashcat_prefect.credentials import FlashcatCredentials
credentials = FlashcatCredentials(
    app_key=os.environ["EVIDENCE_APP_KEY"], base_url=os.environ["EVIDENCE_BASE_URL"]
)
"""


def start_flow_process(emulator: FlashcatEmulator, script: str) -> subprocess.Popen[bytes]:
    """Run ``script`` (after :data:`PRELUDE`) in a child process on the harness's API."""
    env = {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "EVIDENCE_APP_KEY": emulator.app_key,
        "EVIDENCE_BASE_URL": emulator.url,
        "PYTHONPATH": str(REPO),
    }
    code = PRELUDE + textwrap.dedent(script)
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def kill_when(process: subprocess.Popen[bytes], ready: Any) -> None:
    """SIGKILL ``process`` as soon as ``ready()`` is true (fail if it ends first)."""
    deadline = time.monotonic() + KILL_TIMEOUT
    while not ready():
        assert process.poll() is None, f"the run ended before the kill: {process.stderr.read()!r}"
        assert time.monotonic() < deadline, "the run never got half way"
        time.sleep(0.02)
    process.kill()
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


# --- the export --------------------------------------------------------------------------------

EXPORT_SCRIPT = """
import datetime
from flashcat_prefect.flows.metrics import export_incident_metrics
export_incident_metrics(
    credentials, start={start}, end={end}, output_dir={out!r},
    window=datetime.timedelta(days=1), since_last_run=True,
)
"""


def export_in_process(emulator, out: Path, start: int, end: int) -> Any:
    return export_incident_metrics(
        emulator.credentials(),
        start=start,
        end=end,
        output_dir=str(out),
        window=dt.timedelta(days=1),
        since_last_run=True,
    )


def killed_export(
    emulator: FlashcatEmulator, out: Path, start: int, end: int, *, pages: int = 4
) -> None:
    """Start the export in a child process and kill it once ``pages`` pages were answered.

    An incremental run may need only a page or two (how many depends on the time of day
    the suite runs), so its kill comes after the first answered page.
    """
    before = emulator.request_log.count("/incident/list")
    # Slow pages, so that the kill lands while windows are still being fetched.
    emulator.faults.add("latency", path="/incident/list", seconds=0.3)
    script = EXPORT_SCRIPT.format(start=start, end=end, out=str(out))
    process = start_flow_process(emulator, script)
    kill_when(process, lambda: emulator.request_log.count("/incident/list") >= before + pages)
    emulator.faults.clear()


def exported(out: Path) -> pd.DataFrame:
    frame = load_exported_incidents(out)
    return frame.sort_values("incident_id").reset_index(drop=True)


def test_an_export_killed_mid_run_and_started_again_ends_with_the_same_dataset(
    emulator: FlashcatEmulator, tmp_path: Path
):
    now = emulator.state.now
    start, end = now - 4 * DAY, now + DAY  # the range reaches past now: new incidents count
    out = tmp_path / "export"

    # 1. The very first export is killed: nothing is in place, the next run does it all.
    killed_export(emulator, out, start, end)
    assert not (out / "incidents.parquet").exists(), "no half-written file in place"
    first = export_in_process(emulator, out, start, end)
    assert not first.incremental
    source = source_incidents(emulator, start, end)
    assert sorted(exported(out)["incident_id"]) == sorted(i["incident_id"] for i in source)

    # 2. New incidents arrive; the incremental run that should pick them up is killed.
    with emulator.credentials().get_client() as client:
        created = create_incidents(client, "Warning", "late", channel_id=2002)
    killed_export(emulator, out, start, end, pages=1)
    second = export_in_process(emulator, out, start, end)

    # The same dataset as an export that was never interrupted, row for row.
    reference = tmp_path / "reference"
    export_in_process(emulator, reference, start, end)
    after, expected = exported(out), exported(reference)
    assert created <= set(after["incident_id"])
    assert after["incident_id"].is_unique
    pd.testing.assert_frame_equal(after, expected)
    assert second.incident_count == len(expected) == len(source) + len(created)
    names = sorted(path.name for path in out.iterdir())
    assert names == sorted(path.name for path in reference.iterdir()), "no leftovers"


def test_ctrl_c_stops_an_export_without_reading_the_rest(emulator: FlashcatEmulator, tmp_path):
    """SIGINT while windows are being fetched: the fetch is cancelled (not left to finish in
    its loop thread), the process ends, and nothing half-written is left in place."""
    now = emulator.state.now
    start, end = now - 30 * DAY, now
    with emulator.credentials().get_client() as client:
        pages = sum(
            1
            for _ in client.iter_pages(
                "/incident/list",
                {"start_time": start, "end_time": start + 30 * DAY - 1, "limit": 100},
            )
        )
    assert pages > 12, "the range needs enough pages to interrupt in the middle"
    out = tmp_path / "export"
    before = emulator.request_log.count("/incident/list")
    emulator.faults.add("latency", path="/incident/list", seconds=0.3)
    process = start_flow_process(emulator, EXPORT_SCRIPT.format(start=start, end=end, out=str(out)))
    deadline = time.monotonic() + KILL_TIMEOUT
    while emulator.request_log.count("/incident/list") < before + 4:
        assert process.poll() is None, f"the run ended early: {process.stderr.read()!r}"
        assert time.monotonic() < deadline, "the run never started fetching"
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    process.wait(timeout=KILL_TIMEOUT)
    emulator.faults.clear()
    assert process.returncode != 0
    read = emulator.request_log.count("/incident/list") - before
    assert read < pages, f"{read} pages read after Ctrl-C: the fetch went on to the end"
    assert not (out / "incidents.parquet").exists()
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


# --- the rotation ------------------------------------------------------------------------------

ROTATION_SCRIPT = """
import datetime as dt, json
from flashcat_prefect.flows import rotate_escalation_rules
from flashcat_prefect.flows.rotation import _run as rotation_run

real_write = rotation_run.write_change

def write_then_die(client, change):
    real_write(client, change)
    os.kill(os.getpid(), signal.SIGKILL)  # the process dies between two updates

rotation_run.write_change = write_then_die
rotate_escalation_rules(
    credentials, json.loads({plan!r}), at=dt.datetime.fromisoformat({at!r})
)
"""


def rules_now(emulator: FlashcatEmulator) -> list[list[int]]:
    return [
        rule_info(emulator, r["channel_id"], r["rule_id"])["layers"][0]["target"]["person_ids"]
        for r in THREE_RULES["rules"]
    ]


def test_a_rotation_killed_between_updates_is_detected_and_repaired(
    emulator: FlashcatEmulator,
):
    before = rules_now(emulator)
    script = ROTATION_SCRIPT.format(plan=json.dumps(THREE_RULES), at=ROTATION_AT.isoformat())
    process = start_flow_process(emulator, script)
    process.wait(timeout=KILL_TIMEOUT)
    assert process.returncode == -signal.SIGKILL, process.stderr.read()
    assert emulator.request_log.count(UPDATE) == 1, "killed after the first of three updates"
    half = rules_now(emulator)
    assert half[0] != before[0] and half[1:] == before[1:], "a half-rotated set of rules"

    report = rotate_escalation_rules(emulator.credentials(), THREE_RULES, at=ROTATION_AT)

    # Detected: the rule written before the kill is already right, the other two are not.
    assert [rule.changed for rule in report.rules] == [False, True, True]
    assert [rule.written for rule in report.rules] == [False, True, True]
    # Repaired: all three rules now say what an uninterrupted run would have written.
    assert rules_now(emulator) == [half[0]] * 3
    assert emulator.request_log.count(UPDATE) == 3
