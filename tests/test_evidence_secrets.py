"""No key leaks: every flow, the failure hooks, event pushes and every CLI command that takes
a key run with a sentinel app key and integration key at DEBUG logging, and neither key
shows up anywhere afterwards. (``demo`` and ``emulator`` make a key of their own; ``webhook``
takes none of ours.)

Looked at after each scenario: every log record of every logger (httpx and httpcore
included, formatted with tracebacks), what was printed to stdout/stderr, the text and
traceback of any exception, every file the run wrote, and the Prefect harness's records
through its API (flow runs with their parameters and states, task runs, logs, artifacts,
variables, block documents; events too, though the test harness records none), plus the
raw bytes of the harness database.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from prefect import flow
from prefect.logging.handlers import APILogWorker
from prefect.settings import PREFECT_API_DATABASE_CONNECTION_URL, PREFECT_API_URL
from typer.testing import CliRunner

from flashcat_prefect import FlashcatIntegration, FlashcatNotification
from flashcat_prefect.cli import build_app
from flashcat_prefect.cli._common import EXIT_FAILURE, EXIT_USAGE
from flashcat_prefect.client.errors import FlashcatError
from flashcat_prefect.emulator import FlashcatEmulator
from flashcat_prefect.emulator import seed as demo
from flashcat_prefect.flows import (
    apply_calendar_profile,
    rotate_escalation_rules,
    sync_holiday_calendar,
)
from flashcat_prefect.flows.metrics import export_incident_metrics
from flashcat_prefect.flows.rotation._snapshot import RuleChangeError
from flashcat_prefect.hooks import alert_on_failure, resolve_on_recovery
from flashcat_prefect.tasks.events import push_alert_event
from tests.test_calendar_profile_flow import PLAN as PROFILE_PLAN
from tests.test_rotation_flow import THREE_RULES

APP_KEY = "SENTINELappKEY7f3c9d1e5b"
"""The sentinel app key (no real key looks like this, so any hit is ours)."""
LOGGERS = (
    "",
    "prefect",
    "prefect.flow_runs",
    "prefect.task_runs",
    "httpx",
    "httpcore",
    "flashcat_prefect",
    "uvicorn",
)
DAY = 86_400
INTEGRATION_BLOCK = "evidence-secrets"


@pytest.fixture(scope="module")
def sentinel_emulator() -> Iterator[FlashcatEmulator]:
    with FlashcatEmulator(seed="demo", app_key=APP_KEY, rate_limits=False) as emu:
        yield emu


@pytest.fixture
def emu(sentinel_emulator: FlashcatEmulator) -> FlashcatEmulator:
    sentinel_emulator.reset(seed="demo")
    return sentinel_emulator


def sentinels(emu: FlashcatEmulator) -> tuple[str, str]:
    return APP_KEY, emu.integration_key(demo.DEFAULT_CHANNEL_ID)


class Capture(logging.Handler):
    """Every record, formatted with its traceback, as one string each."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def debug_logging() -> Iterator[Capture]:
    """DEBUG on every logger that matters, each record captured."""
    capture = Capture()
    previous = {}
    for name in LOGGERS:
        logger = logging.getLogger(name)
        previous[name] = logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(capture)
    try:
        yield capture
    finally:
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(capture)
            logging.getLogger(name).setLevel(previous[name])


PAGE = 200
MAX_PAGES = 25


def _every_page(client: httpx.Client, route: str, body: dict[str, Any]) -> list[Any]:
    items: list[Any] = []
    for page in range(MAX_PAGES):
        response = client.post(route, json={**body, "limit": PAGE, "offset": page * PAGE})
        response.raise_for_status()
        batch = response.json()
        items += batch
        if len(batch) < PAGE:
            return items
    raise AssertionError(f"{route}: more than {PAGE * MAX_PAGES} records since the scenario")


