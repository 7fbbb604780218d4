"""The ``flashcat-prefect`` command line, end to end against the emulator.

Every command runs in-process through typer's runner; flows run for real on the session's
Prefect test harness and talk to the emulator over loopback HTTP.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import typer
import yaml
from typer.testing import CliRunner, Result

from flashcat_prefect.cli import build_app
from flashcat_prefect.client.pagination import items_of
from flashcat_prefect.emulator import FlashcatEmulator, seed

app = build_app()

ROTATION_START = datetime.fromisoformat("2026-11-02T10:00:00+08:00")
ROSTER = list(seed.TEAM_MEMBERS[seed.CHANNEL_TEAMS[seed.DEFAULT_CHANNEL_ID]])


def invoke(args: list[str], env: dict[str, str | None] | None = None) -> Result:
    """Run the CLI; every outcome must keep the app key out of what it prints."""
    result = CliRunner().invoke(app, args, env=env, catch_exceptions=False)
    for secret in (env or {}).values():
        if secret and len(secret) >= 8:
            assert secret not in result.stdout + result.stderr
    return result


def env_for(emulator: FlashcatEmulator) -> dict[str, str | None]:
    return {
        "FLASHCAT_APP_KEY": emulator.app_key,
        "FLASHCAT_BASE_URL": emulator.url,
        "FLASHCAT_BLOCK": None,
    }


def assert_one_line_error(result: Result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def rotation_plan(tmp_path: Path, **rotation: Any) -> Path:
    plan = {
        "time_zone": "Asia/Shanghai",
        "rules": [
            {
                "channel_id": seed.DEFAULT_CHANNEL_ID,
                "rule_name": seed.DEFAULT_RULE_NAME,
                "rotations": [
                    {
                        "period": "weekly",
                        "start": ROTATION_START.replace(tzinfo=None).isoformat(),
                        "roster": {"person_ids": ROSTER},
                        "layers": [1, 2],
                        **rotation,
                    }
                ],
            }
        ],
    }
    path = tmp_path / "rotation.yaml"
    path.write_text(yaml.safe_dump(plan), encoding="utf-8")
    return path


def channel_rules(
    emulator: FlashcatEmulator, channel_id: int, kind: str = "escalate"
) -> dict[str, dict[str, Any]]:
    """The channel's rules of one kind (escalate, silence, ...) by name, as the API lists them."""
    with emulator.credentials().get_client() as client:
        answer = client.request(f"/channel/{kind}/rule/list", {"channel_id": channel_id})
    return {rule["rule_name"]: rule for rule in items_of(answer)}


