"""Nothing the bridge accepted is lost or run twice: SIGTERM during a backlog, and a Prefect
API that is down or failing for 30 s during a burst.

The bridge runs as ``flashcat-prefect webhook serve`` in its own process (so SIGTERM is real);
its settings come from the environment (``FLASHCAT_BRIDGE_*``). Flow runs are read back from
the session's Prefect API. In the outage test the bridge talks to that API through a proxy
in this process that is really stopped (connections refused) and, before that, answers
"database is locked" errors, half of them after forwarding the request (the run exists but
the bridge is told it failed).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
from prefect.settings import PREFECT_API_URL
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flashcat_prefect.emulator.runner import BackgroundServer
from tests.test_bridge_prefect import deployment_route, incident_webhook, remediate

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

REPO = Path(__file__).resolve().parents[1]
START_SECONDS = 120
DRAIN_DEADLINE = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BridgeProcess:
    """``flashcat-prefect webhook serve`` in a subprocess, with settings from the environment."""

    def __init__(self, routes: Path, journal: Path, api_url: str, **settings: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "PYTHONUNBUFFERED": "1",
            "PREFECT_API_URL": api_url,
            "FLASHCAT_BRIDGE_JOURNAL": str(journal),
            "PREFECT_CLIENT_MAX_RETRIES": "1",
            **settings,
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flashcat_prefect.cli",
                "webhook",
                "serve",
                "--routes",
                str(routes),
                "--port",
                str(self.port),
                "--max-concurrency",
                "4",
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert self.process.poll() is None, self.output()
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the bridge did not start"
            time.sleep(0.2)

    def health(self) -> dict[str, Any]:
        return httpx.get(f"{self.url}/healthz", timeout=10).json()

    def wait_drained(self, seconds: float = DRAIN_DEADLINE) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while (health := self.health())["pending"] and time.monotonic() < deadline:
            time.sleep(0.5)
        return health

    def terminate(self) -> int:
        """SIGTERM, as a service manager stops it; the exit code."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        finally:
            if self.process.poll() is None:
                self.process.kill()

    def output(self) -> str:
        if self.process.poll() is None:
            self.process.kill()
        return self.process.communicate(timeout=30)[0]


def send_all(url: str, bodies: list[dict[str, Any]], concurrency: int = 20) -> list[dict[str, Any]]:
    """POST every body (``concurrency`` at a time); the answers in order."""

    async def run() -> list[dict[str, Any]]:
        slots = asyncio.Semaphore(concurrency)
        async with httpx.AsyncClient(timeout=30) as client:

            async def one(body: dict[str, Any]) -> dict[str, Any]:
                async with slots:
                    response = await client.post(f"{url}/webhook", json=body)
                    assert response.status_code == 200, response.text
                    return response.json()

            return await asyncio.gather(*(one(body) for body in bodies))

    return asyncio.run(run())


def runs_per_incident(deployment_id: uuid.UUID) -> Counter[str]:
    """How many flow runs of the deployment each incident id got (every page)."""
    counts: Counter[str] = Counter()
    with get_client(sync_client=True) as client:
        offset = 0
        while True:
            page = client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
                limit=200,
                offset=offset,
            )
            counts.update(run.parameters["incident_id"] for run in page)
            if len(page) < 200:
                return counts
            offset += len(page)


def journal_entries(journal: Path) -> int:
    if not journal.exists():
        return 0
    with sqlite3.connect(journal) as db:
        return db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]


@pytest.fixture
def routed(tmp_path) -> Iterator[tuple[uuid.UUID, Path]]:
    """A fresh deployment and a route file that runs it for every webhook."""
    name = f"durable-{uuid.uuid4().hex[:8]}"
    deployment_id = remediate.to_deployment(name=name).apply()
    routes = tmp_path / "routes.yaml"
    import yaml

    routes.write_text(yaml.safe_dump({"routes": [deployment_route(f"{remediate.name}/{name}")]}))
    yield deployment_id, routes