def prefect_records(since: dt.datetime) -> str:
    """Every record the harness API holds from ``since`` on (block documents and variables:
    all of them), as one JSON text."""
    APILogWorker.drain_all(timeout=10)  # the run logs still queued for the API
    after = {"after_": since.isoformat()}
    queries = {
        "/flow_runs/filter": {
            "flow_runs": {"expected_start_time": after},
            "sort": "EXPECTED_START_TIME_DESC",
        },
        "/task_runs/filter": {
            "task_runs": {"expected_start_time": after},
            "sort": "EXPECTED_START_TIME_DESC",
        },
        "/logs/filter": {"logs": {"timestamp": after}, "sort": "TIMESTAMP_ASC"},
        "/artifacts/filter": {"sort": "CREATED_DESC"},
        "/variables/filter": {"sort": "CREATED_DESC"},
        "/block_documents/filter": {},
    }
    records: dict[str, Any] = {}
    with httpx.Client(base_url=PREFECT_API_URL.value(), timeout=30) as client:
        for route, body in queries.items():
            records[route] = _every_page(client, route, body)
        events = client.post(
            "/events/filter", json={"filter": {"occurred": {"since": after["after_"]}}, "limit": 50}
        )
        if events.status_code == 200:
            records["/events/filter"] = events.json()
    return json.dumps(records)


