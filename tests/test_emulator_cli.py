"""``flashcat-prefect emulator`` serves until interrupted; drive it with httpx and the client."""

from __future__ import annotations

import signal
import socket
from pathlib import Path

import httpx
import pytest
import typer
from typer.testing import CliRunner

from flashcat_prefect.cli import emulator_cmd
from flashcat_prefect.client import FlashcatClient
from flashcat_prefect.client.errors import UnauthorizedError
from tests.emulator_process import start_emulator_process, stop_emulator_process

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def test_emulator_command_serves_until_interrupted():
    process, facts = start_emulator_process(
        "--seed", "demo", "--app-key", "cli-test-key", "--no-rate-limits"
    )
    try:
        assert facts["key"] == "cli-test-key"
        assert facts["url"].startswith("http://127.0.0.1:")
        answer = httpx.post(
            facts["url"] + "/team/list", params={"app_key": "cli-test-key"}, json={}
        ).json()
        assert answer["data"]["total"] == 5
        with FlashcatClient("cli-test-key", base_url=facts["url"], max_retries=0) as client:
            members = list(client.iter_items("/member/list", {}))
            assert len(members) == 30
            created = client.request(
                "/incident/create", {"incident_severity": "Critical", "title": "from the CLI test"}
            )
            info = client.request("/incident/info", {"incident_id": created["incident_id"]})
            assert info["title"] == "from the CLI test"
        with (
            FlashcatClient("wrong-key", base_url=facts["url"], max_retries=0) as client,
            pytest.raises(UnauthorizedError),
        ):
            client.request("/team/list", {})
    finally:
        code = stop_emulator_process(process)
    assert code in (0, 130, -signal.SIGINT)  # Ctrl+C ends it the usual way
    with pytest.raises(httpx.TransportError):
        httpx.post(facts["url"] + "/team/list", params={"app_key": "cli-test-key"}, json={})


def test_emulator_command_makes_a_random_key_and_enforces_rate_limits():
    process, facts = start_emulator_process("--seed", "empty")
    try:
        assert len(facts["key"]) >= 16
        statuses = [
            httpx.post(
                facts["url"] + "/insight/incident/export",
                params={"app_key": facts["key"]},
                json={"start_time": 0, "end_time": 86400},
            ).status_code
            for _ in range(2)
        ]
        assert statuses == [200, 429]
    finally:
        stop_emulator_process(process)


def _in_process_cli() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    emulator_cmd.register(app)
    app.command("unused")(lambda: None)  # two commands keep "emulator" a sub-command
    return app


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--seed", "nope"], "seed must be one of demo, empty"),
        (["--incidents", "-1"], "incidents must be an integer from 0 to"),
    ],
)
def test_bad_settings_end_as_one_usage_line(options, message):
    result = CliRunner().invoke(_in_process_cli(), ["emulator", "--port", "0", *options])
    assert result.exit_code == 2
    assert result.output.strip().startswith("error: ") and message in result.output


def test_a_busy_port_ends_as_one_error_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = CliRunner().invoke(
            _in_process_cli(), ["emulator", "--port", port, "--seed", "empty"]
        )
    assert result.exit_code == 1
    assert result.output.strip().startswith("error: OSError") and "in use" in result.output
