"""The transport core shared by :class:`FlashcatClient` and :class:`AsyncFlashcatClient`.

Everything except the I/O lives here: checking the settings, building requests, choosing the
rate limiters, decoding the envelope, mapping errors, deciding on retries, validating
``call()`` input and parsing its answer. The two clients only send, sleep and loop.

Retry policy. Sent again, with exponential backoff and jitter, at most ``max_retries`` times:
429 ``RequestTooFrequently`` (after ``Retry-After`` seconds when given, capped at
:data:`RETRY_AFTER_CAP`), 5xx / ``InternalError`` / ``ServiceUnavailable``, unreadable bodies
of 5xx answers, timeouts and connection failures. Never retried: validation, auth, permission,
not-found and every other 4xx. For endpoints that write (and unknown paths) only failures
where the server surely did not act are retried — 429, 503 and failures to connect — because
resending a write after a read timeout or a 500 could apply it twice.
"""

from __future__ import annotations

import difflib
import email.utils
import functools
import logging
import random
import ssl
import time
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Unpack

import certifi
import httpx
import orjson
from pydantic import BaseModel, SecretStr, ValidationError

from flashcat_prefect._version import __version__
from flashcat_prefect.api import find_endpoint
from flashcat_prefect.api.catalog import DEFAULT_RATE_LIMIT, EXPORT_RATE_LIMIT, Endpoint, RateLimit
from flashcat_prefect.client.errors import (
    ERRORS_BY_CODE,
    FlashcatAPIError,
    FlashcatError,
    FlashcatTransportError,
    FlashcatValidationError,
    RequestTooFrequentlyError,
    error_class_for,
    is_safe_to_resend,
    is_success_code,
)
from flashcat_prefect.client.pagination import DEFAULT_PAGE_LIMIT, PageWalker
from flashcat_prefect.client.prefect_pacing import (
    GlobalLimit,
    PrefectPacer,
    account_fingerprint,
    shared_pacer,
)
from flashcat_prefect.client.ratelimit import RateLimiter, key_fingerprint, shared_limiter
from flashcat_prefect.client.redaction import (
    SECRET_QUERY_PARAMS,
    install_log_redaction,
    redact,
    register_secret,
    strip_key_holders,
)
from flashcat_prefect.client.settings import ClientSettings, ClientSettingsArgs

USER_AGENT = f"flashcat-prefect/{__version__}"
AUTH_PARAMS = SECRET_QUERY_PARAMS
"""The query parameters a key can travel in (the ones redaction masks)."""
RETRY_AFTER_CAP = 60.0
BACKOFF_BASE = 0.5
BACKOFF_CAP = 30.0
REQUEST_ID_HEADER = "Flashcat-Request-Id"

logger = logging.getLogger("flashcat_prefect.client")

Body = BaseModel | Mapping[str, Any] | None


class FlashcatResponseError(FlashcatError):
    """The answer's ``data`` does not fit the endpoint's response model."""


class FlashcatUndecodableAnswerError(FlashcatTransportError):
    """The server answered with a body that is not the JSON envelope (an HTML error page from
    a proxy, plain text, a truncated body); the message says what arrived, redacted."""


ANSWER_PREVIEW_BYTES = 120
"""How much of an undecodable body an error message shows."""


@dataclass(frozen=True)
class RequestPlan:
    """Everything needed to send one request and judge its outcome."""

    path: str
    method: str
    json: Any
    params: dict[str, Any] | None
    expects_csv: bool
    writes: bool
    limiters: tuple[RateLimiter, ...]
    timeout: float | None = None
    """Seconds for each attempt of this call; None: the client's ``timeout``."""
    shared_limits: tuple[GlobalLimit, ...] = ()
    """Prefect limits to take a slot of before sending (``pacing="prefect"`` only)."""


