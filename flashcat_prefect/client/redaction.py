"""Keep app keys and integration keys out of log records, messages and reprs.

Flashduty takes the key as a query parameter, so any URL printed by us or by httpx/httpcore
would carry it. Two layers stop that:

* :func:`redact` masks ``app_key=...`` / ``integration_key=...`` in any text and every key a
  client registered with :func:`register_secret` wherever it appears.
* :func:`install_log_redaction` puts a :class:`RedactingFilter` on the loggers of httpx,
  httpcore (each of its module loggers: filters do not apply to records of child loggers)
  and our own, so their records are rewritten before any handler sees them.
"""

from __future__ import annotations

import logging
import re
import threading

import httpx

MASK = "***"
SECRET_QUERY_PARAMS = ("app_key", "integration_key")
MIN_SECRET_LENGTH = 4
"""Shorter strings are not masked verbatim (they would garble ordinary text)."""

_QUERY_SECRET = re.compile(
    r"((?:" + "|".join(SECRET_QUERY_PARAMS) + r")=)[^&\s'\"#<>]+", flags=re.IGNORECASE
)

REDACTED_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "flashcat_prefect",
    "flashcat_prefect.client",
    "flashcat_prefect.hooks",
    "flashcat_prefect.bridge",
)

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_installed_lock = threading.Lock()
_installed = False


def register_secret(secret: str) -> None:
    """Remember a key so that it is masked wherever it shows up in a log record."""
    if len(secret) >= MIN_SECRET_LENGTH:
        with _secrets_lock:
            _secrets.add(secret)


def redact(text: str, secrets: tuple[str, ...] | None = None) -> str:
    """``text`` with key query parameters and known secrets replaced by ``***``."""
    text = _QUERY_SECRET.sub(rf"\g<1>{MASK}", text)
    if secrets is None:
        with _secrets_lock:
            secrets = tuple(_secrets)
    for secret in secrets:
        if len(secret) >= MIN_SECRET_LENGTH and secret in text:
            text = text.replace(secret, MASK)
    return text


def redact_all(text: str, *extra: str) -> str:
    """:func:`redact` with every registered key and ``extra`` keys as well."""
    return redact(redact(text), tuple(secret for secret in extra if secret))


def strip_key_holders(exc: BaseException, secrets: tuple[str, ...]) -> None:
    """Make ``exc`` and its ``__cause__``/``__context__`` chain safe to keep around.

    httpx errors keep the request (and a status error the response, which keeps the request
    too); the request's URL carries the key as a query parameter. They are dropped, and every
    string argument of every error in the chain is redacted.
    """
    seen: set[int] = set()
    waiting: list[BaseException | None] = [exc]
    while waiting:
        current = waiting.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, httpx.HTTPError):
            current._request = None
            if isinstance(current, httpx.HTTPStatusError):
                current.response = None  # type: ignore[assignment]
        current.args = tuple(
            redact(arg, secrets) if isinstance(arg, str) else arg for arg in current.args
        )
        waiting += [current.__cause__, current.__context__]


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (after %-formatting) with :func:`redact`; never drops it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the handler's problem, not ours
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


def install_log_redaction() -> None:
    """Attach one :class:`RedactingFilter` to each logger in :data:`REDACTED_LOGGERS` (idempotent)."""
    global _installed
    with _installed_lock:
        if _installed:
            return
        redacting_filter = RedactingFilter()
        for name in REDACTED_LOGGERS:
            logging.getLogger(name).addFilter(redacting_filter)
        _installed = True
