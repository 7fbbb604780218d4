"""The webhook bridge: an ASGI app that receives Flashduty webhooks and routes them to Prefect.

Flashduty expects an HTTP 200 within 1 s (custom actions) or 2 s (incident and alert
webhooks), retries once only on network errors, never after an answer, and may deliver the
same ``event_id`` twice. So a request is checked (secret first, then a bounded read of the
body), validated, de-duplicated and written to the
:class:`~flashcat_prefect.bridge.journal.WebhookJournal` before the 200 goes out; the
background :class:`~flashcat_prefect.bridge.dispatch.Dispatcher` turns journal entries into
Prefect runs or events, so the answer never waits for Prefect and a stop loses nothing.

Routes: ``POST /`` and ``POST /webhook`` take incident, alert and custom-action webhooks;
``GET /healthz`` reports counters.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import threading
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import anyio
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route as HttpRoute

from flashcat_prefect.api.webhooks import parse_webhook
from flashcat_prefect.bridge.dedup import SeenEvents
from flashcat_prefect.bridge.dispatch import Dispatcher
from flashcat_prefect.bridge.journal import WebhookJournal
from flashcat_prefect.bridge.routing import RouteTable, WebhookFacts, kind_of

logger = logging.getLogger("flashcat_prefect.bridge")

DEFAULT_SECRET_HEADER = "X-Flashcat-Secret"
MAX_BODY_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 64
"""Webhook bodies nest a few levels; anything deeper is refused before validation."""
BODY_READ_SECONDS = 10.0
"""A body must arrive within this time (Flashduty sends a few kilobytes at once)."""


class WebhookRejected(Exception):
    """A request the bridge refuses; carries the HTTP status and a message for the sender."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _nesting_exceeds(value: Any, limit: int) -> bool:
    """True when ``value`` nests lists or objects deeper than ``limit`` levels (no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def decode_body(raw: bytes) -> Any:
    """The JSON in ``raw``; 400 for text that is not JSON or nests deeper than the bridge allows."""
    try:
        body = json.loads(raw)
    except RecursionError:
        raise WebhookRejected(400, f"body nests deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError:
        raise WebhookRejected(400, "body is not valid JSON") from None
    if _nesting_exceeds(body, MAX_JSON_DEPTH):
        raise WebhookRejected(400, f"body nests deeper than {MAX_JSON_DEPTH} levels")
    return body


async def read_body(
    request: Request, *, limit: int = MAX_BODY_BYTES, seconds: float = BODY_READ_SECONDS
) -> bytes:
    """The body, read chunk by chunk: 413 as soon as it passes ``limit`` bytes (the rest is
    never read), 408 when it has not fully arrived within ``seconds``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise WebhookRejected(413, f"body is larger than {limit} bytes")
    received = bytearray()
    with anyio.move_on_after(seconds) as timer:
        async for chunk in request.stream():
            received += chunk
            if len(received) > limit:
                raise WebhookRejected(413, f"body is larger than {limit} bytes")
    if timer.cancelled_caught:
        raise WebhookRejected(408, f"body did not arrive within {seconds:g} s")
    return bytes(received)


def validate_webhook(body: Any) -> dict[str, Any]:
    """Check a decoded body against the webhook payload models; return it as a dict.

    Raises :class:`WebhookRejected` (400) naming the field and the rule.
    """
    if not isinstance(body, dict):
        raise WebhookRejected(400, "body must be a JSON object")
    event_type = body.get("event_type")
    if not isinstance(event_type, str) or not event_type:
        raise WebhookRejected(400, "event_type: field required (a Flashduty webhook event type)")
    kind = kind_of(event_type)
    if kind is None:
        raise WebhookRejected(400, f"event_type: must start with i_ or a_, got {event_type!r}")
    if not isinstance(body.get(kind), Mapping):
        raise WebhookRejected(
            400, f"{kind}: field required (an object) for event_type {event_type}"
        )
    try:
        parse_webhook(body)
    except ValueError as exc:  # WebhookParseError and pydantic's ValidationError
        raise WebhookRejected(400, f"invalid webhook: {' '.join(str(exc).split())}") from None
    return body


