"""The webhook bridge: an ASGI app that receives Flashduty webhooks and routes them to Prefect.

Flashduty expects an HTTP 200 within 1 s (custom actions) or 2 s (incident and alert
webhooks), retries once only on network errors, and may deliver the same ``event_id`` twice.
So a request is checked, validated, de-duplicated and handed to the background
:class:`~flashcat_prefect.bridge.dispatch.Dispatcher`; the answer never waits for Prefect.

Routes: ``POST /`` and ``POST /webhook`` take incident, alert and custom-action webhooks;
``GET /healthz`` reports counters.
"""

from __future__ import annotations

import hmac
import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route as HttpRoute

from flashcat_prefect.bridge.dedup import SeenEvents
from flashcat_prefect.bridge.dispatch import Dispatcher
from flashcat_prefect.bridge.routing import RouteTable, WebhookFacts, kind_of

DEFAULT_SECRET_HEADER = "X-Flashcat-Secret"
MAX_BODY_BYTES = 1024 * 1024


class WebhookRejected(Exception):
    """A request the bridge refuses; carries the HTTP status and a message for the sender."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def validate_webhook(body: Any) -> dict[str, Any]:
    """Check a decoded body against the webhook payload models; return it as a dict.

    Raises :class:`WebhookRejected` (400) naming the field and the rule.
    """
    from flashcat_prefect.api.webhooks import parse_webhook

    if not isinstance(body, dict):
        raise WebhookRejected(400, "body must be a JSON object")
    event_type = body.get("event_type")
    if not isinstance(event_type, str) or not event_type:
        raise WebhookRejected(400, "event_type: field required (a Flashduty webhook event type)")
    kind = kind_of(event_type)
    if kind is None:
        raise WebhookRejected(400, f"event_type: must start with i_ or a_, got {event_type!r}")
    if not isinstance(body.get(kind), Mapping):
        raise WebhookRejected(400, f"{kind}: field required (an object) for event_type {event_type}")
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
        max_pending: Webhooks that may wait for the background worker before the bridge
            answers 503 (Flashduty does not retry after HTTP errors, so keep it generous).
        seen: The event-id cache used for de-duplication.

    Examples:
        Serve with uvicorn (or ``flashcat-prefect webhook serve``):

            from flashcat_prefect.bridge import WebhookBridge, load_routes
            bridge = WebhookBridge(load_routes("bridge-routes.yaml"), secret="s3cret")
            # uvicorn.run(bridge.app, host="0.0.0.0", port=8788)
    """

    def __init__(
        self,
        routes: RouteTable,
        *,
        secret: str | SecretStr | None = None,
        secret_header: str = DEFAULT_SECRET_HEADER,
        dispatcher: Dispatcher | None = None,
        max_pending: int = 1000,
        seen: SeenEvents | None = None,
    ) -> None:
        self.routes = routes
        self._secret = SecretStr(secret) if isinstance(secret, str) else secret
        if self._secret is not None and not self._secret.get_secret_value():
            raise ValueError("secret must not be empty (pass None to turn the check off)")
        self.secret_header = secret_header
        self.dispatcher = dispatcher or Dispatcher()
        self.max_pending = max_pending
        self.seen = seen or SeenEvents()
        self.counts: Counter[str] = Counter()
        self.app = Starlette(
            routes=[
                HttpRoute("/", self._receive, methods=["POST"]),
                HttpRoute("/webhook", self._receive, methods=["POST"]),
                HttpRoute("/healthz", self._health, methods=["GET"]),
            ]
        )

    def __repr__(self) -> str:
        secret = "set" if self._secret else "off"
        return f"WebhookBridge(routes={len(self.routes.routes)}, secret={secret})"

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until the background work for every accepted webhook is done."""
        return self.dispatcher.wait_idle(timeout)

    def close(self) -> None:
        """Stop the background worker."""
        self.dispatcher.close()

    def _route(self, body: Any) -> dict[str, Any]:
        """Validate, de-duplicate and queue one decoded webhook; returns the sender's answer."""
        payload = validate_webhook(body)
        facts = WebhookFacts.of(payload)
        if not facts.event_id:
            raise WebhookRejected(400, "event_id: field required (a 32-hex id)")
        if not facts.subject_id:
            raise WebhookRejected(400, f"{facts.kind}.{facts.kind}_id: field required")
        if not self.seen.first_time(facts.event_id):
            self.counts["duplicate"] += 1
            return {"status": "duplicate", "event_id": facts.event_id}
        routes = self.routes.matching(facts)
        if not routes:
            self.counts["unrouted"] += 1
            return {"status": "ignored", "event_id": facts.event_id, "routes": []}
        if self.dispatcher.pending >= self.max_pending:
            self.seen.forget(facts.event_id)
            self.counts["busy"] += 1
            raise WebhookRejected(503, "bridge is busy; try again later")
        self.dispatcher.submit(routes, payload, facts)
        self.counts["accepted"] += 1
        return {"status": "accepted", "event_id": facts.event_id, "routes": [r.name for r in routes]}

    def _check_secret(self, headers: Headers) -> None:
        """401 unless the secret header carries the secret (compared in constant time)."""
        if self._secret is None:
            return
        given = headers.get(self.secret_header, "")  # Headers look names up in any case
        expected = self._secret.get_secret_value()
        if not hmac.compare_digest(given.encode(), expected.encode()):
            self.counts["unauthorized"] += 1
            raise WebhookRejected(401, f"missing or wrong {self.secret_header} header")

    async def _receive(self, request: Request) -> JSONResponse:
        try:
            self._check_secret(request.headers)
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
                raise WebhookRejected(413, f"body is larger than {MAX_BODY_BYTES} bytes")
            raw = await request.body()
            if len(raw) > MAX_BODY_BYTES:
                raise WebhookRejected(413, f"body is larger than {MAX_BODY_BYTES} bytes")
            try:
                body = json.loads(raw)
            except ValueError:
                raise WebhookRejected(400, "body is not valid JSON") from None
            answer = self._route(body)
        except WebhookRejected as exc:
            if exc.status == 400:
                self.counts["invalid"] += 1
            return JSONResponse({"status": "rejected", "error": exc.message}, status_code=exc.status)
        return JSONResponse(answer)

    async def _health(self, request: Request) -> JSONResponse:
        return JSONResponse(
            {"status": "ok", "pending": self.dispatcher.pending, "counts": dict(self.counts)}
        )

