"""Run ``flashcat-prefect emulator`` in its own process, for tests that need a server whose
clock does not share the test process's interpreter lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def start_emulator_process(*args: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """Start ``flashcat-prefect emulator`` on a free port; return the process, its URL and key."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "flashcat_prefect.cli", "emulator", "--port", "0", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
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


def stop_emulator_process(process: subprocess.Popen[str]) -> int:
    """Interrupt it as a user would (Ctrl+C) and return its exit code."""
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
