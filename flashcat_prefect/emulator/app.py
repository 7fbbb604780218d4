"""The emulator's ASGI app: the Flashduty protocol around the stateful handlers.

Each request goes through: control routes (``/_emulator/...``) → route lookup (404
RouteNotFound) → verb check (405 MethodNotAllowed) → credentials (401 Unauthorized, or 400
InvalidParameter for a bad ``integration_key``) → injected faults → rate limits (429
RequestTooFrequently with ``Retry-After``) → body parsing (400 InvalidContentType, 413
EntityTooLarge above 4 MiB) →
validation with the catalog's request model (400 InvalidParameter naming the field) →
handler → envelope ``{request_id, data}`` with a ``Flashcat-Request-Id`` header (or, for a
fault with ``after_handler``, that fault instead of the handler's successful answer).

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

from pydantic import ValidationError

from flashcat_prefect.api import Endpoint, find_endpoint
from flashcat_prefect.emulator import handlers
from flashcat_prefect.emulator.errors import ApiError
from flashcat_prefect.emulator.faults import Fault, FaultSet
from flashcat_prefect.emulator.handlers.base import CsvAnswer, RequestContext, answer_for
from flashcat_prefect.emulator.ratelimit import RateLimiter
from flashcat_prefect.emulator.requestlog import LoggedRequest, RequestLog
from flashcat_prefect.emulator.state import DIRECTORY_PREFIXES, EmulatorState

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

CONTROL_PREFIX = "/_emulator/"
ACCOUNT_BUCKET = "account"
MAX_BODY_BYTES = 4 * 1024 * 1024
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


class EmulatorApp:
    """An emulated Flashduty account served over ASGI (see the module docstring)."""

    def __init__(self, *, app_keys: Iterable[str], state: EmulatorState,
                 rate_limits: bool = True, latency: float = 0.0,
                 faults: FaultSet | None = None, request_log: RequestLog | None = None) -> None:
        self.app_keys = frozenset(app_keys)
        if not self.app_keys:
            raise ValueError("the emulator needs at least one app key")
        self.state = state
        self.rate_limits = rate_limits
        self.latency = latency
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
        raw = await _read_body(receive)
        if path.startswith(CONTROL_PREFIX):
            await self._control(path, method, query, raw, request_id, send)
            return
        outcome: dict[str, Any] = {"code": None, "body": None}

        async def send_logged(message: dict[str, Any]) -> None:
            # log before the answer leaves, so a client never outruns the request log
            if message["type"] == "http.response.start":
                self.request_log.record(LoggedRequest(
                    method, path, message["status"], outcome["code"], request_id, time.time(),
                    outcome["body"]))
            await send(message)

        try:
            endpoint, integration = self._route(path, method, query)
            faults = self.faults.pick(path)
            if self.latency:
                await asyncio.sleep(self.latency)
            if await self._apply_faults(faults, request_id, send_logged, outcome):
                return
            self._check_rate(endpoint, integration)
            outcome["body"] = self._parse_body(endpoint, method, query, raw, scope)
            validated = self._validate(endpoint, outcome["body"])
            ctx = RequestContext(self.state, endpoint, validated, query, integration,
                                 self.state.acting_person_id)
            with self.state.lock:
                data = answer_for(ctx)
                if endpoint.writes and path.startswith(DIRECTORY_PREFIXES):
                    self.state.refresh_directory()
            lost = next((fault for fault in faults if fault.after_handler), None)
            if lost is not None:  # the request ran; now its answer goes missing
                outcome["code"] = _FAULT_CODES.get(lost.kind) or lost.code
                await _send_fault(lost, request_id, send_logged)
            elif isinstance(data, CsvAnswer):
                await _send_csv(send_logged, request_id, data)
            else:
                await _send_json(send_logged, 200, {"request_id": request_id, "data": data},
                                 request_id)
        except ApiError as exc:
            outcome["code"] = exc.code
            await _send_error(send_logged, exc, request_id)
        except ConnectionDropped:
            raise
        except Exception:
            logger.exception("emulator handler failed on %s %s", method, path)
            outcome["code"] = "InternalError"
            await _send_error(send_logged, ApiError(
                "InternalError", f"internal error, request_id {request_id}"), request_id)

    # -- pipeline steps ------------------------------------------------------------------

    def _route(self, path: str, method: str,
               query: dict[str, str]) -> tuple[Endpoint, Any]:
        endpoint = find_endpoint(path)
        if endpoint is None:
            raise ApiError("RouteNotFound", f"route {method} {path} does not exist")
        if method != endpoint.method:
            raise ApiError("MethodNotAllowed",
                           f"{path} accepts {endpoint.method}, not {method}")
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
        bucket = f"integration:{integration.integration_id}" if (
            limit.scope == "integration" and integration is not None) else ACCOUNT_BUCKET
        wait = self.limiter.check(bucket, limit)
        if wait is not None:
            raise ApiError("RequestTooFrequently",
                           f"too many requests: {limit.per_second}/s and "
                           f"{limit.per_minute}/min allowed",
                           headers={"Retry-After": str(wait)})

    def _parse_body(self, endpoint: Endpoint, method: str, query: dict[str, str], raw: bytes,
                    scope: Scope) -> dict[str, Any]:
        params = {k: v for k, v in query.items() if k not in ("app_key", "integration_key")}
        if method == "GET" or endpoint.content_type == "multipart":
            return params
        if len(raw) > MAX_BODY_BYTES:
            raise ApiError("EntityTooLarge", f"the request body exceeds {MAX_BODY_BYTES} bytes")
        if not raw.strip():
            return {}
        content_type = _header(scope, b"content-type")
        if "json" not in content_type:
            raise ApiError("InvalidContentType",
                           f"Content-Type must be application/json, not {content_type!r}")
        try:
            body = json.loads(raw)
        except ValueError:
            raise ApiError("InvalidContentType", "the request body is not valid JSON") from None
        if not isinstance(body, dict):
            raise ApiError("InvalidParameter", "the request body must be a JSON object")
        return body

    def _validate(self, endpoint: Endpoint, body: dict[str, Any]) -> dict[str, Any]:
        if endpoint.content_type == "multipart":
            return body
        try:
            model = endpoint.request_model.model_validate(body)
        except ValidationError as exc:
            raise ApiError("InvalidParameter", _validation_message(exc)) from None
        validated = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
        _check_span(endpoint, validated)
        return validated

    async def _apply_faults(self, faults: list[Fault], request_id: str, send: Send,
                            outcome: dict[str, Any]) -> bool:
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

    async def _control(self, path: str, method: str, query: dict[str, str], raw: bytes,
                       request_id: str, send: Send) -> None:
        from flashcat_prefect.emulator.control import control_answer

        try:
            if not _known_key(query.get("app_key"), self.app_keys):
                raise ApiError("Unauthorized", "app_key is missing or not valid")
            try:
                body = json.loads(raw) if raw.strip() else {}
            except ValueError:
                raise ApiError("InvalidContentType", "the request body is not valid JSON") \
                    from None
            if not isinstance(body, dict):
                raise ApiError("InvalidParameter", "the request body must be a JSON object")
            data = control_answer(self, path[len(CONTROL_PREFIX):], method, body)
            await _send_json(send, 200, {"request_id": request_id, "data": data}, request_id)
        except (ValueError, TypeError) as exc:
            await _send_error(send, ApiError("InvalidParameter", str(exc)), request_id)
        except ApiError as exc:
            await _send_error(send, exc, request_id)


def create_app(*, app_key: str | Iterable[str] | None = None, seed: str = "demo",
               seed_number: int = 0, now: int | None = None, incidents: int | None = None,
               rate_limits: bool = True, latency: float = 0.0) -> EmulatorApp:
    """Build the bare ASGI app (usable with ``httpx.ASGITransport``).

    ``app_key`` is one valid key or several; a random one is made when it is None (read it
    back from ``app.app_keys``).
    """
    keys = [secrets.token_hex(16)] if app_key is None else (
        [app_key] if isinstance(app_key, str) else list(app_key))
    state = EmulatorState(seed=seed, seed_number=seed_number, now=now, incidents=incidents,
                          secret=keys[0])
    return EmulatorApp(app_keys=keys, state=state, rate_limits=rate_limits, latency=latency,
                       faults=FaultSet(seed=seed_number))


# -- helpers ---------------------------------------------------------------------------------

def _known_key(given: str | None, keys: frozenset[str]) -> bool:
    return bool(given) and any(secrets.compare_digest(given, k) for k in keys)  # type: ignore[arg-type]


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1").lower()
    return ""


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        location = ".".join(str(p) for p in error["loc"]) or "body"
        parts.append(f"{location}: {error['msg']}")
    return "; ".join(parts)


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
                raise ApiError("InvalidParameter",
                               f"{high}: the time span may not exceed {days} days")


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _send_json(send: Send, status: int, payload: dict[str, Any], request_id: str,
                     extra_headers: dict[str, str] | None = None) -> None:
    body = _dump_json(payload)
    await _send_raw(send, status, body, request_id, b"application/json", extra_headers)


async def _send_error(send: Send, error: ApiError, request_id: str) -> None:
    """The error envelope with the status and headers ``error`` carries."""
    await _send_json(send, error.status, {
        "request_id": request_id, "error": {"code": error.code, "message": error.message}},
        request_id, error.headers)


async def _send_raw(send: Send, status: int, body: bytes, request_id: str,
                    content_type: bytes, extra_headers: dict[str, str] | None = None) -> None:
    headers = [(b"content-type", content_type),
               (b"content-length", str(len(body)).encode()),
               (b"flashcat-request-id", request_id.encode())]
    for key, value in (extra_headers or {}).items():
        headers.append((key.lower().encode(), value.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_csv(send: Send, request_id: str, answer: CsvAnswer) -> None:
    await _send_raw(send, 200, answer.text.encode("utf-8"), request_id,
                    b"text/csv; charset=utf-8",
                    {"Content-Disposition": f'attachment; filename="{answer.filename}"'})


_FAULT_CODES = {"rate_limit": "RequestTooFrequently", "malformed": "malformed", "drop": "dropped"}


async def _send_fault(fault: Fault, request_id: str, send: Send) -> None:
    if fault.kind == "rate_limit":
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        await _send_error(send, ApiError("RequestTooFrequently", fault.message, status=429,
                                         headers=headers), request_id)
        return
    if fault.kind in ("http_error", "error_in_200"):
        status = fault.status if fault.kind == "http_error" else 200
        await _send_error(send, ApiError(str(fault.code), fault.message, status=status),
                          request_id)
        return
    if fault.kind == "malformed":
        await _send_raw(send, 200, b'{"request_id": "' + request_id.encode() + b'", "data": {',
                        request_id, b"application/json")
        return
    # drop: start an answer, then abort; the server closes the connection mid-body
    partial = b'{"request_id": "' + request_id.encode()
    await send({"type": "http.response.start", "status": 200, "headers": [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(partial) + 4096).encode()),
        (b"flashcat-request-id", request_id.encode())]})
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
