"""The emulator served behind a recorder, for tests of what the client puts on the wire.

The emulator's own request log keeps no query string or headers (credentials never land in
it); the client tests need both, and the arrival time of each request. :class:`RecordingApp`
wraps an emulator app, notes every request as it arrives and passes it on unchanged.

Fixtures (registered in ``tests/conftest.py``):

- ``wire`` (function): a fresh demo emulator app (rate limits off, a fresh app key, hence a
  fresh client-side limiter) behind the session's recording server. Use ``wire.url``,
  ``wire.app_key``, ``wire.app`` (faults, state, request log), ``wire.requests_to(path)``,
  ``wire.seen``, ``wire.request_id(path)``, ``wire.open_incident()``.
"""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import pytest

from flashcat_prefect.emulator import EmulatorApp, create_app
from flashcat_prefect.emulator.runner import BackgroundServer

CLIENT_TIMEOUT = 1.5
"""A client timeout for tests that time out on purpose: no ordinary loopback answer takes
this long, even on a busy machine (a shorter one made the retried read time out too)."""
LATE = 4.0
"""Seconds a ``latency`` fault waits in tests that time out on purpose: far past
``CLIENT_TIMEOUT``."""


def free_port() -> int:
    """A loopback port nothing listens on (for "connection refused")."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Arrival:
    """One request as it reached the server."""

    at: float
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


class RecordingApp:
    """An ASGI app that records each HTTP request, then hands it to ``inner``."""

    def __init__(self, inner: EmulatorApp) -> None:
        self.inner = inner
        self.arrivals: list[Arrival] = []
        self._lock = threading.Lock()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        at = time.monotonic()
        raw = b""
        while True:
            message = await receive()
            raw += message.get("body", b"")
            if not message.get("more_body"):
                break
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": raw, "more_body": False}

        query = dict(parse_qsl(scope["query_string"].decode()))
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        with self._lock:
            self.arrivals.append(Arrival(at, scope["method"], scope["path"], query, headers, body))
        await self.inner(scope, replay, send)


@dataclass
class Wire:
    """One test's emulator app and the requests it received."""

    app: EmulatorApp
    app_key: str
    url: str
    recorder: RecordingApp

    @property
    def seen(self) -> list[Arrival]:
        return list(self.recorder.arrivals)

    def requests_to(self, path: str) -> list[Arrival]:
        return [arrival for arrival in self.seen if arrival.path == path]

    def integration_key(self) -> str:
        """The push key of a seeded integration."""
        return self.app.state.integration_for_channel(None).key

    def open_incident(self) -> str:
        """The id of the newest seeded incident (still open: the seed ends mid-shift)."""
        table = self.app.state.incidents
        return table.incident_id(table.size - 1)

    def request_id(self, path: str) -> str:
        """The request id the emulator gave its one answer to ``path``."""
        (entry,) = self.app.request_log.for_path(path)
        return entry.request_id


@pytest.fixture(scope="session")
def wire_server() -> Iterator[tuple[RecordingApp, str]]:
    recorder = RecordingApp(create_app(seed="empty", rate_limits=False))
    with BackgroundServer(recorder) as server:
        yield recorder, server.url


@pytest.fixture
def wire(wire_server: tuple[RecordingApp, str]) -> Wire:
    recorder, url = wire_server
    key = f"sentinel-app-{secrets.token_hex(8)}"
    recorder.inner = create_app(app_key=key, seed="demo", rate_limits=False)
    recorder.arrivals.clear()
    return Wire(recorder.inner, key, url, recorder)