def _garbled_is_transient(status: int) -> bool:
    """Whether an answer that cannot be decoded may be worth asking for again: a garbled
    success (a body cut or mangled on the way) is as transient as a 5xx or a 429. Reads are
    then retried; a write is still resent only when the server surely did not act."""
    return status < 300 or status >= 500 or status == 429


def _require(condition: bool, field: str, rule: str) -> None:
    if not condition:
        raise FlashcatValidationError(f"Invalid {field}: {rule}", [(field, rule)])


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class ClientCore:
    """Settings and decisions shared by the sync and async clients (no I/O here)."""

    def __init__(
        self, app_key: str | SecretStr, settings: ClientSettings, auth_param: str = "app_key"
    ) -> None:
        key = app_key.get_secret_value() if isinstance(app_key, SecretStr) else app_key
        _require(
            isinstance(key, str) and bool(key.strip()), auth_param, "must be a non-empty string"
        )
        _require(auth_param in AUTH_PARAMS, "auth_param", f"must be one of {AUTH_PARAMS}")
        install_log_redaction()
        register_secret(key)
        self._key = key
        self.auth_param = auth_param
        self.base_url = settings.base_url.rstrip("/")
        self.timeout = settings.timeout
        self.max_retries = settings.max_retries
        self.requests_per_second = settings.requests_per_second
        self.requests_per_minute = settings.requests_per_minute
        self.accept_language = settings.accept_language
        self._fingerprint = key_fingerprint(key)
        self._scope: typing.Literal["account", "integration"] = (
            "integration" if auth_param == "integration_key" else "account"
        )
        budget = RateLimit(self.requests_per_second, self.requests_per_minute, self._scope)
        self.base_limiter = shared_limiter(
            self.base_url, self._fingerprint, self._scope, budget.per_second, budget.per_minute
        )
        self.pacer: PrefectPacer | None = None
        if settings.pacing == "prefect":
            self.pacer = shared_pacer(
                account_fingerprint(self.base_url, key),
                self._scope,
                budget,
                settings.when_prefect_unreachable,
            )

    # -- settings --------------------------------------------------------------------------

    def http_options(self) -> dict[str, Any]:
        """Keyword arguments for the ``httpx.Client``/``httpx.AsyncClient`` under a client."""
        return {
            "base_url": self.base_url,
            "timeout": self.timeout,
            "headers": self.headers,
            "verify": shared_ssl_context(),
        }

    @property
    def headers(self) -> dict[str, str]:
        headers = {
            "User-Agent": USER_AGENT,
            "Content-Type": "application/json",
            "Accept": "application/json, text/csv;q=0.9, */*;q=0.5",
        }
        if self.accept_language:
            headers["Accept-Language"] = self.accept_language
        return headers

    @property
    def auth_params(self) -> dict[str, str]:
        """The key as a query parameter (sent with every request, never logged)."""
        return {self.auth_param: self._key}

    def describe(self, class_name: str) -> str:
        """A repr without the key."""
        return f"{class_name}(base_url={self.base_url!r}, {self.auth_param}='***')"

    def redact(self, text: str) -> str:
        return redact(text, (self._key,))

    # -- planning --------------------------------------------------------------------------

    def limiters_for(self, endpoint: Endpoint | None) -> tuple[RateLimiter, ...]:
        """The limiters one call books, strictest first (e.g. the export class, then the account)."""
        limit = endpoint.rate_limit if endpoint is not None else None
        # The default class is the account budget itself, which the client settings set.
        if limit is None or limit.scope != self._scope or limit == DEFAULT_RATE_LIMIT:
            return (self.base_limiter,)
        if (
            limit.per_second >= self.requests_per_second
            and limit.per_minute >= self.requests_per_minute
        ):
            return (self.base_limiter,)
        stricter = shared_limiter(
            self.base_url,
            self._fingerprint,
            f"{self._scope}:{limit.name}",
            limit.per_second,
            limit.per_minute,
        )
        return (stricter, self.base_limiter)

    def shared_limits_for(
        self, endpoint: Endpoint | None, limiters: tuple[RateLimiter, ...]
    ) -> tuple[GlobalLimit, ...]:
        """The Prefect limits of a call (none unless ``pacing="prefect"``), same classes as ``limiters``."""
        if self.pacer is None:
            return ()
        if len(limiters) == 1 or endpoint is None:
            return self.pacer.base_limits
        limit = endpoint.rate_limit
        label = (
            "export" if limit == EXPORT_RATE_LIMIT else f"{limit.per_second}s-{limit.per_minute}m"
        )
        return self.pacer.limits_for(label, limit)

    def take_shared_slot(self, plan: RequestPlan) -> None:
        """Right before sending: wait for the account-wide slot on the Prefect server, if any."""
        if self.pacer is not None and plan.shared_limits:
            self.pacer.take(plan.shared_limits)

    async def atake_shared_slot(self, plan: RequestPlan) -> None:
        """Async twin of :meth:`take_shared_slot`."""
        if self.pacer is not None and plan.shared_limits:
            await self.pacer.atake(plan.shared_limits)

    def plan(
        self,
        path: str,
        body: Any = None,
        *,
        method: str | None = None,
        params: Mapping[str, Any] | None = None,
        endpoint: Endpoint | None = None,
        timeout: float | None = None,
    ) -> RequestPlan:
        """Decide how to send ``body`` to ``path`` (the catalog fills in what it knows)."""
        _require(isinstance(path, str) and path.startswith("/"), "path", "must start with '/'")
        _require(
            timeout is None or (_is_number(timeout) and timeout > 0),
            "timeout",
            "must be a number > 0 (seconds) or None",
        )
        if endpoint is None:
            endpoint = find_endpoint(path)
        method = (method or (endpoint.method if endpoint else "POST")).upper()
        if isinstance(body, BaseModel):
            body = body.model_dump(exclude_none=True, by_alias=True, mode="json")
        _require(method in ("GET", "POST"), "method", "must be GET or POST")
        query = dict(params or {})
        json_body: Any = None
        if method == "GET":
            if body:
                query.update(dict(body))
        else:
            json_body = {} if body is None else body
        for name in AUTH_PARAMS:
            _require(
                name not in query, f"params.{name}", "the key is set by the client, not in params"
            )
        limiters = self.limiters_for(endpoint)
        return RequestPlan(
            path=path,
            method=method,
            json=json_body,
            params=query or None,
            expects_csv=endpoint is not None and endpoint.response_format == "csv",
            writes=endpoint.writes if endpoint is not None else True,
            limiters=limiters,
            shared_limits=self.shared_limits_for(endpoint, limiters),
            timeout=timeout,
        )

    def build_request(
        self, http: httpx.Client | httpx.AsyncClient, plan: RequestPlan
    ) -> httpx.Request:
        extra: dict[str, Any] = {} if plan.timeout is None else {"timeout": plan.timeout}
        return http.build_request(
            plan.method,
            plan.path,
            params={**(plan.params or {}), **self.auth_params},
            json=plan.json,
            **extra,
        )

    # -- decoding --------------------------------------------------------------------------

    def decode(self, response: httpx.Response, plan: RequestPlan) -> Any:
        """The envelope's ``data`` (or CSV text); raises the typed error the answer carries."""
        status = response.status_code
        content_type = response.headers.get("content-type", "").lower()
        disposition = response.headers.get("content-disposition", "").lower()
        header_request_id = response.headers.get(REQUEST_ID_HEADER)
        is_json = "json" in content_type
        if (
            status < 400
            and not is_json
            and (plan.expects_csv or "text/csv" in content_type or "attachment" in disposition)
        ):
            return response.text
        try:
            envelope = orjson.loads(response.content)  # ~3x faster than json on list pages
        except ValueError:  # orjson.JSONDecodeError is a ValueError
            preview = self.redact(
                response.content[:ANSWER_PREVIEW_BYTES].decode("utf-8", errors="replace")
            )
            more = "..." if len(response.content) > ANSWER_PREVIEW_BYTES else ""
            raise FlashcatUndecodableAnswerError(
                f"{plan.method} {plan.path}: HTTP {status} answered with a body that is not JSON"
                f" (content-type {content_type or 'missing'!r}, {len(response.content)} bytes,"
                f" starting {preview!r}{more})",
                path=plan.path,
                status=status,
                retryable=_garbled_is_transient(status),
            ) from None
        if not isinstance(envelope, Mapping):
            raise FlashcatTransportError(
                f"{plan.method} {plan.path}: HTTP {status} answered with JSON that is not an envelope",
                path=plan.path,
                status=status,
                retryable=_garbled_is_transient(status),
            )
        request_id = envelope.get("request_id") or header_request_id
        error = envelope.get("error")
        code = ""
        message = ""
        reason: str | None = None
        if isinstance(error, Mapping):
            code = str(error.get("code") or "")
            message = str(error.get("message") or "")
            reason = str(error["reason"]) if error.get("reason") else None
        elif error:
            code = str(error)
        if not is_success_code(code) or status >= 400:
            raise self._api_error(response, plan, code, message, request_id, reason)
        return envelope.get("data")

    def _api_error(
        self,
        response: httpx.Response,
        plan: RequestPlan,
        code: str,
        message: str,
        request_id: str | None,
        reason: str | None = None,
    ) -> FlashcatAPIError:
        status = response.status_code
        cls = error_class_for(code, status)
        if is_success_code(code):
            code = next(
                (name for name, known in ERRORS_BY_CODE.items() if known is cls), f"HTTP{status}"
            )
            message = message or f"HTTP {status} without an error code"
        kwargs: dict[str, Any] = {
            "request_id": request_id,
            "status": status,
            "path": plan.path,
            "reason": self.redact(reason) if reason else None,
        }
        if issubclass(cls, RequestTooFrequentlyError):
            kwargs["retry_after"] = parse_retry_after(response.headers.get("retry-after"))
        return cls(code, self.redact(message), **kwargs)

    def transport_error(self, exc: httpx.HTTPError, plan: RequestPlan) -> FlashcatTransportError:
        """Wrap an httpx failure: path included, key and URL left out.

        The httpx error stays reachable as the wrapper's ``__context__``, so it is stripped
        of its request (whose URL carries the key) and its text is redacted first.
        """
        strip_key_holders(exc, (self._key,))
        kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
        return FlashcatTransportError(
            f"{plan.method} {plan.path} {kind}: {type(exc).__name__}: {self.redact(str(exc)) or 'no detail'}",
            path=plan.path,
            retryable=isinstance(exc, httpx.TransportError),
            reached_server=not isinstance(
                exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout
            ),
        )

    def as_error(self, exc: FlashcatError | httpx.HTTPError, plan: RequestPlan) -> FlashcatError:
        """The failure of one attempt as our error (httpx failures wrapped and redacted)."""
        return exc if isinstance(exc, FlashcatError) else self.transport_error(exc, plan)

    # -- retries ---------------------------------------------------------------------------

    def retry_delay(
        self, error: FlashcatError, retries_done: int, plan: RequestPlan
    ) -> float | None:
        """Seconds to wait before sending again, or None to give up and raise ``error``."""
        if retries_done >= self.max_retries or not is_safe_to_resend(error, writes=plan.writes):
            return None
        if isinstance(error, RequestTooFrequentlyError) and error.retry_after is not None:
            return min(error.retry_after, RETRY_AFTER_CAP)
        return backoff_delay(retries_done)

    def log_retry(
        self, error: FlashcatError, delay: float, retries_done: int, plan: RequestPlan
    ) -> None:
        logger.warning(
            "%s %s: %s; retry %d of %d in %.2f s",
            plan.method,
            plan.path,
            type(error).__name__,
            retries_done + 1,
            self.max_retries,
            delay,
        )

    def log_response(self, response: httpx.Response, plan: RequestPlan, started: float) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> HTTP %d in %.0f ms (request_id=%s)",
                plan.method,
                plan.path,
                response.status_code,
                (time.monotonic() - started) * 1000,
                response.headers.get(REQUEST_ID_HEADER, "-"),
            )

    # -- call() support --------------------------------------------------------------------

    def validated_body(
        self,
        endpoint: Endpoint,
        body: Body,
        fields: Mapping[str, Any],
        extra_body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Merge ``body`` and ``fields``, validate them with the endpoint's request model, then
        add ``extra_body`` unchecked (fields the spec does not list, sent as given)."""
        if endpoint.auth != "none" and endpoint.auth != self.auth_param:
            raise FlashcatValidationError(
                f"{endpoint.path} authenticates with {endpoint.auth}, but this client sends "
                f"{self.auth_param}"
                + (
                    "; use FlashcatIntegration.get_client()"
                    if endpoint.auth == "integration_key"
                    else ""
                ),
                [("auth", f"needs {endpoint.auth}")],
            )
        if endpoint.content_type != "json":
            raise FlashcatValidationError(
                f"{endpoint.path} takes a multipart upload, which this client does not send",
                [("content_type", "multipart is not supported")],
            )
        extra = checked_extra_body(extra_body)
        merged = merge_body(body, fields)
        try:
            model = endpoint.request_model.model_validate(merged)
        except ValidationError as exc:
            errors = with_suggestions(endpoint.request_model, exc.errors())
            raise FlashcatValidationError.from_pydantic(endpoint.path, errors) from None
        return {**model.model_dump(exclude_none=True, by_alias=True, mode="json"), **extra}

    def parse(self, endpoint: Endpoint, data: Any) -> Any:
        """``data`` as the endpoint's response model; None stays None and CSV text stays text."""
        if data is None or isinstance(data, str):
            return data
        try:
            return endpoint.response_model.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or '<data>'} ({err['type']})"
                for err in exc.errors()
            )
            raise FlashcatResponseError(
                f"{endpoint.path}: the answer does not fit {endpoint.response_model.__name__}: {problems}"
            ) from None

    def page_walker(
        self,
        endpoint_or_path: Endpoint | str,
        body: Body,
        fields: Mapping[str, Any],
        extra_body: Mapping[str, Any] | None = None,
    ) -> tuple[PageWalker, Endpoint | None]:
        """A walker for ``iter_pages``: the body validated when the catalog knows the endpoint."""
        endpoint = (
            find_endpoint(endpoint_or_path)
            if isinstance(endpoint_or_path, str)
            else endpoint_or_path
        )
        path = endpoint.path if endpoint is not None else str(endpoint_or_path)
        merged = merge_body(body, fields)
        page_body = (
            self.validated_body(endpoint, merged, {}, extra_body)
            if endpoint is not None
            else {**merged, **checked_extra_body(extra_body)}
        )
        limit_max = endpoint.page_limit_max if endpoint is not None else DEFAULT_PAGE_LIMIT
        if "limit" not in merged:
            page_body.pop("limit", None)  # a model default must not shrink our page size
        style = (endpoint.paginated if endpoint is not None else None) or (
            "cursor" if "search_after_ctx" in merged else "page"
        )
        walker = PageWalker(path, page_body, style, limit=min(DEFAULT_PAGE_LIMIT, limit_max))
        return walker, endpoint


