"""A record of the requests an emulator answered, with counts per path.

Tests use it to prove what was (or was not) sent. Entries never hold credentials: the
query string is not kept, only the path, the parsed body (without the fields the spec does
not know, which are named in ``ignored``) and the outcome.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LoggedRequest:
    """One answered request."""

    method: str
    path: str
    status: int
    code: str | None
    request_id: str
    time: float
    body: Any = field(default=None, compare=False)
    ignored: tuple[str, ...] = ()
    """Body fields the spec does not declare: dropped unread, as the Go server ignores them."""


class RequestLog:
    """Bounded list of recent requests plus unbounded per-path counters."""

    def __init__(self, max_entries: int = 20_000) -> None:
        self._entries: deque[LoggedRequest] = deque(maxlen=max_entries)
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._entries.append(entry)
            self._counts[entry.path] += 1

    @property
    def entries(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._entries)

    def for_path(self, path: str) -> list[LoggedRequest]:
        return [e for e in self.entries if e.path == path]

    def count(self, path: str | None = None) -> int:
        """Requests answered for ``path``, or in total when ``path`` is None."""
        with self._lock:
            return self._counts[path] if path is not None else sum(self._counts.values())

    @property
    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._counts.clear()

    def __len__(self) -> int:
        return self.count()

    def to_dict(self, limit: int = 1000) -> dict[str, Any]:
        entries = self.entries[-limit:]
        return {
            "counts": self.counts,
            "total": self.count(),
            "entries": [
                {
                    "method": e.method,
                    "path": e.path,
                    "status": e.status,
                    "code": e.code,
                    "request_id": e.request_id,
                    "time": e.time,
                    "body": e.body,
                    "ignored": list(e.ignored),
                }
                for e in entries
            ],
        }
