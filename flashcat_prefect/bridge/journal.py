"""The bridge's journal: accepted webhooks on disk until Prefect holds their run or event.

Flashduty does not redeliver a webhook that was answered 200, so the bridge writes the work
of every accepted webhook (one entry per matching route) to a small SQLite file *before* it
answers. An entry leaves the journal only once its flow run or event exists in Prefect; a
restarted bridge replays what is left. Entries whose action Prefect refuses for good (an
unknown deployment, parameters the flow does not take) stay in the journal marked
``failed``, with the error, instead of vanishing.

The default file is ``$PREFECT_HOME/flashcat-bridge/journal.sqlite3``
(``~/.prefect/flashcat-bridge/journal.sqlite3``); ``FLASHCAT_BRIDGE_JOURNAL`` or the
``journal`` argument choose another. Use one journal per bridge process.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect.settings import PREFECT_HOME

ENV_JOURNAL = "FLASHCAT_BRIDGE_JOURNAL"
IN_MEMORY = ":memory:"
"""A journal that does not survive the process (for tests and throwaway bridges)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    event_id TEXT NOT NULL,
    route TEXT NOT NULL,
    body TEXT NOT NULL,
    accepted_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    due_at REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    last_error TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, route)
)
"""


def default_journal_path() -> Path:
    """``$FLASHCAT_BRIDGE_JOURNAL``, else ``flashcat-bridge/journal.sqlite3`` under Prefect's home."""
    configured = os.environ.get(ENV_JOURNAL)
    if configured:
        return Path(configured).expanduser()
    try:
        home = Path(PREFECT_HOME.value())
    except Exception:  # Prefect's settings unreadable: fall back to its documented default
        home = Path.home() / ".prefect"
    return home / "flashcat-bridge" / "journal.sqlite3"


@dataclass(frozen=True)
class JournalEntry:
    """The work one route owes one webhook."""

    event_id: str
    route: str
    body: Mapping[str, Any]
    attempts: int
    due_at: float


class WebhookJournal:
    """Durable, thread-safe store of accepted webhook work (SQLite, WAL, synchronous=FULL).

    Args:
        path: The SQLite file (created with its folder), or ``":memory:"``.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = IN_MEMORY if path == IN_MEMORY else Path(path or default_journal_path())
        if isinstance(self.path, Path):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            str(self.path), check_same_thread=False, isolation_level=None, timeout=30
        )
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")  # on disk before the 200 goes out
            self._db.execute(_SCHEMA)

    def __repr__(self) -> str:
        return f"WebhookJournal({str(self.path)!r})"

    def add(self, event_id: str, routes: Iterable[str], body: Mapping[str, Any]) -> bool:
        """Record the work for one webhook in one transaction; False if it is already there."""
        now = time.time()
        text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        rows = [(event_id, route, text, now, now) for route in routes]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                known = self._db.execute(
                    "SELECT 1 FROM entries WHERE event_id = ? LIMIT 1", (event_id,)
                ).fetchone()
                if known is None:
                    self._db.executemany(
                        "INSERT INTO entries (event_id, route, body, accepted_at, due_at)"
                        " VALUES (?, ?, ?, ?, ?)",
                        rows,
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return known is None

    def due(
        self, now: float, *, limit: int, skip: Iterable[tuple[str, str]] = ()
    ) -> list[JournalEntry]:
        """Pending entries whose time has come, oldest first, leaving out ``skip`` (in flight)."""
        busy = set(skip)
        with self._lock:
            rows = self._db.execute(
                "SELECT event_id, route, body, attempts, due_at FROM entries"
                " WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, accepted_at LIMIT ?",
                (now, limit + len(busy)),
            ).fetchall()
        entries = [
            JournalEntry(event_id, route, json.loads(body), attempts, due_at)
            for event_id, route, body, attempts, due_at in rows
            if (event_id, route) not in busy
        ]
        return entries[:limit]

    def next_due(self, *, after: float) -> float | None:
        """When the earliest pending entry due later than ``after`` is due, or None."""
        with self._lock:
            (value,) = self._db.execute(
                "SELECT MIN(due_at) FROM entries WHERE state = 'pending' AND due_at > ?", (after,)
            ).fetchone()
        return value

    def done(self, event_id: str, route: str) -> None:
        """Remove an entry whose run or event now exists in Prefect."""
        self._write("DELETE FROM entries WHERE event_id = ? AND route = ?", (event_id, route))

    def retry_later(self, event_id: str, route: str, delay: float, error: str) -> None:
        """Count a failed attempt and set when to try again."""
        self._write(
            "UPDATE entries SET attempts = attempts + 1, due_at = ?, last_error = ?"
            " WHERE event_id = ? AND route = ?",
            (time.time() + delay, error[:2000], event_id, route),
        )

    def fail(self, event_id: str, route: str, error: str) -> None:
        """Keep an entry Prefect refused for good, out of the replay, with its error."""
        self._write(
            "UPDATE entries SET attempts = attempts + 1, state = 'failed', last_error = ?"
            " WHERE event_id = ? AND route = ?",
            (error[:2000], event_id, route),
        )

    def counts(self) -> dict[str, int]:
        """Entries per state (``pending``, ``failed``)."""
        with self._lock:
            rows = self._db.execute("SELECT state, COUNT(*) FROM entries GROUP BY state").fetchall()
        return {"pending": 0, "failed": 0, **dict(rows)}

    def failed(self) -> list[tuple[str, str, str]]:
        """``(event_id, route, error)`` of every entry Prefect refused for good."""
        with self._lock:
            return self._db.execute(
                "SELECT event_id, route, last_error FROM entries WHERE state = 'failed'"
                " ORDER BY accepted_at"
            ).fetchall()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _write(self, sql: str, params: tuple[Any, ...]) -> None:
        with self._lock:
            self._db.execute(sql, params)
