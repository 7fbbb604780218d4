"""The emulator's ASGI app: the Flashduty protocol around the stateful handlers.

Each request goes through: control routes (``/_emulator/...``) → route lookup (404
RouteNotFound) → verb check (405 MethodNotAllowed) → credentials (401 Unauthorized, or 400
InvalidParameter for a bad ``integration_key``), all before a byte of the body is read →
body reading, bounded in size (413 EntityTooLarge as soon as 4 MiB are exceeded, or at once
when ``Content-Length`` says so) and in time (408 when the body does not arrive within
``body_timeout``) → injected faults → rate limits (429 RequestTooFrequently with
``Retry-After``) → parsing (400 InvalidContentType / InvalidParameter for anything but a
JSON object the Go server would decode) → validation against the official spec
(:mod:`.spec`: 400 InvalidParameter naming the field; unknown fields are dropped and noted
in the request log) → handler → envelope ``{request_id, data}`` with a
``Flashcat-Request-Id`` header (or, for a fault with ``after_handler``, that fault instead of
the handler's successful answer).

This is a plain ASGI callable (no framework routing) to keep page serving fast.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from flashcat_prefect.api import Endpoint, find_endpoint
from flashcat_prefect.emulator import handlers
from flashcat_prefect.emulator.control import control_answer
from flashcat_prefect.emulator.errors import ApiError
from flashcat_prefect.emulator.faults import Fault, FaultSet
from flashcat_prefect.emulator.handlers.base import CsvAnswer, RequestContext, answer_for
from flashcat_prefect.emulator.ratelimit import RateLimiter
from flashcat_prefect.emulator.requestlog import LoggedRequest, RequestLog
from flashcat_prefect.emulator.spec import OperationRules, parse_json_object, rules_for
from flashcat_prefect.emulator.state import DIRECTORY_PREFIXES, EmulatorState

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

CONTROL_PREFIX = "/_emulator/"
ACCOUNT_BUCKET = "account"
MAX_BODY_BYTES = 4 * 1024 * 1024
BODY_TIMEOUT = 10.0
"""Seconds a request body may take to arrive in full before the emulator answers 408."""
logger = logging.getLogger("flashcat_prefect.emulator")

try:  # with httpx installed, an ASGITransport client sees the same error as over TCP
    from httpx import RemoteProtocolError as _DropBase
except ImportError:  # pragma: no cover - httpx is a dependency of the package
    _DropBase = ConnectionResetError  # type: ignore[assignment,misc]


try:  # orjson (which Prefect brings) encodes a page of incidents several times faster
    import orjson

    def _dump_json(payload: Any) -> bytes:
        return orjson.dumps(payload)
except ImportError:  # pragma: no cover

    def _dump_json(payload: Any) -> bytes:
        return json.dumps(payload, separators=(",", ":")).encode()


class ConnectionDropped(_DropBase):  # type: ignore[misc,valid-type]
    """Raised by a ``drop`` fault after a partial answer, so the server cuts the connection."""

    def __init__(self) -> None:
        super().__init__("the emulator dropped the connection (injected fault)")


class _HideDroppedConnections(logging.Filter):
    """Keep uvicorn from logging a traceback for every injected dropped connection."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))


_DROP_FILTER = _HideDroppedConnections()


class ClientGone(Exception):
    """The client disconnected before its request body arrived; nothing is answered."""