def all_command_paths(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and sub-command of a (typer/click) group, as argument tuples."""
    paths = []
    for name, command in group.commands.items():
        paths.append((*prefix, name))
        if getattr(command, "commands", None):
            paths += all_command_paths(command, (*prefix, name))
    return paths


# --- help and plumbing -------------------------------------------------------------------------


HELP_ENV: dict[str, str | None] = {
    "FLASHCAT_APP_KEY": "help-app-key-0123456789",
    "FLASHCAT_INTEGRATION_KEY": "help-integration-key-0123456789",
}


def test_every_command_has_help() -> None:
    root = typer.main.get_command(app)
    paths = all_command_paths(root)
    for expected in [
        ("demo",),
        ("rotate",),
        ("calendar", "sync"),
        ("profile", "apply"),
        ("export", "incidents"),
        ("blocks", "create"),
        ("emulator",),
    ]:
        assert expected in paths
    for path in paths:
        result = invoke([*path, "--help"], env=HELP_ENV)  # invoke() checks no key shows
        assert result.exit_code == 0, (path, result.stdout)
        assert "Usage" in result.stdout


def test_missing_credentials_is_one_line_and_sends_nothing(
    emulator: FlashcatEmulator, tmp_path: Path
) -> None:
    plan = rotation_plan(tmp_path)
    result = invoke(
        ["rotate", "--plan", str(plan)],
        env={"FLASHCAT_APP_KEY": None, "FLASHCAT_BASE_URL": None, "FLASHCAT_BLOCK": None},
    )
    assert_one_line_error(result, 2, "--block", "FLASHCAT_APP_KEY")
    assert emulator.request_log.count() == 0


def test_invalid_plan_names_the_field_before_any_request(
    emulator: FlashcatEmulator, tmp_path: Path
) -> None:
    plan = rotation_plan(tmp_path, period="fortnightly")
    result = invoke(["rotate", "--plan", str(plan)], env=env_for(emulator))
    assert_one_line_error(result, 2, "period", "fortnightly")
    assert emulator.request_log.count() == 0

    result = invoke(["rotate", "--plan", str(tmp_path / "missing.yaml")], env=env_for(emulator))
    assert_one_line_error(result, 2, "--plan", "missing.yaml")


# --- rotate ----------------------------------------------------------------------------------


def test_rotate_dry_run_then_for_real(emulator: FlashcatEmulator, tmp_path: Path) -> None:
    plan = rotation_plan(tmp_path)
    at = ROTATION_START + timedelta(days=16, hours=2)
    shift = (at - ROTATION_START) // timedelta(weeks=1)
    expected_first = ROSTER[shift % len(ROSTER)]
    expected_second = ROSTER[(shift + 1) % len(ROSTER)]
    before = channel_rules(emulator, seed.DEFAULT_CHANNEL_ID)["Default"]

    dry = invoke(
        ["rotate", "--plan", str(plan), "--at", at.isoformat(), "--dry-run", "--json"],
        env=env_for(emulator),
    )
    assert dry.exit_code == 0, dry.stderr
    report = json.loads(dry.stdout)
    assert report["dry_run"] is True
    assert [rule["changed"] for rule in report["rules"]] == [True]
    assert channel_rules(emulator, seed.DEFAULT_CHANNEL_ID)["Default"] == before

    real = invoke(["rotate", "--plan", str(plan), "--at", at.isoformat()], env=env_for(emulator))
    assert real.exit_code == 0, real.stderr
    assert "Default" in real.stdout  # the markdown report, rendered
    layers = channel_rules(emulator, seed.DEFAULT_CHANNEL_ID)["Default"]["layers"]
    assert layers[0]["target"]["person_ids"] == [expected_first]
    assert layers[1]["target"]["person_ids"] == [expected_second]
    # Only the rotated lists change: layer 1 still pages the schedule, layer 2 the team.
    assert (
        layers[0]["target"]["schedule_to_role_ids"]
        == (before["layers"][0]["target"]["schedule_to_role_ids"])
    )
    assert layers[1]["target"]["team_ids"] == before["layers"][1]["target"]["team_ids"]


def test_rotate_plan_that_does_not_fit_the_account_fails_in_one_line(
    emulator: FlashcatEmulator, tmp_path: Path
) -> None:
    plan = rotation_plan(tmp_path, roster={"person_ids": [101, 999_999]})
    result = invoke(
        ["rotate", "--plan", str(plan), "--at", "2026-11-20T00:00:00"], env=env_for(emulator)
    )
    assert_one_line_error(result, 1, "999999")
    assert channel_rules(emulator, seed.DEFAULT_CHANNEL_ID)["Default"]["layers"][0]["target"][
        "person_ids"
    ] == [seed.TEAM_MEMBERS[3001][0]]


def test_bad_option_value_is_one_line(emulator: FlashcatEmulator, tmp_path: Path) -> None:
    plan = rotation_plan(tmp_path)
    result = invoke(["rotate", "--plan", str(plan), "--at", "next monday"], env=env_for(emulator))
    assert_one_line_error(result, 2, "--at", "next monday")
    assert emulator.request_log.count() == 0


# --- profile ---------------------------------------------------------------------------------


def test_profile_apply_switches_to_the_day_off_rules(
    emulator: FlashcatEmulator, tmp_path: Path
) -> None:
    import holidays

    day_off = min(day for day in holidays.China(years=2026) if day.weekday() < 5)
    channel = seed.DEFAULT_CHANNEL_ID
    rules = {
        "holiday": {"kind": "escalate", "channel_id": channel, "rule_name": "Holiday"},
        "quiet": {"kind": "silence", "channel_id": channel, "rule_name": "Quiet days"},
        "default": {"kind": "escalate", "channel_id": channel, "rule_name": "Default"},
    }
    plan = {
        "time_zone": "Asia/Shanghai",
        "source": {"country": "CN"},
        "day_off": {"enable": [rules["holiday"], rules["quiet"]], "disable": [rules["default"]]},
        "working_day": {
            "enable": [rules["default"]],
            "disable": [rules["holiday"], rules["quiet"]],
        },
    }
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(plan), encoding="utf-8")

    result = invoke(
        ["profile", "apply", "--plan", str(path), "--day", day_off.isoformat(), "--json"],
        env=env_for(emulator),
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["is_off"] is True and report["profile"] == "day_off"
    escalate = channel_rules(emulator, channel)
    assert escalate["Holiday"]["status"] == "enabled"
    assert escalate["Default"]["status"] == "disabled"
    assert channel_rules(emulator, channel, "silence")["Quiet days"]["status"] == "enabled"

    bad_day = invoke(
        ["profile", "apply", "--plan", str(path), "--day", "2026-13-01"], env=env_for(emulator)
    )
    assert_one_line_error(bad_day, 2, "--day", "2026-13-01")


# --- calendar --------------------------------------------------------------------------------


def test_calendar_sync_writes_the_holidays_once(emulator: FlashcatEmulator) -> None:
    import holidays

    args = [
        "calendar",
        "sync",
        "--cal-id",
        seed.HOLIDAY_CALENDAR_ID,
        "--country",
        "CN",
        "--year",
        "2026",
        "--json",
    ]
    first = invoke(args, env=env_for(emulator))
    assert first.exit_code == 0, first.stderr
    report = json.loads(first.stdout)
    days_off = {day for day in holidays.China(years=2026)}
    created_off = {c["day"] for c in report["changes"] if c["action"] == "create" and c["is_off"]}
    assert created_off == {day.isoformat() for day in days_off}
    with emulator.credentials().get_client() as client:
        listed = client.request(
            "/calendar/event/list", {"cal_id": seed.HOLIDAY_CALENDAR_ID, "year": 2026}
        )
    assert {e["start_at"] for e in items_of(listed) if e["is_off"]} == created_off

    second = invoke(args, env=env_for(emulator))
    assert second.exit_code == 0, second.stderr
    again = json.loads(second.stdout)
    assert again["created"] == again["updated"] == again["deleted"] == 0
    assert again["unchanged"] == report["created"]


def test_calendar_sync_option_errors_name_the_option(emulator: FlashcatEmulator) -> None:
    result = invoke(["calendar", "sync", "--country", "CN"], env=env_for(emulator))
    assert_one_line_error(result, 2, "--cal-id")
    result = invoke(
        [
            "calendar",
            "sync",
            "--cal-id",
            seed.HOLIDAY_CALENDAR_ID,
            "--country",
            "CN",
            "--prune",
            "--prune-all",
        ],
        env=env_for(emulator),
    )
    assert_one_line_error(result, 2, "--prune")
    assert emulator.request_log.count() == 0


# --- export ----------------------------------------------------------------------------------


def test_export_incidents_writes_the_files_it_reports(
    emulator: FlashcatEmulator, tmp_path: Path
) -> None:
    end = datetime.fromtimestamp(emulator.state.now).astimezone()
    start = end - timedelta(days=5)
    out = tmp_path / "export"
    result = invoke(
        [
            "export",
            "incidents",
            "--start",
            start.isoformat(),
            "--end",
            end.isoformat(),
            "--out",
            str(out),
            "--format",
            "parquet",
            "--json",
        ],
        env=env_for(emulator),
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    table = pq.read_table(report["files"]["parquet"])
    assert table.num_rows == report["incident_count"] > 0
    assert len(set(table.column("incident_id").to_pylist())) == table.num_rows
    assert Path(report["files"]["summary_csv"]).is_file()
    assert "csv" not in report["files"]


def test_export_progress_bar_reaches_every_window(
    emulator: FlashcatEmulator, tmp_path: Path
) -> None:
    end = datetime.fromtimestamp(emulator.state.now).astimezone()
    result = invoke(
        [
            "export",
            "incidents",
            "--days",
            "3",
            "--end",
            end.isoformat(),
            "--out",
            str(tmp_path / "export"),
        ],
        env=env_for(emulator),
    )
    assert result.exit_code == 0, result.stderr
    assert "exporting incidents" in result.stdout
    done = re.search(r"(\d+)/(\d+) windows", result.stdout)
    assert done is not None and done.group(1) == done.group(2) != "0"  # every window done
    assert "incidents.parquet" in result.stdout


def test_export_rejects_unknown_format_and_severity(emulator: FlashcatEmulator) -> None:
    result = invoke(["export", "incidents", "--format", "xlsx"], env=env_for(emulator))
    assert_one_line_error(result, 2, "--format", "xlsx")
    result = invoke(["export", "incidents", "--severity", "Major"], env=env_for(emulator))
    assert_one_line_error(result, 2, "--severity", "Major")
    result = invoke(["export", "incidents", "--start", "last tuesday"], env=env_for(emulator))
    assert_one_line_error(result, 2, "--start", "last tuesday")
    result = invoke(["export", "incidents", "--time-zone", "Mars/Olympus"], env=env_for(emulator))
    assert_one_line_error(result, 2, "--time-zone", "Mars/Olympus")
    assert emulator.request_log.count() == 0


# --- blocks ----------------------------------------------------------------------------------


def test_blocks_create_from_environment_then_use_with_block(
    emulator: FlashcatEmulator, tmp_path: Path
) -> None:
    from flashcat_prefect.credentials import FlashcatCredentials, FlashcatIntegration

    integration_key = emulator.integration_key(seed.DEFAULT_CHANNEL_ID)
    env = {**env_for(emulator), "FLASHCAT_INTEGRATION_KEY": integration_key}
    result = invoke(["blocks", "create", "--name", "cli-test", "--overwrite"], env=env)
    assert result.exit_code == 0, result.stderr
    assert "flashcat-credentials/cli-test" in result.stdout
    assert "flashcat-integration/cli-test" in result.stdout
    saved = FlashcatCredentials.load("cli-test")
    assert saved.app_key.get_secret_value() == emulator.app_key
    assert saved.base_url == emulator.url
    assert (
        FlashcatIntegration.load("cli-test").integration_key.get_secret_value() == integration_key
    )

    again = invoke(["blocks", "create", "--name", "cli-test"], env=env)
    assert_one_line_error(again, 2, "already exists", "--overwrite")

    # A command with --block and no key in the environment uses the saved block.
    plan = rotation_plan(tmp_path)
    rotated = invoke(
        ["rotate", "--plan", str(plan), "--block", "cli-test", "--dry-run", "--json"],
        env={"FLASHCAT_APP_KEY": None, "FLASHCAT_BASE_URL": None},
    )
    assert rotated.exit_code == 0, rotated.stderr
    assert json.loads(rotated.stdout)["dry_run"] is True
    assert emulator.request_log.count("/channel/escalate/rule/list") >= 1

    unknown = invoke(["rotate", "--plan", str(plan), "--block", "no-such-block"], env={})
    assert_one_line_error(unknown, 2, "no-such-block")


def test_blocks_create_refuses_bad_names_and_literal_secrets(tmp_path: Path) -> None:
    result = invoke(["blocks", "create", "--name", "Not_OK", "--app-key", "k" * 32])
    assert_one_line_error(result, 2, "--name", "Not_OK")

    spec = tmp_path / "creds.json"
    spec.write_text(
        json.dumps(
            {
                "block_type": "flashcat-credentials",
                "name": "literal",
                "data": {"app_key": "0123456789abcdef0123456789abcdef"},
            }
        )
    )
    result = invoke(["blocks", "create", "--from-json", str(spec)])
    assert_one_line_error(result, 2, "app_key", "literal secret")
    assert "0123456789abcdef" not in result.stderr

    nothing = invoke(
        ["blocks", "create"], env={"FLASHCAT_APP_KEY": None, "FLASHCAT_INTEGRATION_KEY": None}
    )
    assert_one_line_error(nothing, 2, "FLASHCAT_APP_KEY")


def test_block_kit_specs_expand_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from flashcat_prefect.blocks_kit import load_block_spec, save_block
    from flashcat_prefect.credentials import FlashcatCredentials

    kit = Path(__file__).resolve().parents[1] / "blocks"
    monkeypatch.setenv("FLASHCAT_APP_KEY", "kit-app-key-0123456789")
    monkeypatch.delenv("FLASHCAT_BASE_URL", raising=False)
    spec = load_block_spec(kit / "flashcat-credentials.json")
    spec = spec.model_copy(update={"name": "kit-test"})
    assert save_block(spec, overwrite=True) == "flashcat-credentials/kit-test"
    saved = FlashcatCredentials.load("kit-test")
    assert saved.app_key.get_secret_value() == "kit-app-key-0123456789"
    assert saved.base_url == "https://api.flashcat.cloud"  # the spec's ${VAR:-default}


def test_demo_refuses_a_file_as_output_directory(tmp_path: Path) -> None:
    not_a_directory = tmp_path / "taken"
    not_a_directory.write_text("")
    result = invoke(["demo", "--out", str(not_a_directory)])
    assert_one_line_error(result, 2, "--out", "taken")
