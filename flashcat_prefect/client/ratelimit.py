"""Client-side pacing: one limiter per account (or integration) and rate-limit class.

A limiter books send times ("slots") under a lock and tells the caller how long to wait;
the caller sleeps outside the lock (``time.sleep`` or ``await asyncio.sleep``), so one
limiter serves threads and asyncio tasks alike. Clients for the same base URL, key and
budget share one limiter through :func:`shared_limiter`; the registry is keyed by an HMAC of
the key with a per-process random salt, never by the key itself.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_MARGIN_SECONDS = 0.1
"""Extra width of each window: requests bunch up a little on the way, so the server may count
some closer together than we sent them (costs about 10% of the budget)."""

_PROCESS_SALT = secrets.token_bytes(32)


class RateLimiter:
    """At most ``per_second`` calls in any one-second window and ``per_minute`` in any minute.

    The per-second budget is kept by spacing calls evenly, ``(1 + margin) / per_second``
    apart (a token bucket of size one): a burst of calls sent at the same instant would reach
    the server spread out by connection set-up and scheduling, and could then be counted in
    one second together with the next burst. The per-minute budget is a sliding window over
    the booked slots.
    """

    def __init__(
        self,
        per_second: int,
        per_minute: int,
        *,
        margin: float = WINDOW_MARGIN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_second < 1 or per_minute < 1:
            raise ValueError("per_second and per_minute must be at least 1")
        self.per_second = per_second
        self.per_minute = per_minute
        self._spacing = (1.0 + margin) / per_second
        self._minute = 60.0 + margin
        self._clock = clock
        self._slots: deque[float] = deque(maxlen=per_minute)
        self._sent: deque[float] = deque(maxlen=per_minute)
        self._lock = threading.Lock()

    def reserve(self, earliest: float | None = None) -> float:
        """Book the next free slot at or after ``earliest``; return its clock time."""
        return self._book(self._slots, earliest)

    def confirm(self, earliest: float | None = None) -> float:
        """Claim the moment to send, right before sending; return that clock time.

        Booked slots are evenly spaced, but callers that wake late (a busy machine, a stalled
        event loop) would all send at once. Spacing the *actual* send times as well means a
        late crowd still leaves one by one.
        """
        return self._book(self._sent, earliest)

    def _book(self, times: deque[float], earliest: float | None) -> float:
        """Append to ``times`` the first moment at or after ``earliest`` that keeps both budgets."""
        with self._lock:
            moment = max(self._clock(), earliest or 0.0)
            if times:
                moment = max(moment, times[-1] + self._spacing)
            if len(times) >= self.per_minute:
                moment = max(moment, times[0] + self._minute)
            times.append(moment)
            return moment

    def __repr__(self) -> str:
        return f"RateLimiter(per_second={self.per_second}, per_minute={self.per_minute})"


def key_fingerprint(key: str) -> str:
    """A stable (per process) identifier of a key that does not reveal it."""
    return hmac.new(_PROCESS_SALT, key.encode(), hashlib.sha256).hexdigest()[:32]


_registry: dict[tuple[str, str, str, int, int], RateLimiter] = {}
_registry_lock = threading.Lock()


def shared_limiter(
    base_url: str, fingerprint: str, scope: str, per_second: int, per_minute: int
) -> RateLimiter:
    """The process-wide limiter for one account (or integration) and budget."""
    registry_key = (base_url.rstrip("/"), fingerprint, scope, per_second, per_minute)
    with _registry_lock:
        limiter = _registry.get(registry_key)
        if limiter is None:
            limiter = _registry[registry_key] = RateLimiter(per_second, per_minute)
        return limiter


def pacing_delay(
    limiters: tuple[RateLimiter, ...], clock: Callable[[], float] = time.monotonic
) -> float:
    """Book one slot on every limiter (strictest first) and return the wait before sending."""
    slot: float | None = None
    for limiter in limiters:
        slot = limiter.reserve(slot)
    return 0.0 if slot is None else max(0.0, slot - clock())


def confirm_delay(
    limiters: tuple[RateLimiter, ...], clock: Callable[[], float] = time.monotonic
) -> float:
    """Right before sending: the extra wait (usually none) that keeps actual sends spaced."""
    send_at = confirm_send_time(limiters)
    return 0.0 if send_at is None else max(0.0, send_at - clock())


LATE_SEND_SECONDS = 0.05
"""A caller that wakes this much after its confirmed send time (an event loop busy with other
work) books a new one: sends delayed together would reach the server as a burst."""

LATE_SEND_REBOOKS = 3
"""At most this many new bookings for one request; then it goes as it is."""


def confirm_send_time(
    limiters: tuple[RateLimiter, ...], earliest: float | None = None
) -> float | None:
    """Book the actual send moment on every limiter; None when there are none."""
    send_at: float | None = earliest
    for limiter in limiters:
        send_at = limiter.confirm(send_at)
    return send_at


async def wait_for_send_slot(
    limiters: tuple[RateLimiter, ...], clock: Callable[[], float] = time.monotonic
) -> None:
    """The asyncio form of ``confirm_delay`` + sleep, for callers on a shared event loop.

    A coroutine's sleep can end late when the loop is busy, and the late ones would then send
    together; one that wakes more than :data:`LATE_SEND_SECONDS` after its slot books a new
    slot (up to :data:`LATE_SEND_REBOOKS` times), so the spacing holds on the wire.
    """
    for _ in range(LATE_SEND_REBOOKS + 1):
        send_at = confirm_send_time(limiters)
        if send_at is None:
            return
        await asyncio.sleep(max(0.0, send_at - clock()))
        if clock() - send_at <= LATE_SEND_SECONDS:
            return
