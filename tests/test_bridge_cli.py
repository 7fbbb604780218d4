"""``flashcat-prefect webhook check|serve``: route-file checks in process, serving as a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
import typer
from typer.testing import CliRunner

from flashcat_prefect.cli import commands, webhook_cmd
from tests.test_bridge_prefect import incident_webhook

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_ROUTES = REPO / "examples" / "bridge-routes.yaml"


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    webhook_cmd.register(app)
    return app


def test_the_group_is_attached_to_the_main_command():
    assert "flashcat_prefect.cli.webhook_cmd" in commands.GROUP_MODULES


def test_check_lists_the_routes_of_a_valid_file(cli):
    result = CliRunner().invoke(cli, ["webhook", "check", "--routes", str(EXAMPLE_ROUTES)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("restart-checkout: event_types=['i_new']")
    assert lines[0].endswith("-> run deployment restart-service/production")
    assert lines[-1] == "3 route(s) OK"


def test_check_reports_a_bad_file_in_one_line(cli, tmp_path):
    routes = tmp_path / "routes.yaml"
    routes.write_text("routes:\n  - name: r\n    match: {severities: [High]}\n    event: {}\n")
    result = CliRunner().invoke(cli, ["webhook", "check", "--routes", str(routes)])
    assert result.exit_code == 2
    assert result.output.startswith("error: --routes: invalid routes: routes.0.match.severities.0")
    assert len(result.output.strip().splitlines()) == 1

    missing = CliRunner().invoke(cli, ["webhook", "check", "--routes", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2
    assert "--routes: file not found" in missing.output


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_checks_the_secret_and_accepts_webhooks(tmp_path):
    from prefect.settings import PREFECT_API_URL

    routes = tmp_path / "routes.yaml"
    routes.write_text("routes:\n  - name: to-automations\n    event: {}\n")
    secret = "bridge-" + uuid.uuid4().hex
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_API_URL": PREFECT_API_URL.value(),
        "FLASHCAT_WEBHOOK_SECRET": secret,
        "FLASHCAT_BRIDGE_JOURNAL": str(tmp_path / "journal.sqlite3"),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from flashcat_prefect.cli import main; main()",
            "webhook",
            "serve",
            "--routes",
            str(routes),
            "--port",
            str(port),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the bridge did not start"
                time.sleep(0.2)
        body = incident_webhook()
        refused = httpx.post(f"{url}/webhook", json=body, timeout=10)
        accepted = httpx.post(
            f"{url}/webhook", json=body, headers={"X-Flashcat-Secret": secret}, timeout=10
        )
        assert refused.status_code == 401
        assert accepted.json() == {
            "status": "accepted",
            "event_id": body["event_id"],
            "routes": ["to-automations"],
        }
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "1 route(s); secret check on (X-Flashcat-Secret)" in output
    assert f"journal {tmp_path / 'journal.sqlite3'} (0 pending to replay)" in output
    assert secret not in output
