"""A small Flashduty look-alike for the client tests, served by uvicorn on loopback.

It speaks the real envelope, checks the key, records every request with its arrival time
(the server's own clock) and can be told to answer the next requests to a path with scripted
replies (429s, errors inside a 200, broken bodies). It holds just enough data to page
through: ``/member/list`` (page style), ``/incident/list`` (cursor style), a CSV export and
the two Event API pushes.

Test modules use the fixtures at the bottom: ``fake`` (reset per test) and ``new_key``
(a fresh registered key, hence a fresh client-side rate limiter).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import socket
import threading
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

CURSOR_PREFIX = "cursor-"
CLIENT_TIMEOUT = 1.5
"""A client timeout for tests that time out on purpose: no ordinary loopback answer takes
this long, even on a busy machine (a shorter one made the retried read time out too)."""
LATE = 4.0
"""How long a ``Reply(delay=LATE)`` waits: far past ``CLIENT_TIMEOUT``."""
Handler = Callable[[dict[str, Any], dict[str, str], str], Response]


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: str | None = None
    """Sent as-is (e.g. an HTML page from a proxy) instead of ``body`` as JSON."""
    delay: float = 0.0


@dataclass
class Seen:
    """One request as the server saw it."""

    at: float
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


class FakeFlashduty:
    """State and routes of the fake; ``app`` is the ASGI application, ``url`` its address."""

    def __init__(self, members: int = 250, incidents: int = 230) -> None:
        self.url = ""
        self.app_keys: set[str] = set()
        self.integration_keys: set[str] = set()
        self.members = [
            {"member_id": 1000 + i, "member_name": f"member-{i:03d}", "email": f"m{i}@example.com"}
            for i in range(members)
        ]
        self.incidents = [
            {"incident_id": f"{i:024x}", "title": f"incident {i}"} for i in range(incidents)
        ]
        self.omit_has_next_page = False
        self.seen: list[Seen] = []
        self._scripts: dict[str, deque[Reply]] = defaultdict(deque)
        self._lock = threading.Lock()
        self.app = Starlette(routes=[Route("/{path:path}", self._handle, methods=["GET", "POST"])])

    # -- test controls ---------------------------------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self.seen.clear()
            self._scripts.clear()
        self.omit_has_next_page = False

    def new_app_key(self) -> str:
        key = f"sentinel-app-{secrets.token_hex(8)}"
        self.app_keys.add(key)
        return key

    def new_integration_key(self) -> str:
        key = f"sentinel-int-{secrets.token_hex(8)}"
        self.integration_keys.add(key)
        return key

    def script(self, path: str, *replies: Reply) -> None:
        """Answer the next requests to ``path`` with ``replies``, then behave normally."""
        with self._lock:
            self._scripts[path].extend(replies)

    def requests_to(self, path: str) -> list[Seen]:
        with self._lock:
            return [seen for seen in self.seen if seen.path == path]

    # -- the server ------------------------------------------------------------------------

    async def _handle(self, request: Request) -> Response:
        arrived = time.monotonic()
        path = "/" + request.path_params["path"]
        raw = await request.body()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        query = dict(request.query_params)
        with self._lock:
            self.seen.append(
                Seen(arrived, request.method, path, query, dict(request.headers), body)
            )
            scripted = self._scripts[path].popleft() if self._scripts[path] else None
        request_id = uuid.uuid4().hex
        if scripted is not None:
            return await _scripted(scripted, request_id)
        if path.startswith("/event/push/"):
            if query.get("integration_key") not in self.integration_keys:
                return _error(
                    400, "InvalidParameter", "integration_key is not a valid one", request_id
                )
        elif query.get("app_key") not in self.app_keys:
            # Real servers may echo what they got: the client must mask it.
            return _error(
                401, "Unauthorized", f"app_key {query.get('app_key')} is invalid", request_id
            )
        handler = self._routes().get(path)
        if handler is None:
            return _error(404, "RouteNotFound", f"no route {request.method} {path}", request_id)
        return handler(body if isinstance(body, dict) else {}, query, request_id)

    def _routes(self) -> dict[str, Handler]:
        return {
            "/member/list": self._member_list,
            "/incident/list": self._incident_list,
            "/insight/incident/export": self._export,
            "/event/push/alert/standard": self._push_alert,
            "/event/push/change/standard": lambda body, query, rid: _ok(None, rid),
            "/incident/post-mortem/info": lambda body, query, rid: _ok({"query": query}, rid),
            "/incident/ack": lambda body, query, rid: _ok(None, rid),
            "/echo": lambda body, query, rid: _ok({"body": body, "query": query}, rid),
        }

    def _member_list(self, body: dict[str, Any], query: dict[str, str], rid: str) -> Response:
        page, limit = int(body.get("p", 1)), int(body.get("limit", 20))
        if limit > 100 or page * limit > 10000:
            return _error(400, "InvalidParameter", "limit or p*limit out of range", rid)
        start = (page - 1) * limit
        data: dict[str, Any] = {
            "p": page,
            "limit": limit,
            "total": min(len(self.members), 1000),
            "items": self.members[start : start + limit],
        }
        if not self.omit_has_next_page:
            data["has_next_page"] = start + limit < len(self.members)
        return _ok(data, rid)

    def _incident_list(self, body: dict[str, Any], query: dict[str, str], rid: str) -> Response:
        limit = int(body.get("limit", 20))
        cursor = body.get("search_after_ctx")
        start = int(cursor.removeprefix(CURSOR_PREFIX)) if cursor else 0
        more = start + limit < len(self.incidents)
        data: dict[str, Any] = {
            "items": self.incidents[start : start + limit],
            "total": min(len(self.incidents), 1000),
            "has_next_page": more,
        }
        if more:
            data["search_after_ctx"] = f"{CURSOR_PREFIX}{start + limit}"
        return _ok(data, rid)

    def _export(self, body: dict[str, Any], query: dict[str, str], rid: str) -> Response:
        rows = "".join(f"{item['incident_id']},{item['title']}\n" for item in self.incidents[:3])
        return Response(
            f"incident_id,title\n{rows}",
            media_type="text/csv",
            headers={
                "Content-Disposition": 'attachment; filename="incidents.csv"',
                "Flashcat-Request-Id": rid,
            },
        )

    def _push_alert(self, body: dict[str, Any], query: dict[str, str], rid: str) -> Response:
        return _ok({"alert_key": body.get("alert_key") or "generated-key"}, rid)


async def _scripted(reply: Reply, request_id: str) -> Response:
    if reply.delay:
        await asyncio.sleep(reply.delay)
    headers = {"Flashcat-Request-Id": request_id, **reply.headers}
    if reply.raw is not None:
        return Response(
            reply.raw, status_code=reply.status, headers=headers, media_type="text/html"
        )
    body = reply.body if reply.body is not None else {"request_id": request_id, "data": None}
    return JSONResponse(body, status_code=reply.status, headers=headers)


def _ok(data: Any, request_id: str) -> Response:
    return JSONResponse(
        {"request_id": request_id, "data": data}, headers={"Flashcat-Request-Id": request_id}
    )


def _error(status: int, code: str, message: str, request_id: str) -> Response:
    return JSONResponse(
        {"request_id": request_id, "error": {"code": code, "message": message}},
        status_code=status,
        headers={"Flashcat-Request-Id": request_id},
    )


def error_body(
    code: str, message: str = "scripted", request_id: str = "req-scripted"
) -> dict[str, Any]:
    return {"request_id": request_id, "error": {"code": code, "message": message}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a thread on a free loopback port; yields its URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", access_log=False
        )
    )
    thread = threading.Thread(target=server.run, name="fake-flashduty", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the fake Flashduty server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeFlashduty]:
    fake = FakeFlashduty()
    with serve(fake.app) as url:
        fake.url = url
        yield fake


@pytest.fixture
def fake(fake_server: FakeFlashduty) -> FakeFlashduty:
    """The running fake, with no scripts and an empty request log."""
    fake_server.reset()
    return fake_server


@pytest.fixture
def new_key(fake: FakeFlashduty) -> str:
    """A fresh app key the fake accepts (fresh key: fresh client-side limiter)."""
    return fake.new_app_key()