def database_bytes() -> bytes:
    """The harness's SQLite database files (with the write-ahead log) as raw bytes."""
    url = PREFECT_API_DATABASE_CONNECTION_URL.value() or ""
    path = Path(url.split(":///", 1)[-1]) if "sqlite" in url else None
    if path is None or not path.exists():
        return b""
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def written_files(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def assert_no_secret(secrets: tuple[str, ...], where: str, text: str | bytes) -> None:
    for secret in secrets:
        needle = secret.encode() if isinstance(text, bytes) else secret
        assert needle not in text, f"a key leaked into {where}"


def check_everywhere(
    emu: FlashcatEmulator,
    capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
    scenario: Callable[[], Any],
    planted: str | None = None,
    fails_with: type[BaseException] | None = None,
) -> tuple[Any, BaseException | None, Capture]:
    """Run ``scenario`` at DEBUG and assert that neither key (nor ``planted``) shows up.

    The scenario must end as told: with a ``fails_with`` error when one is given, else
    without error. Any other ending is raised once the keys were looked for, so a scenario
    that stopped early (a failed assertion inside it, an unexpected error) fails the test.
    """
    secrets = (*sentinels(emu), *([planted] if planted else []))
    started = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    error: BaseException | None = None
    result: Any = None
    with debug_logging() as capture:
        try:
            result = scenario()
        except Exception as exc:
            error = exc
    out, err = capfd.readouterr()
    assert capture.lines, "the capture saw records, so the check can fail"
    assert any("key=***" in line for line in capture.lines if line.startswith("httpx")), (
        "httpx logged its request lines, with the key masked"
    )
    assert_no_secret(secrets, "log records", "\n".join(capture.lines))
    assert_no_secret(secrets, "stdout/stderr", out + err)
    if error is not None:
        text = "".join(traceback.format_exception(error)) + repr(error)
        assert_no_secret(secrets, "the exception", text)
    assert_no_secret(secrets, "the result", repr(result) + _json(result))
    for name, content in written_files(tmp_path).items():
        assert_no_secret(secrets, name, content)
    assert_no_secret(secrets, "Prefect records", prefect_records(started))
    assert_no_secret(secrets, "the Prefect database", database_bytes())
    if error is not None and not (fails_with and isinstance(error, fails_with)):
        raise error
    assert fails_with is None or error is not None, f"the scenario did not fail with {fails_with}"
    return result, error, capture


def _json(result: Any) -> str:
    dump = getattr(result, "model_dump_json", None)
    return dump() if dump else ""


# --- flows, hooks and tasks --------------------------------------------------------------------


def test_holiday_sync_ok_and_failing(emu, capfd, tmp_path):
    done = []

    def scenario():
        report = sync_holiday_calendar(
            emu.credentials(), cal_id=demo.HOLIDAY_CALENDAR_ID, country="CN", years=2026
        )
        assert report.created > 0
        done.append("synced")
        sync_holiday_calendar(emu.credentials(), cal_id="cal.nosuchcalendar", country="CN")

    began = dt.datetime.now(dt.UTC)
    _, error, _ = check_everywhere(emu, capfd, tmp_path, scenario, fails_with=FlashcatError)
    assert done == ["synced"], "the failure came from the second sync"
    assert "cal_id" in str(error) and "cal.nosuchcalendar" in str(error)
    # The API queries do reach the runs' records (their logs, here).
    assert "Synced cal." in prefect_records(began - dt.timedelta(seconds=1))


def test_rotation_and_a_failed_write_with_restore(emu, capfd, tmp_path):
    done = []

    def scenario():
        at = dt.datetime(2026, 11, 3, 12, tzinfo=dt.UTC)
        snapshot = tmp_path / "snapshot.json"
        rotate_escalation_rules(emu.credentials(), THREE_RULES, at=at, snapshot_path=str(snapshot))
        done.append("rotated")
        emu.faults.sequence("/channel/escalate/rule/update", [None, "http_error"])
        rotate_escalation_rules(emu.credentials(), THREE_RULES, at=at + dt.timedelta(days=1))

    _, error, _ = check_everywhere(emu, capfd, tmp_path, scenario, fails_with=RuleChangeError)
    assert done == ["rotated"], "the failure came from the second rotation"
    assert "restored from the snapshot" in str(error)
    assert (tmp_path / "snapshot.json").exists()


def test_calendar_profile(emu, capfd, tmp_path):
    def scenario():
        return apply_calendar_profile(
            emu.credentials(),
            PROFILE_PLAN,
            day=dt.date(2026, 10, 10),
            snapshot_path=str(tmp_path / "profile-snapshot.json"),
        )

    report, error, _ = check_everywhere(emu, capfd, tmp_path, scenario)
    assert error is None and report.changed


def test_metrics_export_with_watermark_variable(emu, capfd, tmp_path):
    now = emu.state.now

    def scenario():
        return export_incident_metrics(
            emu.credentials(),
            start=now - 2 * DAY,
            end=now,
            output_dir=str(tmp_path / "out"),
            since_last_run=True,
        )

    report, error, _ = check_everywhere(emu, capfd, tmp_path, scenario)
    assert error is None and report.incident_count > 0 and report.watermark_variable
    assert {"parquet", "csv", "summary_csv"} <= set(report.files)


def test_failure_hooks_push_and_resolve_with_the_integration_key(emu, capfd, tmp_path):
    integration = FlashcatIntegration(
        integration_key=emu.integration_key(demo.DEFAULT_CHANNEL_ID), base_url=emu.url
    )

    @flow(
        on_failure=[alert_on_failure(integration)], on_completion=[resolve_on_recovery(integration)]
    )
    def nightly(fail: bool) -> None:
        if fail:
            raise RuntimeError("nightly job broke")

    def scenario():
        with pytest.raises(RuntimeError):
            nightly(fail=True)
        nightly(fail=False)
        push_alert_event(integration, event_status="Warning", title_rule="disk almost full")
        FlashcatNotification(integration=integration).notify("body", "subject")

    check_everywhere(emu, capfd, tmp_path, scenario)
    assert emu.request_log.count("/event/push/alert/standard") >= 4, "the pushes were sent"


# --- the command line ----------------------------------------------------------------------------


def cli(emu: FlashcatEmulator, *args: str) -> Any:
    env = {
        "FLASHCAT_APP_KEY": APP_KEY,
        "FLASHCAT_BASE_URL": emu.url,
        "FLASHCAT_INTEGRATION_KEY": emu.integration_key(demo.DEFAULT_CHANNEL_ID),
        "FLASHCAT_BLOCK": None,
    }
    return CliRunner().invoke(build_app(), list(args), env=env, catch_exceptions=False)


def test_every_cli_command_that_takes_a_key(emu, capfd, tmp_path):
    rotation = tmp_path / "rotation.yaml"
    rotation.write_text(yaml.safe_dump(THREE_RULES))
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(PROFILE_PLAN))
    succeeding = [
        [
            "calendar",
            "sync",
            "--cal-id",
            demo.HOLIDAY_CALENDAR_ID,
            "--country",
            "CN",
            "--year",
            "2026",
            "--verbose",
        ],
        [
            "rotate",
            "--plan",
            str(rotation),
            "--at",
            "2026-11-04T12:00:00",
            "--verbose",
            "--snapshot",
            str(tmp_path / "rot.json"),
        ],
        ["profile", "apply", "--plan", str(profile), "--day", "2026-10-10", "--json"],
        [
            "export",
            "incidents",
            "--days",
            "2",
            "--end",
            "2026-11-01",
            "--out",
            str(tmp_path / "export"),
            "--no-progress",
            "--verbose",
        ],
        ["blocks", "create", "--name", INTEGRATION_BLOCK, "--overwrite"],
    ]
    # Failures print one line each, naming what is wrong, with the exit code the CLI documents:
    # a calendar the account lacks is found out by asking the API, so it is a failed run (1);
    # an unknown block is wrong input found before anything is sent (2).
    failing = {
        "cal.nosuchcalendar": (
            ["calendar", "sync", "--cal-id", "cal.nosuchcalendar", "--country", "CN"],
            EXIT_FAILURE,
        ),
        "no-such-block": (
            ["rotate", "--plan", str(rotation), "--block", "no-such-block"],
            EXIT_USAGE,
        ),
    }
    commands = succeeding + [command for command, _ in failing.values()]
    results = []

    def scenario():
        for command in commands:
            results.append(cli(emu, *command))
            print(results[-1].stdout, results[-1].stderr)  # into capfd

    check_everywhere(emu, capfd, tmp_path, scenario)
    assert len(results) == len(commands), "every command ran"
    for command, result in zip(succeeding, results, strict=False):
        assert (result.exit_code, result.stderr.count("Traceback")) == (0, 0), (
            command,
            result.stderr,
        )
    for (named, (command, code)), result in zip(
        failing.items(), results[len(succeeding) :], strict=True
    ):
        assert result.exit_code == code, (command, result.exit_code, result.stderr)
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (command, result.stderr)
        assert named in lines[0] and "Traceback" not in result.stdout
    # The unknown calendar's message tells the truth: the API was asked, and nothing was written.
    assert "it was asked; nothing was written" in results[len(succeeding)].stderr
    asked = [e.body for e in emu.request_log.for_path("/calendar/info")]
    assert {"cal_id": "cal.nosuchcalendar"} in asked
    assert not [
        e
        for e in emu.request_log.entries
        if "cal.nosuchcalendar" in json.dumps(e.body) and e.path != "/calendar/info"
    ]
    saved = FlashcatIntegration.load(INTEGRATION_BLOCK)
    assert saved.integration_key.get_secret_value() == emu.integration_key(demo.DEFAULT_CHANNEL_ID)


# --- the net itself ------------------------------------------------------------------------------


@pytest.mark.parametrize("leak", ["log", "variable", "file", "output"])
def test_the_checks_catch_a_planted_leak(emu, capfd, tmp_path, leak):
    """Each place looked at really is looked at: a key planted there fails the check.

    The planted key is a third sentinel, so that the real ones never touch the database.
    """
    from prefect.variables import Variable

    planted = f"CONTROLkey{leak}9b2e4a"

    def scenario():
        with emu.credentials().get_client() as client:
            client.request("/member/list", {"limit": 1})  # an httpx request line to see
        if leak == "log":
            logging.getLogger("evidence.control").debug("key %s", planted)
        elif leak == "variable":
            Variable.set("evidence_leak_control", {"k": planted}, overwrite=True)
        elif leak == "file":
            (tmp_path / "out.txt").write_text(planted)
        else:
            print(planted)

    try:
        with pytest.raises(AssertionError, match="a key leaked"):
            check_everywhere(emu, capfd, tmp_path, scenario, planted)
    finally:
        if leak == "variable":
            Variable.unset("evidence_leak_control")
    assert database_bytes(), "the harness database was read"