def test_sigterm_after_200_accepted_webhooks_loses_none(routed, tmp_path):
    deployment_id, routes = routed
    journal = tmp_path / "journal.sqlite3"
    api = PREFECT_API_URL.value()
    bodies = [incident_webhook() for _ in range(200)]

    bridge = BridgeProcess(routes, journal, api, FLASHCAT_BRIDGE_DRAIN_SECONDS="0.5")
    answers = send_all(bridge.url, bodies)
    assert [answer["status"] for answer in answers] == ["accepted"] * 200
    exit_code = bridge.terminate()
    output = bridge.output()
    assert exit_code in (0, -signal.SIGTERM), output
    left_over = journal_entries(journal)

    restarted = BridgeProcess(routes, journal, api)
    try:
        health = restarted.wait_drained()
    finally:
        restarted.terminate()
        restarted.output()
    runs = runs_per_incident(deployment_id)
    assert len(runs) == 200 and set(runs) == {body["incident"]["incident_id"] for body in bodies}
    assert set(runs.values()) == {1}, "some webhook got more than one run"
    assert (health["pending"], health.get("failed")) == (0, 0)
    assert journal_entries(journal) == 0
    assert left_over > 0, "the backlog was done before SIGTERM: the replay was not exercised"


class FlakyPrefectProxy:
    """Forwards to the real Prefect API; can answer "database is locked" or be shut down.

    (The session's SQLite-backed API also answers 503 by itself under a burst; the bridge
    retries those the same way.)
    """

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.failing = False
        self.requests_failed = 0
        self.port = free_port()
        self.server: BackgroundServer | None = None
        self.app = Starlette(
            routes=[
                Route(
                    "/{path:path}", self.forward, methods=["GET", "POST", "PATCH", "PUT", "DELETE"]
                )
            ]
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def up(self) -> None:
        self.server = BackgroundServer(self.app, port=self.port).start()

    def down(self) -> None:
        assert self.server is not None
        self.server.stop()  # the port is closed: connections are refused

    async def forward(self, request: Request) -> Response:
        path = request.url.path.removeprefix("/api")
        body = await request.body()
        if self.failing:
            self.requests_failed += 1
            if self.requests_failed % 2:  # refused before it reached the database
                return JSONResponse({"exception_message": "database is locked"}, status_code=500)
        headers = {
            k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")
        }
        async with httpx.AsyncClient(timeout=30) as client:
            answer = await client.request(
                request.method,
                f"{self.upstream}{path}",
                params=request.query_params,
                content=body,
                headers=headers,
            )
        if self.failing:  # applied, but the bridge hears a failure (a late-landing write)
            return JSONResponse({"exception_message": "database is locked"}, status_code=503)
        return Response(
            answer.content,
            status_code=answer.status_code,
            media_type=answer.headers.get("content-type"),
        )


def test_prefect_api_down_for_30_s_during_a_burst_every_webhook_runs_once(routed, tmp_path):
    deployment_id, routes = routed
    journal = tmp_path / "journal.sqlite3"
    proxy = FlakyPrefectProxy(PREFECT_API_URL.value())
    proxy.up()
    bridge = BridgeProcess(routes, journal, proxy.url, FLASHCAT_BRIDGE_RETRY_CAP_SECONDS="2")
    bodies = [incident_webhook() for _ in range(60)]
    try:
        accepted = send_all(bridge.url, bodies[:20])
        outage_started = time.monotonic()
        proxy.failing = True  # 10 s of "database is locked", half of them after the write
        accepted += send_all(bridge.url, bodies[20:40], concurrency=5)
        time.sleep(max(0.0, 10 - (time.monotonic() - outage_started)))
        proxy.down()  # then 20 s with no API at all
        accepted += send_all(bridge.url, bodies[40:], concurrency=5)
        time.sleep(max(0.0, 30 - (time.monotonic() - outage_started)))
        assert bridge.health()["pending"] > 0
        proxy.failing = False
        proxy.up()
        health = bridge.wait_drained()
    finally:
        bridge.terminate()
        output = bridge.output()
        proxy.down()
    assert [answer["status"] for answer in accepted] == ["accepted"] * len(bodies)
    assert proxy.requests_failed > 0
    runs = runs_per_incident(deployment_id)
    assert len(runs) == len(bodies) and set(runs) == {
        body["incident"]["incident_id"] for body in bodies
    }
    assert set(runs.values()) == {1}, "some webhook got more than one run"
    assert (health["pending"], health.get("failed")) == (0, 0), output[-3000:]
    assert "database is locked" in output  # the failures were seen and retried
