"""What the bridge refuses before it answers 200, and how little of a hostile body it reads.

Requests go over real HTTP (the bridge's app on a loopback uvicorn), so chunked bodies,
slow senders and early answers behave as they would in production.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from flashcat_prefect.bridge import Dispatcher, WebhookBridge, parse_routes
from flashcat_prefect.bridge.app import BODY_READ_SECONDS, MAX_JSON_DEPTH
from flashcat_prefect.emulator.runner import BackgroundServer
from tests.test_bridge_prefect import incident_webhook

CHUNK = 64 * 1024


@contextlib.contextmanager
def serve_bridge(journal: Path, **options: Any) -> Iterator[tuple[WebhookBridge, str, list[str]]]:
    """A bridge with a recording action behind a loopback server: (bridge, url, event ids run)."""
    ran: list[str] = []

    async def record(route: Any, body: Any, facts: Any) -> str:
        ran.append(facts.event_id)
        return "recorded"

    bridge = WebhookBridge(
        parse_routes([{"name": "everything", "deployment": {"name": "any/thing"}}]),
        secret="s3cret-value",
        journal=journal,
        dispatcher=Dispatcher(actions={"deployment": record}),
        **options,
    )
    with BackgroundServer(bridge.app) as server:
        yield bridge, f"{server.url}/webhook", ran
    bridge.close(drain_seconds=0)


@pytest.fixture
def served(tmp_path) -> Iterator[tuple[WebhookBridge, str, list[str]]]:
    with serve_bridge(tmp_path / "journal.sqlite3") as bridge_url_ran:
        yield bridge_url_ran


AUTH = {"X-Flashcat-Secret": "s3cret-value"}


def test_a_null_incident_id_is_refused_before_the_answer(served):
    bridge, url, ran = served
    answer = httpx.post(url, json=incident_webhook(incident_id=None), headers=AUTH)
    assert answer.status_code == 400
    assert "incident.incident_id: field required" in answer.json()["error"]
    assert bridge.journal.counts() == {"pending": 0, "failed": 0} and ran == []


def test_json_nested_deeper_than_allowed_is_a_400(served):
    _, url, _ = served
    shallow_enough = incident_webhook(labels={"service": "checkout"})
    too_deep: Any = "x"
    for _ in range(MAX_JSON_DEPTH):
        too_deep = {"a": too_deep}
    beyond_the_parser = "[" * 100_000 + "]" * 100_000  # json.loads raises RecursionError

    answers = [
        httpx.post(url, json={**shallow_enough, "extra": too_deep}, headers=AUTH),
        httpx.post(url, content=beyond_the_parser, headers=AUTH),
    ]

    assert [answer.status_code for answer in answers] == [400, 400]
    assert all(f"nests deeper than {MAX_JSON_DEPTH} levels" in a.json()["error"] for a in answers)
    assert httpx.post(url, json=shallow_enough, headers=AUTH).json()["status"] == "accepted"


def raw_post(
    url: str, head: bytes, chunks: Iterator[bytes], *, pause: float = 0.0
) -> tuple[bytes, int]:
    """Send a request by hand (chunked body); returns (answer bytes, body bytes sent)."""
    address = httpx.URL(url)
    sent = 0
    with socket.create_connection((address.host, address.port), timeout=30) as sock:
        sock.sendall(head)
        try:
            for chunk in chunks:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
                if pause:
                    time.sleep(pause)
            sock.sendall(b"0\r\n\r\n")
        except OSError:  # the bridge answered and closed while we were still sending
            pass
        sock.settimeout(30)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer, sent


def chunked_head(url: str, headers: dict[str, str]) -> bytes:
    address = httpx.URL(url)
    lines = [
        f"POST {address.path} HTTP/1.1",
        f"Host: {address.host}:{address.port}",
        "Content-Type: application/json",
        "Transfer-Encoding: chunked",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_a_chunked_body_is_cut_off_at_the_limit_with_413(served):
    _, url, _ = served
    pulled = 0

    def endless() -> Iterator[bytes]:
        nonlocal pulled
        while pulled < 200 * 1024 * 1024:
            pulled += CHUNK
            yield b" " * CHUNK

    answer, sent = raw_post(url, chunked_head(url, AUTH), endless())

    assert answer.startswith(b"HTTP/1.1 413")
    assert b"body is larger than" in answer
    assert sent < 200 * 1024 * 1024  # the connection was closed long before the end


def test_the_secret_is_checked_before_the_body_is_read(served):
    bridge, url, _ = served
    answer, sent = raw_post(url, chunked_head(url, {}), iter([b" " * CHUNK] * 20_000))
    assert answer.startswith(b"HTTP/1.1 401")
    assert sent < 20_000 * CHUNK
    assert bridge.counts["unauthorized"] == 1


def test_a_body_that_trickles_in_is_cut_off_with_408(tmp_path):
    body = json.dumps(incident_webhook()).encode()
    trickle = (body[i : i + 10] for i in range(0, len(body), 10))  # 10 bytes every 0.2 s
    with serve_bridge(tmp_path / "journal.sqlite3", body_read_seconds=0.5) as (bridge, url, _):
        started = time.monotonic()
        answer, sent = raw_post(url, chunked_head(url, AUTH), trickle, pause=0.2)
        waited = time.monotonic() - started

    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert sent < len(body) and waited < BODY_READ_SECONDS
    assert bridge.journal.counts() == {"pending": 0, "failed": 0}


def test_a_crash_after_the_run_was_created_does_not_create_a_second(tmp_path):
    """The run exists but the entry is still in the journal (stopped right after the call):
    the replay gets the same run back from Prefect through the idempotency key."""
    from prefect.client.orchestration import get_client

    from flashcat_prefect.bridge.dispatch import run_deployment_action
    from tests.test_bridge_prefect import deployment_route, flow_runs_of, remediate

    name = f"crash-{time.monotonic_ns()}"
    deployment_id = remediate.to_deployment(name=name).apply()
    routes = [deployment_route(f"{remediate.name}/{name}")]
    created = threading.Event()

    async def create_then_hang(route: Any, body: Any, facts: Any) -> str:
        await run_deployment_action(route, body, facts)
        created.set()
        await asyncio.Event().wait()  # stopped here, as by a crash, before the journal hears
        return "unreachable"

    journal = tmp_path / "journal.sqlite3"
    first = WebhookBridge(
        parse_routes(routes),
        journal=journal,
        dispatcher=Dispatcher(actions={"deployment": create_then_hang}),
    )
    body = incident_webhook()
    with BackgroundServer(first.app) as server:
        assert httpx.post(f"{server.url}/webhook", json=body).json()["status"] == "accepted"
        assert created.wait(60)
    first.close(drain_seconds=0)
    assert first.journal.counts()["pending"] == 1

    second = WebhookBridge(parse_routes(routes), journal=journal)
    second.start()
    try:
        assert second.wait_idle(60)
    finally:
        second.close()
    (run,) = flow_runs_of(deployment_id)
    assert second.dispatcher.outcomes[-1].detail == str(run.id)
    with get_client(sync_client=True) as client:
        assert client.read_flow_run(run.id).idempotency_key.endswith(body["event_id"])


def test_a_connection_whose_headers_trickle_in_is_closed(tmp_path):
    import uvicorn

    from flashcat_prefect.bridge.server import protocol_with
    from flashcat_prefect.emulator.runner import bind_socket

    bridge = WebhookBridge(
        parse_routes([{"name": "everything", "event": {}}]), journal=tmp_path / "journal.sqlite3"
    )
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(bridge.app, lifespan="off", log_level="warning", http=protocol_with(0.5))
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.01)
        started = time.monotonic()
        closed_after = None
        with socket.create_connection(("127.0.0.1", port), timeout=5) as slow:
            slow.settimeout(0.1)
            for byte in b"POST /webhook HTTP/1.1\r\nHost: bridge\r\nX-Padding: " + b"x" * 100:
                try:
                    slow.sendall(bytes([byte]))
                    if slow.recv(1) == b"":
                        closed_after = time.monotonic() - started
                        break
                except TimeoutError:
                    continue
                except OSError:
                    closed_after = time.monotonic() - started
                    break
        assert closed_after is not None and closed_after < 5, "the slow connection was held open"
        assert (
            httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
        )  # others still served
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