class EmulatorApp:
    """An emulated Flashduty account served over ASGI (see the module docstring)."""

    def __init__(
        self,
        *,
        app_keys: Iterable[str],
        state: EmulatorState,
        rate_limits: bool = True,
        latency: float = 0.0,
        faults: FaultSet | None = None,
        request_log: RequestLog | None = None,
        body_timeout: float = BODY_TIMEOUT,
    ) -> None:
        self.app_keys = frozenset(app_keys)
        if not self.app_keys:
            raise ValueError("the emulator needs at least one app key")
        self.state = state
        self.rate_limits = rate_limits
        self.latency = latency
        self.body_timeout = body_timeout
        self.faults = faults or FaultSet()
        self.request_log = request_log or RequestLog()
        self.limiter = RateLimiter()
        handlers.load()
        logging.getLogger("uvicorn.error").addFilter(_DROP_FILTER)

    # -- ASGI ----------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request_id = uuid.uuid4().hex
        path: str = scope["path"]
        method: str = scope["method"]
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if path.startswith(CONTROL_PREFIX):
            await self._control(path, method, query, scope, receive, request_id, send)
            return
        outcome: dict[str, Any] = {"code": None, "body": None, "ignored": ()}

        async def send_logged(message: dict[str, Any]) -> None:
            # log before the answer leaves, so a client never outruns the request log
            if message["type"] == "http.response.start":
                self.request_log.record(
                    LoggedRequest(
                        method,
                        path,
                        message["status"],
                        outcome["code"],
                        request_id,
                        time.time(),
                        outcome["body"],
                        tuple(outcome["ignored"]),
                    )
                )
            await send(message)

        try:
            endpoint, integration = self._route(path, method, query)
            raw = (
                b""
                if endpoint.method == "GET" or endpoint.content_type == "multipart"
                else await read_body(receive, scope, MAX_BODY_BYTES, self.body_timeout)
            )
            faults = self.faults.pick(path)
            if self.latency:
                await asyncio.sleep(self.latency)
            if await self._apply_faults(faults, request_id, send_logged, outcome):
                return
            self._check_rate(endpoint, integration)
            rules = rules_for(endpoint.path, endpoint.method)
            body = self._parse_request(endpoint, rules, query, raw, scope)
            outcome["body"] = body
            validated = self._validate(endpoint, rules, body, outcome)
            ctx = RequestContext(
                self.state, endpoint, validated, query, integration, self.state.acting_person_id
            )
            with self.state.lock:
                data = answer_for(ctx)
                if endpoint.writes and path.startswith(DIRECTORY_PREFIXES):
                    self.state.refresh_directory()
            if not isinstance(data, CsvAnswer):
                data = rules.conform(data)
            lost = next((fault for fault in faults if fault.after_handler), None)
            if lost is not None:  # the request ran; now its answer goes missing
                outcome["code"] = _FAULT_CODES.get(lost.kind) or lost.code
                await _send_fault(lost, request_id, send_logged)
            elif isinstance(data, CsvAnswer):
                await _send_csv(send_logged, request_id, data)
            else:
                await _send_json(
                    send_logged, 200, {"request_id": request_id, "data": data}, request_id
                )
        except ClientGone:
            return
        except ApiError as exc:
            outcome["code"] = exc.code
            await _send_error(send_logged, exc, request_id)
        except ConnectionDropped:
            raise
        except Exception:
            logger.exception("emulator handler failed on %s %s", method, path)
            outcome["code"] = "InternalError"
            await _send_error(
                send_logged,
                ApiError("InternalError", f"internal error, request_id {request_id}"),
                request_id,
            )

    # -- pipeline steps ------------------------------------------------------------------

    def _route(self, path: str, method: str, query: dict[str, str]) -> tuple[Endpoint, Any]:
        endpoint = find_endpoint(path)
        if endpoint is None:
            raise ApiError("RouteNotFound", f"route {method} {path} does not exist")
        if method != endpoint.method:
            raise ApiError("MethodNotAllowed", f"{path} accepts {endpoint.method}, not {method}")
        if endpoint.auth == "integration_key":
            integration = self.state.integrations.get(query.get("integration_key", ""))
            if integration is None:
                raise ApiError("InvalidParameter", "integration_key is not a valid one")
            return endpoint, integration
        if endpoint.auth == "app_key" and not _known_key(query.get("app_key"), self.app_keys):
            raise ApiError("Unauthorized", "app_key is missing or not valid")
        return endpoint, None

    def _check_rate(self, endpoint: Endpoint, integration: Any) -> None:
        if not self.rate_limits:
            return
        limit = endpoint.rate_limit
        bucket = (
            f"integration:{integration.integration_id}"
            if (limit.scope == "integration" and integration is not None)
            else ACCOUNT_BUCKET
        )
        wait = self.limiter.check(bucket, limit)
        if wait is not None:
            raise ApiError(
                "RequestTooFrequently",
                f"too many requests: {limit.per_second}/s and {limit.per_minute}/min allowed",
                headers={"Retry-After": str(wait)},
            )

    def _parse_request(
        self,
        endpoint: Endpoint,
        rules: OperationRules,
        query: dict[str, str],
        raw: bytes,
        scope: Scope,
    ) -> dict[str, Any]:
        """The request's fields: typed query parameters (GET, uploads) or the JSON body."""
        params = {k: v for k, v in query.items() if k not in ("app_key", "integration_key")}
        if endpoint.method == "GET":
            return rules.coerce_query(params)
        if endpoint.content_type == "multipart":
            return params
        if not raw.strip():
            return {}
        content_type = _header(scope, b"content-type")
        if "json" not in content_type:
            raise ApiError(
                "InvalidContentType",
                f"Content-Type must be application/json, not {content_type[:64]!r}",
            )
        return parse_json_object(raw)

    def _validate(
        self,
        endpoint: Endpoint,
        rules: OperationRules,
        body: dict[str, Any],
        outcome: dict[str, Any],
    ) -> dict[str, Any]:
        """Judge ``body`` by the official spec; unknown fields are dropped and logged."""
        if endpoint.content_type == "multipart":
            return body
        validated, outcome["ignored"] = rules.check_request(body)
        _check_span(endpoint, validated)
        return validated

    async def _apply_faults(
        self, faults: list[Fault], request_id: str, send: Send, outcome: dict[str, Any]
    ) -> bool:
        """Play the picked faults; True when one of them answered (or cut) the request."""
        for fault in faults:
            if fault.after_handler:  # played once the handler has run
                continue
            if fault.kind == "latency":
                await asyncio.sleep(fault.seconds)
                continue
            outcome["code"] = _FAULT_CODES.get(fault.kind) or fault.code
            await _send_fault(fault, request_id, send)
            return True
        return False

    # -- control routes ------------------------------------------------------------------

    async def _control(
        self,
        path: str,
        method: str,
        query: dict[str, str],
        scope: Scope,
        receive: Receive,
        request_id: str,
        send: Send,
    ) -> None:
        try:
            if not _known_key(query.get("app_key"), self.app_keys):
                raise ApiError("Unauthorized", "app_key is missing or not valid")
            raw = await read_body(receive, scope, MAX_BODY_BYTES, self.body_timeout)
            body = parse_json_object(raw) if raw.strip() else {}
            data = control_answer(self, path[len(CONTROL_PREFIX) :], method, body)
            await _send_json(send, 200, {"request_id": request_id, "data": data}, request_id)
        except ClientGone:
            return
        except (ValueError, TypeError) as exc:
            await _send_error(send, ApiError("InvalidParameter", str(exc)), request_id)
        except ApiError as exc:
            await _send_error(send, exc, request_id)


