"""The deployment kit (``flows/``) and the block kit (``blocks/``) as Prefect itself reads them.

``prefect deploy --all`` registers the kit's deployments on the session's test API;
``flows/serve.py`` builds the same deployments for ``prefect.serve``; the block script saves
a credentials block from the environment. (``tests/test_real_server.py`` runs them.)
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from croniter import croniter

REPO = Path(__file__).resolve().parents[1]
KIT = REPO / "flows"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def kit_specs() -> dict[str, dict[str, Any]]:
    document = yaml.safe_load((KIT / "prefect.yaml").read_text(encoding="utf-8"))
    return {spec["name"]: spec for spec in document["deployments"]}


def load_serve_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("flashcat_kit_serve", KIT / "serve.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fires(spec: dict[str, Any], count: int = 3) -> list[datetime]:
    (schedule,) = spec["schedules"]
    start = datetime(2026, 11, 22, 12, 0, tzinfo=ZoneInfo(schedule["timezone"]))
    times = croniter(schedule["cron"], start)
    return [times.get_next(datetime) for _ in range(count)]


def subprocess_env(**extra: str) -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update(
        PREFECT_API_URL=str(PREFECT_API_URL.value()),  # the session harness
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
        **extra,
    )
    return env


# --- what the kit says -----------------------------------------------------------------------


def test_schedules_match_the_routines_cadence() -> None:
    specs = kit_specs()
    assert set(specs) == {
        "holiday-sync-monthly",
        "rotation-weekly",
        "calendar-profile-daily",
        "metrics-export-daily",
    }
    for spec in specs.values():
        assert spec["schedules"][0]["timezone"] == "Asia/Shanghai"

    monthly = fires(specs["holiday-sync-monthly"])
    assert [moment.day for moment in monthly] == [1, 1, 1]
    assert len({moment.month for moment in monthly}) == 3

    weekly = fires(specs["rotation-weekly"])
    assert all(m.weekday() == 0 and (m.hour, m.minute) == (10, 0) for m in weekly)
    assert [b - a for a, b in itertools.pairwise(weekly)] == [weekly[1] - weekly[0]] * 2
    assert (weekly[1] - weekly[0]).days == 7

    for name in ("calendar-profile-daily", "metrics-export-daily"):
        daily = fires(specs[name])
        assert [(b - a).days for a, b in itertools.pairwise(daily)] == [1, 1]


def test_parameters_fit_the_flows() -> None:
    from flashcat_prefect.flows.profile import CalendarProfilePlan
    from flashcat_prefect.flows.rotation import RotationPlan

    specs = kit_specs()
    serve = load_serve_module()
    for spec in specs.values():
        flow = serve.load_entrypoint_flow(spec["entrypoint"])
        accepted = set(flow.parameters.properties)
        assert set(spec["parameters"]) <= accepted, spec["name"]
        assert spec["parameters"]["credentials"] == "flashcat"
    RotationPlan.model_validate(specs["rotation-weekly"]["parameters"]["plan"])
    CalendarProfilePlan.model_validate(specs["calendar-profile-daily"]["parameters"]["plan"])


# --- serve.py --------------------------------------------------------------------------------


def test_serve_builds_every_deployment_from_the_yaml() -> None:
    serve = load_serve_module()
    specs = kit_specs()
    deployments = {d.name: d for d in serve.build_deployments(block="other-block", paused=True)}
    assert set(deployments) == set(specs)
    for name, deployment in deployments.items():
        spec = specs[name]
        assert deployment.parameters == {**spec["parameters"], "credentials": "other-block"}
        assert deployment.tags == spec["tags"]
        assert deployment.paused is True
        (schedule,) = deployment.schedules
        assert (schedule.schedule.cron, schedule.schedule.timezone) == (
            spec["schedules"][0]["cron"],
            spec["schedules"][0]["timezone"],
        )
        # Only the calendar profile chains on another routine's event.
        assert len(deployment.triggers) == len(spec.get("triggers") or [])
    (chained,) = deployments["calendar-profile-daily"].triggers
    assert chained.expect == {"flashcat.calendar.synced"}
    assert chained.match.get("flashcat.changed") == ["true"]
    only = serve.build_deployments(["rotation-weekly"])
    assert [d.name for d in only] == ["rotation-weekly"]
    assert only[0].parameters["credentials"] == "flashcat"
    with pytest.raises(ValueError, match="no-such"):
        serve.build_deployments(["no-such"])


def test_serve_schedule_entries_are_checked() -> None:
    serve = load_serve_module()
    with pytest.raises(ValueError, match=r"x\.schedules\[0\]: give exactly one of"):
        serve.build_schedule({"cron": "0 1 * * *", "interval": 60}, "x.schedules[0]")
    interval = serve.build_schedule({"interval": 3600, "timezone": "UTC"}, "y")
    assert interval.interval.total_seconds() == 3600


# --- prefect deploy --------------------------------------------------------------------------


def test_prefect_deploy_registers_the_kit(tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound

    specs = kit_specs()
    with get_client(sync_client=True) as client:
        try:
            client.create_work_pool(WorkPoolCreate(name="flashcat", type="process"))
        except Exception as exc:  # already there from an earlier run of this session
            if "already exists" not in str(exc):
                raise
    result = subprocess.run(
        [sys.executable, "-m", "prefect", "--no-prompt", "deploy", "--all"],
        cwd=KIT,
        env=subprocess_env(HOME=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    # With fastapi 0.151+ the server refuses the worker check `prefect deploy` makes after
    # the first deployment (limit=null), and the command stops there: pyproject pins below.
    assert result.returncode == 0, output[-4000:]

    with get_client(sync_client=True) as client:
        for name, spec in specs.items():
            flow_name = load_serve_module().load_entrypoint_flow(spec["entrypoint"]).name
            try:
                deployment = client.read_deployment_by_name(f"{flow_name}/{name}")
            except ObjectNotFound:
                pytest.fail(f"{flow_name}/{name} not deployed:\n{output[-4000:]}")
            assert deployment.work_pool_name == "flashcat"
            assert deployment.parameters == spec["parameters"]
            assert deployment.entrypoint == spec["entrypoint"]
            (schedule,) = deployment.schedules
            assert schedule.schedule.cron == spec["schedules"][0]["cron"]
            assert schedule.schedule.timezone == "Asia/Shanghai"


@pytest.mark.parametrize(
    ("old_entrypoint", "new_flow"),
    [
        ("flashcat_prefect.flows.holiday_sync.sync_holiday_calendar", "holiday"),
        ("flashcat_prefect.flows.holiday_sync:sync_holiday_calendar", "holiday"),
        ("flashcat_prefect/flows/holiday_sync.py:sync_holiday_calendar", "holiday"),
        ("flashcat_prefect.flows.calendar_profile.apply_calendar_profile", "profile"),
        ("flashcat_prefect.flows.calendar_profile:apply_calendar_profile", "profile"),
        ("flashcat_prefect.flows.rotation.rotate_escalation_rules", "rotation"),
    ],
)
def test_entrypoints_of_deployments_registered_before_the_move_still_load(
    old_entrypoint: str, new_flow: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deployments registered with the flat module paths load the same flows as the kit's."""
    from prefect.flows import load_flow_from_entrypoint

    from flashcat_prefect.flows import holiday, profile, rotation

    monkeypatch.chdir(REPO)  # a file entrypoint is relative to the working directory
    current = {
        "holiday": holiday.sync_holiday_calendar,
        "profile": profile.apply_calendar_profile,
        "rotation": rotation.rotate_escalation_rules,
    }[new_flow]
    loaded = load_flow_from_entrypoint(old_entrypoint, use_placeholder_flow=False)
    assert loaded.name == current.name
    assert loaded.fn.__qualname__ == current.fn.__qualname__
    assert loaded.fn.__module__ == current.fn.__module__


