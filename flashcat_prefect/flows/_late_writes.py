"""Writes whose answer never came: they may still land on the server at any later moment.

A request that timed out, or whose connection was cut before the answer, may still be
working on the server; it can apply its write after the flow has read back, repaired or
restored. The flows therefore wait for such a write to show up (as many times as a read
lets them see it) instead of guessing how long it takes, within :data:`LATE_WRITE_WAIT_SECONDS`.
An answer from the server itself, even a 500 or a garbled 200, means the server is done with
the request: the next read shows whether it took effect, and nothing changes after it. A
gateway's 502 or 504 is not the server's answer: the write may still land, but a gateway has
already waited its own timeout, so the flows report it as open rather than wait again.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from flashcat_prefect.client.errors import (
    FlashcatError,
    FlashcatTransportError,
    is_retryable,
    surely_not_applied,
)

GATEWAY_STATUSES = frozenset({502, 504})
"""Statuses a gateway answers in place of the server (which may still be working)."""

LATE_WRITE_WAIT_SECONDS = 60.0
"""How long a flow waits for a write whose answer never came to show up (gateways end a
request well before). The wait ends as soon as the write is seen."""
POLL_FIRST_SECONDS = 0.25
POLL_CAP_SECONDS = 4.0


def may_still_land(exc: BaseException) -> bool:
    """True when a write reached the server but no answer came back (timeout, cut answer)."""
    return isinstance(exc, FlashcatTransportError) and exc.reached_server and exc.status is None


def may_land_after(exc: BaseException) -> bool:
    """True when the server itself never answered a write that reached it (no answer, or a
    gateway's 502/504 instead): the write may be applied at any later moment."""
    return may_still_land(exc) or (
        isinstance(exc, FlashcatError) and getattr(exc, "status", None) in GATEWAY_STATUSES
    )


def answer_lost(exc: BaseException) -> bool:
    """True for any failure after which the server may have applied a write."""
    return isinstance(exc, FlashcatError) and is_retryable(exc) and not surely_not_applied(exc)


def wait_until(seen: Callable[[], bool], wait: float | None = None) -> bool:
    """Poll ``seen`` with growing pauses until it is true (True) or ``wait`` seconds (default
    :data:`LATE_WRITE_WAIT_SECONDS`, read at call time) passed (False)."""
    limit = LATE_WRITE_WAIT_SECONDS if wait is None else wait
    deadline = time.monotonic() + limit
    pause = POLL_FIRST_SECONDS
    while True:
        if seen():
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(pause, left))
        pause = min(pause * 2, POLL_CAP_SECONDS)
