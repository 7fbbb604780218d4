"""``flashcat-prefect emulator`` serves until interrupted; drive it with httpx and the client."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from flashcat_prefect.client import FlashcatClient
from flashcat_prefect.client.errors import UnauthorizedError

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _start(*args: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "flashcat_prefect.cli", "emulator", "--port", "0", *args],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    facts: dict[str, str] = {}
    deadline = time.monotonic() + 120
    assert process.stdout is not None
    while "key" not in facts and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if "serving at " in line:
            facts["url"] = line.rsplit(" ", 1)[-1].strip()
        if line.startswith("APP key:"):
            facts["key"] = line.split(":", 1)[1].strip()
    if "key" not in facts:
        process.kill()
        pytest.fail(f"the emulator command did not start: {facts}")
    return process, facts


def _stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        raise


def test_emulator_command_serves_until_interrupted():
    process, facts = _start("--seed", "demo", "--app-key", "cli-test-key", "--no-rate-limits")
    try:
        assert facts["key"] == "cli-test-key"
        assert facts["url"].startswith("http://127.0.0.1:")
        answer = httpx.post(facts["url"] + "/team/list", params={"app_key": "cli-test-key"},
                            json={}).json()
        assert answer["data"]["total"] == 5
        with FlashcatClient("cli-test-key", base_url=facts["url"], max_retries=0) as client:
            members = list(client.iter_items("/member/list", {}))
            assert len(members) == 30
            created = client.request("/incident/create", {"incident_severity": "Critical",
                                                          "title": "from the CLI test"})
            info = client.request("/incident/info", {"incident_id": created["incident_id"]})
            assert info["title"] == "from the CLI test"
        with FlashcatClient("wrong-key", base_url=facts["url"], max_retries=0) as client, \
                pytest.raises(UnauthorizedError):
            client.request("/team/list", {})
    finally:
        code = _stop(process)
    assert code in (0, 130, -signal.SIGINT)  # Ctrl+C ends it the usual way
    with pytest.raises(httpx.TransportError):
        httpx.post(facts["url"] + "/team/list", params={"app_key": "cli-test-key"}, json={})


def test_emulator_command_makes_a_random_key_and_enforces_rate_limits():
    process, facts = _start("--seed", "empty")
    try:
        assert len(facts["key"]) >= 16
        statuses = [httpx.post(facts["url"] + "/insight/incident/export",
                               params={"app_key": facts["key"]},
                               json={"start_time": 0, "end_time": 86400}).status_code
                    for _ in range(2)]
        assert statuses == [200, 429]
    finally:
        _stop(process)
