"""The deployment kit on a real Prefect server.

A ``prefect server start`` subprocess (temporary home, SQLite, loopback port) plays the
production server; ``flows/serve.py`` runs as a second subprocess and serves every
deployment of ``flows/prefect.yaml``; an emulator with the demo seed plays Flashduty. Each
deployment is triggered with ``run_deployment``, must reach Completed, and its effect is
checked in the emulator's state.

The session's ``prefect_test_harness`` points this process at its own API; everything here
talks to the subprocess server explicitly.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
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


def test_served_deployments_complete_and_change_the_emulator(
    prefect_server: str, kit_emulator: FlashcatEmulator, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
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
        try:
            with get_client(sync_client=True) as client:
                deployments = wait_for_deployments(client, set(specs), serve)
                for name, spec in specs.items():
                    schedules = deployments[name].schedules
                    assert [(s.schedule.cron, s.schedule.timezone) for s in schedules] == [
                        (entry["cron"], entry["timezone"]) for entry in spec["schedules"]
                    ]
                flow_names = {
                    name: client.read_flow(deployments[name].flow_id).name for name in specs
                }

                def trigger(names: list[str]) -> dict[str, Any]:
                    return {
                        name: run_deployment(f"{flow_names[name]}/{name}", timeout=0).id
                        for name in names
                    }

                # The rotation and the profile both write channel 2001's "Default" rule (their
                # schedules never overlap): the rotation goes second, the others run together.
                triggered_at = datetime.now(UTC)
                first_wave = [name for name in specs if name != "rotation-weekly"]
                runs = wait_for_final_states(client, trigger(first_wave), serve)
                runs |= wait_for_final_states(client, trigger(["rotation-weekly"]), serve)
                finished_at = datetime.now(UTC)
        finally:
            serve.stop()

    failed = {name: run.state.message for name, run in runs.items() if not run.state.is_completed()}
    assert not failed, f"{failed}\n{serve.tail(80)}"

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