# --- blocks/create_blocks.py -----------------------------------------------------------------


def test_block_script_saves_credentials_from_the_environment(tmp_path: Path) -> None:
    from flashcat_prefect.credentials import FlashcatCredentials

    app_key = "kit-script-key-5f0c2a9e"
    result = subprocess.run(
        [sys.executable, str(REPO / "blocks" / "create_blocks.py"), "--overwrite"],
        env=subprocess_env(
            HOME=str(tmp_path), FLASHCAT_APP_KEY=app_key, FLASHCAT_BASE_URL="http://127.0.0.1:9"
        ),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "saved block flashcat-credentials/flashcat" in result.stdout
    assert "skipped flashcat-integration.json" in result.stdout  # no integration key set
    assert app_key not in result.stdout + result.stderr
    saved = FlashcatCredentials.load("flashcat")
    assert saved.app_key.get_secret_value() == app_key
    assert saved.base_url == "http://127.0.0.1:9"

    refused = subprocess.run(
        [sys.executable, str(REPO / "blocks" / "create_blocks.py")],
        env=subprocess_env(HOME=str(tmp_path), FLASHCAT_APP_KEY="", FLASHCAT_INTEGRATION_KEY=""),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert refused.returncode == 2
    assert "error: no block saved" in refused.stderr


def test_block_script_does_not_load_the_command_line_package() -> None:
    """The kit and the CLI share flashcat_prefect.blocks_kit; the kit needs no CLI internals."""
    probe = (
        "import importlib.util, sys; "
        f"spec = importlib.util.spec_from_file_location('kit', {str(REPO / 'blocks' / 'create_blocks.py')!r}); "
        "spec.loader.exec_module(importlib.util.module_from_spec(spec)); "
        "print(sorted(name for name in sys.modules if name.split('.')[:2] == ['flashcat_prefect', 'cli']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "[]"