def create_app(
    *,
    app_key: str | Iterable[str] | None = None,
    seed: str = "demo",
    seed_number: int = 0,
    now: int | None = None,
    incidents: int | None = None,
    rate_limits: bool = True,
    latency: float = 0.0,
    body_timeout: float = BODY_TIMEOUT,
) -> EmulatorApp:
    """Build the bare ASGI app (usable with ``httpx.ASGITransport``).

    ``app_key`` is one valid key or several; a random one is made when it is None (read it
    back from ``app.app_keys``). ``body_timeout`` bounds the seconds a request body may take.
    """
    keys = (
        [secrets.token_hex(16)]
        if app_key is None
        else ([app_key] if isinstance(app_key, str) else list(app_key))
    )
    state = EmulatorState(
        seed=seed, seed_number=seed_number, now=now, incidents=incidents, secret=keys[0]
    )
    return EmulatorApp(
        app_keys=keys,
        state=state,
        rate_limits=rate_limits,
        latency=latency,
        faults=FaultSet(seed=seed_number),
        body_timeout=body_timeout,
    )


# -- helpers ---------------------------------------------------------------------------------


def _known_key(given: str | None, keys: frozenset[str]) -> bool:
    return bool(given) and any(secrets.compare_digest(given, k) for k in keys)  # type: ignore[arg-type]


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1").lower()
    return ""


