"""The deployment kit on a real Prefect server, served and on a worker.

A ``prefect server start`` subprocess (temporary home, SQLite, loopback port) plays the
production server; an emulator with the demo seed plays Flashduty. The deployments of
``flows/prefect.yaml`` run twice: served by ``flows/serve.py`` in a second subprocess, and
registered with ``prefect deploy --all`` and run by ``prefect worker start`` on a process
work pool. Each deployment is triggered with ``run_deployment`` and must reach Completed;
the holiday sync's ``flashcat.calendar.synced`` event must start the chained calendar
profile run exactly once; every run's logs must be on the server; the effects are checked
in the emulator's state.

The session's ``prefect_test_harness`` points this process at its own API; everything here
talks to the subprocess server explicitly.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import httpx
import pyarrow.parquet as pq
import pytest
import yaml

from flashcat_prefect.client.pagination import items_of
from flashcat_prefect.emulator import FlashcatEmulator, seed

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

REPO = Path(__file__).resolve().parents[1]
KIT = REPO / "flows"
SERVER_START_TIMEOUT = 240.0
RUN_TIMEOUT = 420.0
BLOCK_NAME = "flashcat"
KIT_INCIDENTS = 2_000
"""Fewer than the demo seed's 10,000: the export stays quick, the check as strict."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(home: Path, api_url: str | None = None, **extra: str) -> dict[str, str]:
    """This process's environment without any PREFECT_* setting, plus a home of its own."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
        **extra,
    )
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


class Background:
    """A subprocess in its own process group, logging to a file, stopped as a group."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path, cwd: Path) -> None:
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            args,
            env=env,
            cwd=cwd,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        self._log_file.close()


