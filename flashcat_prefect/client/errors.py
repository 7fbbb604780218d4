"""Typed exceptions for Flashduty calls and the rule that says which ones are worth retrying.

Flashduty answers failures with ``{"request_id": ..., "error": {"code": ..., "message": ...}}``.
The ``code`` is the authoritative signal (it can even arrive on an HTTP 200); the HTTP status
is only used to classify codes we do not know. Every message here is built by the client from
already-redacted parts: no exception text ever carries an app key or integration key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

SUCCESS_CODES = frozenset({"", "0", "OK"})
"""``error.code`` values that mean success (the Go SDK treats them so; we do the same), compared
after upper-casing: ``"ok"`` and ``"Ok"`` succeed too."""


def is_success_code(code: str) -> bool:
    """Whether an envelope's ``error.code`` means success (case and surrounding blanks ignored)."""
    return code.strip().upper() in SUCCESS_CODES


class FlashcatError(Exception):
    """Base class of every error raised by flashcat-prefect."""

    retryable: bool = False


class FlashcatAPIError(FlashcatError):
    """Flashduty answered with an ``error`` object (or an error status without one).

    Attributes:
        code: Flashduty's error code, e.g. ``"InvalidParameter"``.
        message: Flashduty's message (localised by ``Accept-Language``).
        reason: Flashduty's ``error.reason`` when the answer carries one (a finer cause than
            the code, e.g. which rule refused the input), else None.
        request_id: the request id from the envelope or the ``Flashcat-Request-Id`` header.
        status: the HTTP status code.
        path: the endpoint path, e.g. ``"/incident/list"``.
        retryable: whether sending the same request again may succeed.
    """

    default_retryable: ClassVar[bool] = False

    def __init__(
        self,
        code: str,
        message: str,
        *,
        request_id: str | None = None,
        status: int | None = None,
        path: str | None = None,
        retryable: bool | None = None,
        reason: str | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.reason = reason
        self.request_id = request_id
        self.status = status
        self.path = path
        self.retryable = self.default_retryable if retryable is None else retryable
        super().__init__(self._describe())

    def _describe(self) -> str:
        where = ", ".join(
            part
            for part in (
                self.path,
                f"HTTP {self.status}" if self.status is not None else None,
                f"request_id={self.request_id}" if self.request_id else None,
            )
            if part
        )
        text = f"{self.code}: {self.message}" if self.message else self.code
        if self.reason:
            text = f"{text} [reason: {self.reason}]"
        return f"{text} ({where})" if where else text

    def _init_kwargs(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "status": self.status,
            "path": self.path,
            "retryable": self.retryable,
            "reason": self.reason,
        }

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep the keyword-only attributes when the error is pickled (Prefect persists results).
        return (_rebuild_api_error, (type(self), self.code, self.message, self._init_kwargs()))


def _rebuild_api_error(
    cls: type[FlashcatAPIError], code: str, message: str, kwargs: dict[str, Any]
) -> FlashcatAPIError:
    return cls(code, message, **kwargs)


class InvalidParameterError(FlashcatAPIError):
    """A field is missing or invalid (also ``p*limit`` over 10000, ``limit`` over 100)."""


class BadRequestError(FlashcatAPIError):
    """A generic 400 answer."""


class InvalidContentTypeError(FlashcatAPIError):
    """The body was not sent as ``application/json``."""


class MethodNotAllowedError(FlashcatAPIError):
    """The path exists but not for this HTTP method."""


class ResourceNotFoundError(FlashcatAPIError):
    """A referenced entity does not exist."""


class NoLicenseError(FlashcatAPIError):
    """The feature needs a (larger) subscription."""


class ReferenceExistError(FlashcatAPIError):
    """A delete was refused because other objects still refer to the target."""


class UnauthorizedError(FlashcatAPIError):
    """The app key is missing, invalid or expired."""


class BalanceNotEnoughError(FlashcatAPIError):
    """The account's billing balance is too low."""


class AccessDeniedError(FlashcatAPIError):
    """The key is valid but its owner lacks the permission."""


class RouteNotFoundError(FlashcatAPIError):
    """No endpoint has this method and path."""


class UndonedOrderExistError(FlashcatAPIError):
    """Another billing order is still pending."""


class EntityTooLargeError(FlashcatAPIError):
    """The request body is too large."""


class RequestLockedError(FlashcatAPIError):
    """The request is temporarily locked after repeated failures."""


class RequestVerifyRequiredError(FlashcatAPIError):
    """A second factor is required."""


class DangerousOperationError(FlashcatAPIError):
    """A high-risk operation needs extra verification."""


class RequestTooFrequentlyError(FlashcatAPIError):
    """Rate limited (HTTP 429). ``retry_after`` holds the server's ``Retry-After`` seconds."""

    default_retryable = True

    def __init__(
        self, code: str, message: str, *, retry_after: float | None = None, **kwargs: Any
    ) -> None:
        self.retry_after = retry_after
        super().__init__(code, message, **kwargs)

    def _init_kwargs(self) -> dict[str, Any]:
        return {**super()._init_kwargs(), "retry_after": self.retry_after}


class InternalError(FlashcatAPIError):
    """A server-side fault; worth a retry, and worth reporting with the request id."""

    default_retryable = True


class ServiceUnavailableError(FlashcatAPIError):
    """A dependency of the server is down (also used for 502/504 gateway answers)."""

    default_retryable = True


ERRORS_BY_CODE: Mapping[str, type[FlashcatAPIError]] = {
    "InvalidParameter": InvalidParameterError,
    "BadRequest": BadRequestError,
    "InvalidContentType": InvalidContentTypeError,
    "MethodNotAllowed": MethodNotAllowedError,
    "ResourceNotFound": ResourceNotFoundError,
    "NoLicense": NoLicenseError,
    "ReferenceExist": ReferenceExistError,
    "Unauthorized": UnauthorizedError,
    "BalanceNotEnough": BalanceNotEnoughError,
    "AccessDenied": AccessDeniedError,
    "RouteNotFound": RouteNotFoundError,
    "UndonedOrderExist": UndonedOrderExistError,
    "EntityTooLarge": EntityTooLargeError,
    "RequestLocked": RequestLockedError,
    "RequestVerifyRequired": RequestVerifyRequiredError,
    "DangerousOperation": DangerousOperationError,
    "RequestTooFrequently": RequestTooFrequentlyError,
    "InternalError": InternalError,
    "ServiceUnavailable": ServiceUnavailableError,
}
"""Every documented error code (API README §6) and its exception class."""

ERRORS_BY_STATUS: Mapping[int, type[FlashcatAPIError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    402: BalanceNotEnoughError,
    403: AccessDeniedError,
    404: RouteNotFoundError,
    405: MethodNotAllowedError,
    409: UndonedOrderExistError,
    413: EntityTooLargeError,
    423: RequestLockedError,
    428: RequestVerifyRequiredError,
    429: RequestTooFrequentlyError,
    500: InternalError,
    502: ServiceUnavailableError,
    503: ServiceUnavailableError,
    504: ServiceUnavailableError,
}
"""How an unknown code is classified, by HTTP status."""


def error_class_for(code: str, status: int | None) -> type[FlashcatAPIError]:
    """The exception class for a code, falling back to the HTTP status, then the base class."""
    known = ERRORS_BY_CODE.get(code)
    if known is not None:
        return known
    if status is not None:
        by_status = ERRORS_BY_STATUS.get(status)
        if by_status is not None:
            return by_status
        if status >= 500:
            return InternalError
    return FlashcatAPIError


class FlashcatTransportError(FlashcatError):
    """The call did not produce a usable answer: timeout, connection failure, unreadable body.

    Attributes:
        path: the endpoint path.
        status: the HTTP status when a response arrived but could not be decoded.
        retryable: whether sending the same request again may succeed.
        reached_server: False when the connection failed, so the server cannot have acted
            (resending a write is then safe).
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        status: int | None = None,
        retryable: bool = True,
        reached_server: bool = True,
    ) -> None:
        self.path = path
        self.status = status
        self.retryable = retryable
        self.reached_server = reached_server
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_transport_error,
            (str(self), self.path, self.status, self.retryable, self.reached_server),
        )


def _rebuild_transport_error(
    message: str, path: str | None, status: int | None, retryable: bool, reached_server: bool
) -> FlashcatTransportError:
    return FlashcatTransportError(
        message, path=path, status=status, retryable=retryable, reached_server=reached_server
    )


class FlashcatValidationError(FlashcatError, ValueError):
    """The input breaks a rule of the endpoint; raised before anything is sent.

    ``problems`` lists ``(field, rule)`` pairs, e.g. ``("limit", "less_than_equal: Input
    should be less than or equal to 100")``. The offending values are not echoed, so that a
    misplaced secret cannot leak through the message.
    """

    def __init__(self, message: str, problems: Sequence[tuple[str, str]] = ()) -> None:
        self.problems = list(problems)
        super().__init__(message)

    @classmethod
    def from_pydantic(
        cls, path: str, errors: Iterable[Mapping[str, Any]], *, subject: str | None = None
    ) -> FlashcatValidationError:
        """Build from ``pydantic.ValidationError.errors()`` without the input values;
        ``subject`` names what was invalid (default: the request for ``path``)."""
        problems = [
            (
                ".".join(str(part) for part in err.get("loc", ())) or "<body>",
                f"{err.get('type', 'invalid')}: {err.get('msg', '')}",
            )
            for err in errors
        ]
        listing = "; ".join(f"{field} ({rule})" for field, rule in problems)
        return cls(f"Invalid {subject or f'request for {path}'}: {listing}", problems)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.problems))


def is_retryable(exc: BaseException) -> bool:
    """True when the same request may succeed if sent again (429, 5xx, transport faults)."""
    if isinstance(exc, FlashcatError):
        return bool(exc.retryable)
    return isinstance(exc, TimeoutError | ConnectionError)


def surely_not_applied(exc: BaseException) -> bool:
    """True for failures after which the server cannot have applied a write (429, 503, no connection)."""
    if isinstance(exc, RequestTooFrequentlyError):
        return True
    if isinstance(exc, ServiceUnavailableError) and exc.status == 503:
        return True
    return isinstance(exc, FlashcatTransportError) and not exc.reached_server


def is_safe_to_resend(exc: BaseException, *, writes: bool) -> bool:
    """True when sending the request again may succeed and cannot apply a write twice."""
    return is_retryable(exc) and (not writes or surely_not_applied(exc))


__all__ = [
    "ERRORS_BY_CODE",
    "ERRORS_BY_STATUS",
    "SUCCESS_CODES",
    "AccessDeniedError",
    "BadRequestError",
    "BalanceNotEnoughError",
    "DangerousOperationError",
    "EntityTooLargeError",
    "FlashcatAPIError",
    "FlashcatError",
    "FlashcatTransportError",
    "FlashcatValidationError",
    "InternalError",
    "InvalidContentTypeError",
    "InvalidParameterError",
    "MethodNotAllowedError",
    "NoLicenseError",
    "ReferenceExistError",
    "RequestLockedError",
    "RequestTooFrequentlyError",
    "RequestVerifyRequiredError",
    "ResourceNotFoundError",
    "RouteNotFoundError",
    "ServiceUnavailableError",
    "UnauthorizedError",
    "UndonedOrderExistError",
    "error_class_for",
    "is_retryable",
    "is_safe_to_resend",
    "is_success_code",
    "surely_not_applied",
]
