"""Run logs reach the Prefect API whatever the console verbosity.

The CLI runs in-process in quiet mode (no ``-v``) against the session's Prefect API (a real
server subprocess); the logs of its flow runs are then read back with ``read_logs``. The
console stays quiet: nothing but the command's own output is printed.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterStartTime,
    LogFilter,
    LogFilterFlowRunId,
)
from prefect.client.schemas.sorting import FlowRunSort, LogSort
from typer.testing import CliRunner

from flashcat_prefect.cli import build_app
from flashcat_prefect.cli._common import console_handlers, deliver_run_telemetry
from flashcat_prefect.emulator import FlashcatEmulator, seed

LOG_WAIT_SECONDS = 30


def invoke(args: list[str], emulator: FlashcatEmulator) -> Any:
    env = {"FLASHCAT_APP_KEY": emulator.app_key, "FLASHCAT_BASE_URL": emulator.url}
    return CliRunner().invoke(build_app(), args, env=env, catch_exceptions=False)


def latest_run(flow_name: str, since: datetime) -> Any:
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[flow_name])),
            flow_run_filter=FlowRunFilter(start_time=FlowRunFilterStartTime(after_=since)),
            sort=FlowRunSort.START_TIME_DESC,
            limit=1,
        )
    assert runs, f"no {flow_name} run recorded since {since}"
    return runs[0]


def run_logs(flow_run_id: Any, until: str) -> list[str]:
    """The run's log messages on the API, once one of them contains ``until``."""
    deliver_run_telemetry()
    deadline = time.monotonic() + LOG_WAIT_SECONDS
    with get_client(sync_client=True) as client:
        while True:
            logs = client.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])),
                sort=LogSort.TIMESTAMP_ASC,
                limit=200,
            )
            messages = [log.message for log in logs]
            if any(until in message for message in messages) or time.monotonic() > deadline:
                return messages
            time.sleep(0.5)


def test_quiet_cli_run_sends_its_logs_to_the_api(emulator: FlashcatEmulator) -> None:
    since = datetime.now(UTC)
    args = ["calendar", "sync", "--cal-id", seed.HOLIDAY_CALENDAR_ID, "--country", "CN"]
    result = invoke([*args, "--year", "2026"], emulator)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # quiet: no log lines on the console

    run = latest_run("flashcat-holiday-sync", since)
    assert run.state.is_completed()
    messages = run_logs(run.id, until="Finished in state Completed")
    assert any(message.startswith("Synced ") for message in messages), messages
    assert any("Finished in state Completed" in message for message in messages), messages
    assert emulator.app_key not in "\n".join(messages)


def test_a_failed_quiet_run_logs_why_it_failed(emulator: FlashcatEmulator, tmp_path: Path) -> None:
    plan = tmp_path / "rotation.yaml"
    plan.write_text(
        "time_zone: Asia/Shanghai\n"
        "rules:\n"
        f"  - channel_id: {seed.DEFAULT_CHANNEL_ID}\n"
        f"    rule_name: {seed.DEFAULT_RULE_NAME}\n"
        "    rotations:\n"
        "      - {period: weekly, start: '2026-11-02T10:00', layers: [1],"
        " roster: {person_ids: [101, 999999]}}\n",
        encoding="utf-8",
    )
    since = datetime.now(UTC)
    result = invoke(["rotate", "--plan", str(plan)], emulator)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1

    run = latest_run("flashcat-rotate-escalation-rules", since)
    assert run.state.is_failed()
    messages = run_logs(run.id, until="Finished in state Failed")
    failure = [message for message in messages if "999999" in message]
    assert failure and any("PlanCheckError" in message for message in failure), messages


def test_quiet_mode_leaves_the_console_handlers_as_it_found_them(
    emulator: FlashcatEmulator,
) -> None:
    before = {id(handler): list(handler.filters) for handler in console_handlers()}
    logging.getLogger("prefect").warning("a console handler is installed")  # sanity: no error
    result = invoke(
        [
            "calendar",
            "sync",
            "--cal-id",
            seed.HOLIDAY_CALENDAR_ID,
            "--dry-run",
            "--country",
            "CN",
            "--year",
            "2026",
        ],
        emulator,
    )
    assert result.exit_code == 0, result.stderr
    after = {id(handler): list(handler.filters) for handler in console_handlers()}
    assert {key: after.get(key) for key in before} == before