def start_prefect_server(base: Path) -> tuple[Background, str]:
    """``prefect server start`` on a free loopback port, home under ``base``; waits for health."""
    port = free_port()
    server = Background(
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-ui",
            "--no-scheduler",
            "--no-late-runs",
        ],
        clean_env(base / "home"),
        base / "server.log",
        base,
    )
    api_url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        if server.process.poll() is not None:
            server.stop()
            pytest.fail(f"prefect server exited early:\n{server.tail()}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return server, api_url
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            pytest.fail(f"prefect server did not answer in time:\n{server.tail()}")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``prefect server start`` on a free loopback port; yields its API URL."""
    server, api_url = start_prefect_server(tmp_path_factory.mktemp("prefect-server"))
    try:
        yield api_url
    finally:
        server.stop()


@pytest.fixture(scope="module")
def kit_emulator() -> Iterator[FlashcatEmulator]:
    """An emulator of our own: the session one is reset by other tests."""
    with FlashcatEmulator(seed="demo", rate_limits=False, incidents=KIT_INCIDENTS) as emulator:
        yield emulator


def kit_deployments() -> list[dict[str, Any]]:
    return yaml.safe_load((KIT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]


def wait_for_deployments(client: Any, names: set[str], serve: Background) -> dict[str, Any]:
    """The named deployments, once all are registered (``serve`` is the process doing it)."""
    from prefect.client.schemas.sorting import DeploymentSort

    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        listed = client.read_deployments(limit=50, sort=DeploymentSort.NAME_ASC)
        found = {deployment.name: deployment for deployment in listed}
        if names <= found.keys():
            return found
        if serve.process.poll() is not None:
            pytest.fail(f"serve.py exited early:\n{serve.tail()}")
        if time.monotonic() > deadline:
            pytest.fail(
                f"deployments {sorted(names - found.keys())} never appeared:\n{serve.tail()}"
            )
        time.sleep(1)


def wait_for_final_states(
    client: Any, run_ids: dict[str, Any], serve: Background
) -> dict[str, Any]:
    deadline = time.monotonic() + RUN_TIMEOUT
    while True:
        runs = {name: client.read_flow_run(run_id) for name, run_id in run_ids.items()}
        if all(run.state is not None and run.state.is_final() for run in runs.values()):
            return runs
        if serve.process.poll() is not None:
            pytest.fail(f"serve.py exited while runs were pending:\n{serve.tail()}")
        if time.monotonic() > deadline:
            states = {name: run.state.name if run.state else None for name, run in runs.items()}
            pytest.fail(f"runs not finished in time: {states}\n{serve.tail()}")
        time.sleep(1)


CHAINED = "calendar-profile-daily"
"""The deployment whose trigger chains on the holiday sync's event."""


def run_every_deployment(
    client: Any, deployments: dict[str, Any], runner: Background
) -> tuple[dict[str, Any], Any, tuple[datetime, datetime]]:
    """Trigger every deployment and wait for it; returns the runs, the one run the chained
    trigger started, and when the runs were triggered and finished."""
    from prefect.deployments import run_deployment

    flow_names = {name: client.read_flow(d.flow_id).name for name, d in deployments.items()}

    def trigger(names: list[str]) -> dict[str, Any]:
        return {name: run_deployment(f"{flow_names[name]}/{name}", timeout=0).id for name in names}

    # The rotation and the profile both write channel 2001's "Default" rule (their
    # schedules never overlap): the rotation goes after the others and the chained run.
    triggered_at = datetime.now(UTC)
    first_wave = [name for name in deployments if name != "rotation-weekly"]
    runs = wait_for_final_states(client, trigger(first_wave), runner)
    chained = wait_for_chained_run(
        client, deployments[CHAINED].id, runs[CHAINED].id, triggered_at, runner
    )
    runs |= wait_for_final_states(client, trigger(["rotation-weekly"]), runner)
    finished_at = datetime.now(UTC)
    assert chained_runs(client, deployments[CHAINED].id, runs[CHAINED].id, triggered_at) == [
        chained
    ]
    return runs, chained, (triggered_at, finished_at)


def chained_runs(client: Any, deployment_id: Any, triggered_id: Any, since: datetime) -> list[Any]:
    """Runs of ``deployment_id`` created since ``since``, other than the one we triggered."""
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterDeploymentId

    runs = client.read_flow_runs(
        flow_run_filter=FlowRunFilter(deployment_id=FlowRunFilterDeploymentId(any_=[deployment_id]))
    )
    return [run for run in runs if run.id != triggered_id and run.created >= since]


def wait_for_chained_run(
    client: Any, deployment_id: Any, triggered_id: Any, since: datetime, runner: Background
) -> Any:
    """The run an automation started for ``deployment_id``, once it has finished."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while True:
        runs = chained_runs(client, deployment_id, triggered_id, since)
        if runs and all(run.state is not None and run.state.is_final() for run in runs):
            (run,) = runs
            assert run.created_by is not None and run.created_by.type == "AUTOMATION"
            return run
        if runner.process.poll() is not None:
            pytest.fail(f"the runner exited while the chained run was pending:\n{runner.tail()}")
        if time.monotonic() > deadline:
            pytest.fail(f"the chained trigger did not run {CHAINED} in time:\n{runner.tail()}")
        time.sleep(1)


def assert_completed_and_logged(client: Any, runs: list[Any], runner: Background) -> None:
    """Every run completed, and its logs (its final state line at least) are on the server."""
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    failed = {run.name: run.state.message for run in runs if not run.state.is_completed()}
    assert not failed, f"{failed}\n{runner.tail(80)}"
    deadline = time.monotonic() + 60
    for run in runs:
        while True:
            logs = client.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])), limit=200
            )
            if any(log.message.startswith("Finished in state Completed") for log in logs):
                break
            assert time.monotonic() < deadline, f"no logs on the server for {run.name}"
            time.sleep(0.5)


def run_kit(
    runner: Background, names: set[str], check: Callable[[dict[str, Any]], None]
) -> tuple[datetime, datetime]:
    """Wait for the deployments ``runner`` serves or picks up, ``check`` them, then run every
    one (and the chained run) to Completed with its logs on the server; stops ``runner``.
    Returns when the runs were triggered and when they had finished."""
    from prefect.client.orchestration import get_client

    try:
        with get_client(sync_client=True) as client:
            deployments = wait_for_deployments(client, names, runner)
            check(deployments)
            runs, chained, window = run_every_deployment(client, deployments, runner)
            assert_completed_and_logged(client, [*runs.values(), chained], runner)
    finally:
        runner.stop()
    return window


def test_served_deployments_complete_and_change_the_emulator(
    prefect_server: str, kit_emulator: FlashcatEmulator, tmp_path: Path
) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    specs = {spec["name"]: spec for spec in kit_deployments()}
    rules_before = channel_rules(kit_emulator, "escalate")
    # Start from the other profile, so that the profile run has to switch every rule.
    day_off = is_day_off_in_china(datetime.now(UTC))
    set_profile_rules(kit_emulator, day_off=not day_off)

    with temporary_settings({PREFECT_API_URL: prefect_server}):
        kit_emulator.credentials().save(BLOCK_NAME, overwrite=True)
        serve = Background(
            [sys.executable, str(KIT / "serve.py")],
            clean_env(tmp_path / "serve-home", prefect_server, PREFECT_RUNNER_POLL_FREQUENCY="1"),
            tmp_path / "serve.log",
            tmp_path,
        )

        def check_schedules(deployments: dict[str, Any]) -> None:
            for name, spec in specs.items():
                schedules = deployments[name].schedules
                assert [(s.schedule.cron, s.schedule.timezone) for s in schedules] == [
                    (entry["cron"], entry["timezone"]) for entry in spec["schedules"]
                ]

        triggered_at, finished_at = run_kit(serve, set(specs), check_schedules)

    check_holiday_calendar(kit_emulator, triggered_at)
    check_rotation(
        kit_emulator,
        specs["rotation-weekly"]["parameters"]["plan"],
        (triggered_at, finished_at),
        rules_before,
    )
    if is_day_off_in_china(finished_at) == day_off:  # else the day turned during the test
        check_calendar_profile(kit_emulator, day_off)
    check_metrics_export(kit_emulator, tmp_path / "flashcat-export", triggered_at, finished_at)


def test_worker_runs_the_deployed_kit_and_its_chained_trigger(
    prefect_server: str, tmp_path: Path
) -> None:
    """``prefect deploy --all`` + ``prefect worker start`` on a process pool, as most teams run
    scheduled deployments. The kit is deployed from a copy, so the runs' working directory
    (and the export's relative ``output_dir``) lies in the test's temporary directory."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists
    from prefect.settings import PREFECT_API_URL, temporary_settings

    specs = {spec["name"]: spec for spec in kit_deployments()}
    kit = tmp_path / "kit"
    kit.mkdir()
    for name in ("prefect.yaml", "recent_metrics.py"):
        shutil.copy(KIT / name, kit / name)
    pool = specs[CHAINED]["work_pool"]["name"]

    with (
        FlashcatEmulator(seed="demo", rate_limits=False, incidents=KIT_INCIDENTS) as emulator,
        temporary_settings({PREFECT_API_URL: prefect_server}),
    ):
        emulator.credentials().save(BLOCK_NAME, overwrite=True)
        # The pool may be there already: the served test shares the server.
        with get_client(sync_client=True) as client, contextlib.suppress(ObjectAlreadyExists):
            client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
        deploy = subprocess.run(
            [sys.executable, "-m", "prefect", "--no-prompt", "deploy", "--all"],
            cwd=kit,
            env=clean_env(tmp_path / "deploy-home", prefect_server),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert deploy.returncode == 0, (deploy.stdout + deploy.stderr)[-4000:]
        worker = Background(
            [sys.executable, "-m", "prefect", "worker", "start", "--pool", pool, "--limit", "4"],
            clean_env(
                tmp_path / "worker-home",
                prefect_server,
                PREFECT_WORKER_QUERY_SECONDS="1",
                PREFECT_WORKER_PREFETCH_SECONDS="5",
            ),
            tmp_path / "worker.log",
            kit,
        )

        def check_pool(deployments: dict[str, Any]) -> None:
            assert {d.work_pool_name for d in deployments.values()} == {pool}

        triggered_at, finished_at = run_kit(worker, set(specs), check_pool)

        check_holiday_calendar(emulator, triggered_at)
        check_metrics_export(emulator, kit / "flashcat-export", triggered_at, finished_at)


# --- effects ---------------------------------------------------------------------------------


def channel_rules(emulator: FlashcatEmulator, kind: str) -> dict[str, dict[str, Any]]:
    with emulator.credentials().get_client() as client:
        answer = client.request(
            f"/channel/{kind}/rule/list", {"channel_id": seed.DEFAULT_CHANNEL_ID}
        )
    return {rule["rule_name"]: rule for rule in items_of(answer)}


def check_holiday_calendar(emulator: FlashcatEmulator, at: datetime) -> None:
    """This year's events are exactly China's days off and makeup working days."""
    year = at.astimezone(ZoneInfo("Asia/Shanghai")).year
    with emulator.credentials().get_client() as client:
        calendars = items_of(client.request("/calendar/list", {}))
        cal_id = next(c["cal_id"] for c in calendars if c["cal_name"] == "China Holidays")
        events = items_of(client.request("/calendar/event/list", {"cal_id": cal_id, "year": year}))
    china = holidays.China(years=year)
    off = {event["start_at"] for event in events if event["is_off"]}
    working = {event["start_at"] for event in events if not event["is_off"]}
    assert off == {day.isoformat() for day in china}
    assert working == {day.isoformat() for day in china.weekend_workdays if day.year == year}


def check_rotation(
    emulator: FlashcatEmulator,
    plan: dict[str, Any],
    instants: tuple[datetime, datetime],
    before: dict[str, Any],
) -> None:
    """Layers 1 and 2 of the rule hold the roster members of the weekly shift the run saw
    (the shift at the start or the end of the test, should a handover fall in between)."""
    (rule,) = plan["rules"]
    (rotation,) = rule["rotations"]
    zone = ZoneInfo(plan["time_zone"])
    start = datetime.fromisoformat(rotation["start"]).replace(tzinfo=zone)
    roster = rotation["roster"]["person_ids"]
    layers = channel_rules(emulator, "escalate")[rule["rule_name"]]["layers"]
    on_duty = [layers[number - 1]["target"]["person_ids"] for number in rotation["layers"]]
    expected = [
        [[roster[(shift + offset) % len(roster)]] for offset in range(len(rotation["layers"]))]
        for shift in {(at - start) // timedelta(weeks=1) for at in instants}
    ]
    assert on_duty in expected
    assert (
        layers[1]["target"]["team_ids"]
        == before[rule["rule_name"]]["layers"][1]["target"]["team_ids"]
    )


PROFILE_RULES = (
    ("escalate", "Holiday", True),
    ("silence", "Quiet days", True),
    ("escalate", "Default", False),
)
"""(kind, rule name, enabled on days off) of the kit's calendar profile."""


def is_day_off_in_china(at: datetime) -> bool:
    today = at.astimezone(ZoneInfo("Asia/Shanghai")).date()
    china = holidays.China(years=today.year)
    return today in china or (today.weekday() >= 5 and today not in china.weekend_workdays)


def set_profile_rules(emulator: FlashcatEmulator, day_off: bool) -> None:
    """Switch the profile's rules to the day-off (or working-day) state directly."""
    with emulator.credentials().get_client() as client:
        for kind, name, on_days_off in PROFILE_RULES:
            rule = channel_rules(emulator, kind)[name]
            action = "enable" if on_days_off == day_off else "disable"
            client.request(
                f"/channel/{kind}/rule/{action}",
                {"channel_id": seed.DEFAULT_CHANNEL_ID, "rule_id": rule["rule_id"]},
            )


def check_calendar_profile(emulator: FlashcatEmulator, day_off: bool) -> None:
    """The rules are in the profile of today (China's holidays, weekends, makeup days)."""
    for kind, name, on_days_off in PROFILE_RULES:
        wanted = "enabled" if on_days_off == day_off else "disabled"
        assert channel_rules(emulator, kind)[name]["status"] == wanted, name


def check_metrics_export(
    emulator: FlashcatEmulator, out: Path, triggered: datetime, finished: datetime
) -> None:
    """The export holds every incident of the last 90 days (the run's 'now' lies between
    ``triggered`` and ``finished``), each once, and nothing else."""
    table = pq.read_table(out / "incidents.parquet", columns=["incident_id"])
    exported = table.column("incident_id").to_pylist()
    assert len(exported) == len(set(exported))
    incidents = emulator.state.incidents

    def ids_between(start: datetime, end: datetime) -> set[str]:
        low, high = incidents.range_rows(int(start.timestamp()), int(end.timestamp()))
        return {incidents.incident_id(row) for row in range(low, high)}

    window = timedelta(days=90)
    surely_in = ids_between(finished - window + timedelta(seconds=1), triggered)
    possibly_in = ids_between(
        triggered - window - timedelta(seconds=1), finished + timedelta(seconds=1)
    )
    assert surely_in <= set(exported) <= possibly_in
    assert len(surely_in) > KIT_INCIDENTS // 2
    assert (out / "summary.csv").is_file() and (out / "incidents.csv").is_file()