def _check_span(endpoint: Endpoint, body: dict[str, Any]) -> None:
    """Enforce the endpoint's time-window limit on ``start_time``/``end_time`` pairs."""
    if not endpoint.max_span_seconds:
        return
    for low, high in (("start_time", "end_time"), ("start", "end")):
        if low in body and high in body and body[low] and body[high]:
            if body[high] < body[low]:
                raise ApiError("InvalidParameter", f"{high}: must not be before {low}")
            if body[high] - body[low] > endpoint.max_span_seconds:
                days = endpoint.max_span_seconds // 86400
                raise ApiError(
                    "InvalidParameter", f"{high}: the time span may not exceed {days} days"
                )


async def read_body(receive: Receive, scope: Scope, limit: int, timeout: float) -> bytes:
    """The request body, read until ``limit`` bytes are exceeded or ``timeout`` runs out.

    Stops reading as soon as the body is known to be too large (from ``Content-Length``, or
    while the chunks arrive), so a huge or endless body never sits in memory. Raises 413
    EntityTooLarge, 408 when the body is too slow, :class:`ClientGone` on a disconnect.
    """
    declared = _header(scope, b"content-length")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    body = bytearray()
    while True:
        try:
            message = await asyncio.wait_for(receive(), max(deadline - loop.time(), 0))
        except TimeoutError:
            raise ApiError(
                "BadRequest",
                f"the request body did not arrive within {timeout:g} s",
                status=408,
                headers={"Connection": "close"},
            ) from None
        if message["type"] == "http.disconnect":
            raise ClientGone()
        body += message.get("body", b"")
        if len(body) > limit:
            raise _too_large(limit)
        if not message.get("more_body"):
            return bytes(body)


def _too_large(limit: int) -> ApiError:
    return ApiError("EntityTooLarge", f"the request body exceeds {limit} bytes")


async def _send_json(
    send: Send,
    status: int,
    payload: dict[str, Any],
    request_id: str,
    extra_headers: dict[str, str] | None = None,
) -> None:
    body = _dump_json(payload)
    await _send_raw(send, status, body, request_id, b"application/json", extra_headers)


async def _send_error(send: Send, error: ApiError, request_id: str) -> None:
    """The error envelope with the status and headers ``error`` carries."""
    await _send_json(
        send,
        error.status,
        {"request_id": request_id, "error": {"code": error.code, "message": error.message}},
        request_id,
        error.headers,
    )


async def _send_raw(
    send: Send,
    status: int,
    body: bytes,
    request_id: str,
    content_type: bytes,
    extra_headers: dict[str, str] | None = None,
) -> None:
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        (b"flashcat-request-id", request_id.encode()),
    ]
    for key, value in (extra_headers or {}).items():
        headers.append((key.lower().encode(), value.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_csv(send: Send, request_id: str, answer: CsvAnswer) -> None:
    await _send_raw(
        send,
        200,
        answer.text.encode("utf-8"),
        request_id,
        b"text/csv; charset=utf-8",
        {"Content-Disposition": f'attachment; filename="{answer.filename}"'},
    )


_FAULT_CODES = {"rate_limit": "RequestTooFrequently", "malformed": "malformed", "drop": "dropped"}


async def _send_fault(fault: Fault, request_id: str, send: Send) -> None:
    if fault.kind == "rate_limit":
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        await _send_error(
            send,
            ApiError("RequestTooFrequently", fault.message, status=429, headers=headers),
            request_id,
        )
        return
    if fault.kind in ("http_error", "error_in_200"):
        status = fault.status if fault.kind == "http_error" else 200
        await _send_error(send, ApiError(str(fault.code), fault.message, status=status), request_id)
        return
    if fault.kind == "malformed":
        await _send_raw(
            send,
            200,
            b'{"request_id": "' + request_id.encode() + b'", "data": {',
            request_id,
            b"application/json",
        )
        return
    # drop: start an answer, then abort; the server closes the connection mid-body
    partial = b'{"request_id": "' + request_id.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(partial) + 4096).encode()),
                (b"flashcat-request-id", request_id.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": partial, "more_body": True})
    raise ConnectionDropped()


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