def checked_extra_body(extra_body: Mapping[str, Any] | None) -> dict[str, Any]:
    """``extra_body`` as a dict; it may not smuggle a key into the body."""
    if extra_body is None:
        return {}
    if not isinstance(extra_body, Mapping):
        raise FlashcatValidationError(
            f"extra_body must be a mapping, not {type(extra_body).__name__}",
            [("extra_body", "mapping of field name to value")],
        )
    for name in extra_body:
        _require(isinstance(name, str), "extra_body", "field names must be strings")
        _require(
            name not in AUTH_PARAMS,
            f"extra_body.{name}",
            "the key is set by the client, not in the body",
        )
    return dict(extra_body)


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The nested model a validation error location points into (None when unclear)."""
    for part in loc:
        if isinstance(part, int):
            continue
        info = next((i for n, i in model.model_fields.items() if part in (n, i.alias)), None)
        if info is None:
            return None
        candidates = [info.annotation]
        found = None
        while candidates:
            annotation = candidates.pop()
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                found = annotation
                break
            candidates.extend(typing.get_args(annotation))
        if found is None:
            return None
        model = found
    return model


def with_suggestions(model: type[BaseModel], errors: list[Any]) -> list[dict[str, Any]]:
    """Pydantic errors with "did you mean" added to unknown fields (closest known name)."""
    out = []
    for err in errors:
        err = dict(err)
        loc = tuple(err.get("loc", ()))
        if err.get("type") == "extra_forbidden" and loc:
            owner = _model_at(model, loc[:-1])
            known = [i.alias or n for n, i in owner.model_fields.items()] if owner else []
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            err["msg"] = (
                f"{err.get('msg', '')}; {hint}a field the spec does not list can be "
                "sent with extra_body="
            )
        out.append(err)
    return out


def merge_body(body: Body, fields: Mapping[str, Any]) -> dict[str, Any]:
    """One dict from a model or mapping plus keyword fields (the fields win)."""
    if body is None:
        merged: dict[str, Any] = {}
    elif isinstance(body, BaseModel):
        merged = body.model_dump(exclude_unset=True, by_alias=True)
    elif isinstance(body, Mapping):
        merged = dict(body)
    else:
        raise FlashcatValidationError(
            f"body must be a mapping or a pydantic model, not {type(body).__name__}",
            [("body", "mapping or pydantic model")],
        )
    merged.update(fields)
    return merged


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process.

    Loading the CA bundle costs 0.1-0.2 s; building it for every client made each task call
    pay that again. An ``ssl.SSLContext`` is safe to share between connections and threads.
    """
    return ssl.create_default_context(cafile=certifi.where())


