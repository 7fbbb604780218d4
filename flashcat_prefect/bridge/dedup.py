"""Remember which webhook ``event_id`` values the bridge has already accepted.

Flashduty retries a delivery once on network errors, so the same ``event_id`` can arrive
twice. The cache is bounded in time and size, and thread-safe.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict


class SeenEvents:
    """A time- and size-bounded set of event ids."""

    def __init__(self, *, ttl_seconds: float = 24 * 3600, max_entries: int = 100_000) -> None:
        if ttl_seconds <= 0:
            raise ValueError("ttl_seconds must be > 0")
        if max_entries < 1:
            raise ValueError("max_entries must be >= 1")
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        """Record ``event_id``; True if it was not seen within the time window."""
        now = time.monotonic()
        with self._lock:
            self._expire(now)
            if event_id in self._seen:
                return False
            self._seen[event_id] = now
            while len(self._seen) > self.max_entries:
                self._seen.popitem(last=False)
            return True

    def forget(self, event_id: str) -> None:
        """Drop ``event_id`` so a later delivery counts as new (used when it was not queued)."""
        with self._lock:
            self._seen.pop(event_id, None)

    def __len__(self) -> int:
        with self._lock:
            self._expire(time.monotonic())
            return len(self._seen)

    def _expire(self, now: float) -> None:
        cutoff = now - self.ttl_seconds
        while self._seen:
            oldest_id, seen_at = next(iter(self._seen.items()))
            if seen_at >= cutoff:
                break
            del self._seen[oldest_id]