class WebhookBridge:
    """Receives Flashduty webhooks, de-duplicates them and routes them to Prefect.

    Args:
        routes: The routing rules (see :func:`~flashcat_prefect.bridge.routing.load_routes`).
        secret: Optional shared secret; when set, every request must carry it in
            ``secret_header`` (configure it as a custom header of the Flashduty webhook).
        secret_header: Name of the header that carries the secret.
        dispatcher: The background worker; a default one runs Prefect actions.
        journal: Where accepted webhooks wait for Prefect: a
            :class:`~flashcat_prefect.bridge.journal.WebhookJournal`, a file path, or None
            for the default file (see :mod:`flashcat_prefect.bridge.journal`). What it holds
            is replayed when the bridge starts.
        max_pending: Journal entries (webhook x route) that may wait before the bridge
            answers 503 (Flashduty does not retry after HTTP errors, so keep it generous).
        seen: The event-id cache used for de-duplication.
        max_body_bytes: Larger bodies get 413; reading stops at the limit.
        body_read_seconds: A body not fully received in this time gets 408.

    Examples:
        Serve with uvicorn (or ``flashcat-prefect webhook serve``):

            from flashcat_prefect.bridge import WebhookBridge, load_routes
            bridge = WebhookBridge(load_routes("bridge-routes.yaml"), secret="s3cret")
            # uvicorn.run(bridge.app, host="0.0.0.0", port=8788)

        The app's lifespan starts the worker (replaying the journal) and, on shutdown,
        drains it for ``dispatcher.drain_seconds``; without a lifespan call
        :meth:`start` and :meth:`close` yourself.
    """

    def __init__(
        self,
        routes: RouteTable,
        *,
        secret: str | SecretStr | None = None,
        secret_header: str = DEFAULT_SECRET_HEADER,
        dispatcher: Dispatcher | None = None,
        journal: WebhookJournal | str | Path | None = None,
        max_pending: int = 1000,
        seen: SeenEvents | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
        body_read_seconds: float = BODY_READ_SECONDS,
    ) -> None:
        self.routes = routes
        self._secret = SecretStr(secret) if isinstance(secret, str) else secret
        if self._secret is not None and not self._secret.get_secret_value():
            raise ValueError("secret must not be empty (pass None to turn the check off)")
        self.secret_header = secret_header
        self.journal = journal if isinstance(journal, WebhookJournal) else WebhookJournal(journal)
        self.dispatcher = dispatcher or Dispatcher()
        self.dispatcher.bind(routes, self.journal)
        self.max_pending = max_pending
        self.max_body_bytes = max_body_bytes
        self.body_read_seconds = body_read_seconds
        self.seen = seen or SeenEvents()
        self.counts: Counter[str] = Counter()
        self._counts_lock = threading.Lock()
        self.app = Starlette(
            routes=[
                HttpRoute("/", self._receive, methods=["POST"]),
                HttpRoute("/webhook", self._receive, methods=["POST"]),
                HttpRoute("/healthz", self._health, methods=["GET"]),
            ],
            lifespan=self._lifespan,
        )

    def __repr__(self) -> str:
        secret = "set" if self._secret else "off"
        return f"WebhookBridge(routes={len(self.routes.routes)}, secret={secret})"

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until the background work for every accepted webhook is done."""
        return self.dispatcher.wait_idle(timeout)

    def start(self) -> None:
        """Start the background worker, which first replays what the journal holds."""
        self.dispatcher.start()

    def close(self, drain_seconds: float | None = None) -> None:
        """Work on for up to ``drain_seconds`` (default ``dispatcher.drain_seconds``), then
        stop; entries not done stay in the journal for the next start."""
        self.dispatcher.close(drain_seconds)

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self.start()
        try:
            yield
        finally:
            await run_in_threadpool(self.close)

    def _count(self, name: str) -> None:
        with self._counts_lock:
            self.counts[name] += 1

    def _route(self, body: Any) -> dict[str, Any]:
        """Validate, de-duplicate and journal one decoded webhook; returns the sender's answer.

        Runs in a worker thread: the journal write waits for the disk.
        """
        payload = validate_webhook(body)
        facts = WebhookFacts.of(payload)
        if not facts.event_id:
            raise WebhookRejected(400, "event_id: field required (a 32-hex id)")
        if not facts.subject_id:
            raise WebhookRejected(
                400, f"{facts.kind}.{facts.kind}_id: field required (a non-empty id)"
            )
        if not self.seen.first_time(facts.event_id):
            self._count("duplicate")
            return {"status": "duplicate", "event_id": facts.event_id}
        routes = self.routes.matching(facts)
        if not routes:
            self._count("unrouted")
            return {"status": "ignored", "event_id": facts.event_id, "routes": []}
        if self.dispatcher.pending >= self.max_pending:
            self.seen.forget(facts.event_id)
            self._count("busy")
            raise WebhookRejected(503, "bridge is busy; try again later")
        try:
            recorded = self.dispatcher.submit(routes, payload, facts)
        except Exception as exc:
            self.seen.forget(facts.event_id)
            logger.error("could not write webhook %s to the journal: %s", facts.event_id, exc)
            raise WebhookRejected(
                503, "bridge could not record the webhook; try again later"
            ) from None
        if not recorded:  # still in the journal from an earlier delivery
            self._count("duplicate")
            return {"status": "duplicate", "event_id": facts.event_id}
        self._count("accepted")
        return {
            "status": "accepted",
            "event_id": facts.event_id,
            "routes": [r.name for r in routes],
        }

    def _check_secret(self, headers: Headers) -> None:
        """401 unless the secret header carries the secret (compared in constant time)."""
        if self._secret is None:
            return
        given = headers.get(self.secret_header, "")  # Headers look names up in any case
        expected = self._secret.get_secret_value()
        if not hmac.compare_digest(given.encode(), expected.encode()):
            self._count("unauthorized")
            raise WebhookRejected(401, f"missing or wrong {self.secret_header} header")

    async def _receive(self, request: Request) -> JSONResponse:
        try:
            self._check_secret(request.headers)  # before a single byte of the body is read
            raw = await read_body(
                request, limit=self.max_body_bytes, seconds=self.body_read_seconds
            )
            body = decode_body(raw)
            answer = await run_in_threadpool(self._route, body)
        except WebhookRejected as exc:
            if exc.status == 400:
                self._count("invalid")
            # A refused body may not have been read to the end: close instead of keeping alive.
            headers = {"Connection": "close"} if exc.status in (401, 408, 413) else None
            return JSONResponse(
                {"status": "rejected", "error": exc.message},
                status_code=exc.status,
                headers=headers,
            )
        return JSONResponse(answer)

    async def _health(self, request: Request) -> JSONResponse:
        with self._counts_lock:
            counts = dict(self.counts)
        return JSONResponse(
            {
                "status": "ok",
                "pending": self.dispatcher.pending,
                "failed": self.journal.counts()["failed"],
                "counts": counts,
            }
        )
