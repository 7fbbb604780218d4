"""Error answers of the emulated API: one exception type carrying a documented code.

Handlers raise :class:`ApiError`; the app turns it into the error envelope with the HTTP
status Flashduty uses for that code (see the protocol notes, section 6).
"""

from __future__ import annotations

STATUS_BY_CODE: dict[str, int] = {
    "InvalidParameter": 400,
    "BadRequest": 400,
    "InvalidContentType": 400,
    "MethodNotAllowed": 405,
    "ResourceNotFound": 400,
    "NoLicense": 400,
    "ReferenceExist": 400,
    "Unauthorized": 401,
    "BalanceNotEnough": 402,
    "AccessDenied": 403,
    "RouteNotFound": 404,
    "UndonedOrderExist": 409,
    "EntityTooLarge": 413,
    "RequestLocked": 423,
    "RequestVerifyRequired": 428,
    "DangerousOperation": 428,
    "RequestTooFrequently": 429,
    "InternalError": 500,
    "ServiceUnavailable": 503,
}


class ApiError(Exception):
    """A Flashduty error answer: ``code`` from the documented set, ``message`` for people."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status if status is not None else STATUS_BY_CODE.get(code, 400)
        self.headers = headers or {}


def invalid(message: str) -> ApiError:
    """Shorthand for the most common answer, 400 InvalidParameter."""
    return ApiError("InvalidParameter", message)


def not_found(what: str, key: object) -> ApiError:
    """400 ResourceNotFound naming the missing entity."""
    return ApiError("ResourceNotFound", f"{what} {key!r} does not exist")
