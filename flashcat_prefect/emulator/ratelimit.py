"""Sliding-window rate limits, as Flashduty applies them per account or per integration."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from flashcat_prefect.api import RateLimit


class RateLimiter:
    """Counts requests per (key, limit class) over the last second and the last minute.

    ``check`` records a request and answers ``None`` when it is allowed, or the whole
    seconds to wait (the ``Retry-After`` value) when a window is full. Refused requests
    are not counted, like a server that rejects before doing work.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._hits: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str, limit: RateLimit) -> int | None:
        now = self._clock()
        bucket_key = (key, limit.name)
        with self._lock:
            hits = self._hits.setdefault(bucket_key, deque())
            while hits and hits[0] <= now - 60.0:
                hits.popleft()
            wait = 0.0
            if len(hits) >= limit.per_minute:
                wait = max(wait, hits[-limit.per_minute] + 60.0 - now)
            in_last_second = _count_since(hits, now - 1.0)
            if in_last_second >= limit.per_second:
                wait = max(wait, hits[-limit.per_second] + 1.0 - now)
            if wait > 0:
                return max(1, math.ceil(wait))
            hits.append(now)
            return None

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


def _count_since(hits: deque[float], since: float) -> int:
    """Number of hits newer than ``since`` (hits are in time order; scan from the end)."""
    count = 0
    for stamp in reversed(hits):
        if stamp <= since:
            break
        count += 1
    return count