def backoff_delay(retries_done: int) -> float:
    """Exponential backoff (0.5 s, 1 s, 2 s, ... capped at 30 s) with "equal jitter"."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (2**retries_done))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class ClientBase:
    """Construction, ``repr`` and settings shared by the two clients; they add the I/O.

    Args:
        app_key: the APP key (or, with ``auth_param="integration_key"``, an integration key).
        transport: an httpx transport (``httpx.BaseTransport`` for the sync client,
            ``httpx.AsyncBaseTransport`` for the async one), e.g. ``httpx.ASGITransport``.
        auth_param: the query parameter the key travels in.
        **settings: the fields of :class:`~flashcat_prefect.client.settings.ClientSettings`,
            which give their defaults and rules: ``base_url``, ``timeout`` (seconds per HTTP
            attempt), ``max_retries``, ``requests_per_second`` / ``requests_per_minute`` (the
            budgets shared by every client of the account), ``accept_language``, ``pacing``
            (``"process"`` or ``"prefect"``: see ``prefect_pacing``) and
            ``when_prefect_unreachable``. A bad one raises :class:`FlashcatValidationError`
            naming it, before anything is sent.
    """

    def __init__(
        self,
        app_key: str | SecretStr,
        *,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
        auth_param: str = "app_key",
        **settings: Unpack[ClientSettingsArgs],
    ) -> None:
        self._core = ClientCore(app_key, ClientSettings.checked(settings), auth_param)
        self._http = self._open_http(transport)

    def _open_http(self, transport: Any) -> Any:
        raise NotImplementedError

    def __repr__(self) -> str:
        return self._core.describe(type(self).__name__)

    @property
    def base_url(self) -> str:
        return self._core.base_url
