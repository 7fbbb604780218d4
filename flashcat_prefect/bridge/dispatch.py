"""The bridge's background work: turn journaled webhooks into Prefect flow runs or events.

Work runs on a private event loop in a daemon thread, so the HTTP answer to Flashduty never
waits for Prefect. The work comes from the :class:`~flashcat_prefect.bridge.journal.WebhookJournal`
(written before the answer) and leaves it only when Prefect holds the run or event; transient
failures (API down, 5xx such as SQLite's "database is locked", timeouts) are tried again with
capped exponential backoff for as long as it takes. Flow runs carry an idempotency key built
from the webhook's ``event_id`` and the route name, and events a fixed id, so a replay after a
crash between "run created" and "entry removed" cannot start the same run twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import threading
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import httpx
from prefect.client.orchestration import get_client
from prefect.deployments import arun_deployment
from prefect.events import Event
from prefect.exceptions import ObjectNotFound, SignatureMismatchError

from flashcat_prefect.bridge.journal import JournalEntry, WebhookJournal
from flashcat_prefect.bridge.routing import Route, RouteTable, WebhookFacts
from flashcat_prefect.bridge.templates import render

logger = logging.getLogger("flashcat_prefect.bridge")

EVENT_NAMESPACE = uuid.UUID("6f1d1b1e-5c1a-4f0e-9d55-7a0c2b8e4f10")
"""Namespace for the ids of emitted Prefect events (stable per webhook and route)."""

RETRY_BASE_SECONDS = 0.5
RETRY_CAP_SECONDS = 30.0
DRAIN_SECONDS = 10.0


@dataclass(frozen=True)
class Outcome:
    """What one route did for one webhook."""

    event_id: str
    route: str
    action: Literal["deployment", "event"]
    ok: bool
    detail: str
    """Flow run id, Prefect event id, or the error."""


def idempotency_key(event_id: str, route: Route) -> str:
    """The key that makes Prefect create at most one flow run per webhook and route."""
    return f"flashduty-bridge:{route.name}:{event_id}"


def _resource(facts: WebhookFacts, extra: Mapping[str, str]) -> dict[str, str]:
    resource = {
        "prefect.resource.id": f"flashduty.{facts.kind}.{facts.subject_id}",
        "prefect.resource.name": facts.title,
        "flashduty.event_type": facts.event_type,
        "flashduty.severity": facts.severity,
    }
    if facts.channel_id is not None:
        resource["flashduty.channel_id"] = str(facts.channel_id)
    resource.update({key: str(value) for key, value in extra.items()})
    return resource


async def run_deployment_action(route: Route, body: Mapping[str, Any], facts: WebhookFacts) -> str:
    """Create a flow run of the route's deployment; returns the flow run id."""
    action = route.deployment
    assert action is not None
    flow_run = await arun_deployment(
        action.name,
        parameters=render(action.parameters, body),
        tags=[*action.tags, "flashduty"],
        flow_run_name=render(action.flow_run_name, body) if action.flow_run_name else None,
        job_variables=render(action.job_variables, body) or None,
        idempotency_key=idempotency_key(facts.event_id, route),
        timeout=0,
        as_subflow=False,
    )
    return str(flow_run.id)


async def emit_event_action(route: Route, body: Mapping[str, Any], facts: WebhookFacts) -> str:
    """Send the route's Prefect event to the API; returns the event id."""
    action = route.event
    assert action is not None
    event = Event(
        event=str(render(action.name, body)),
        resource=_resource(facts, render(action.resource, body)),
        payload=dict(body) if action.payload is None else render(action.payload, body),
        id=uuid.uuid5(EVENT_NAMESPACE, idempotency_key(facts.event_id, route)),
    )
    # POST /events answers once the API holds the event (emit_event only queues it locally);
    # the API keeps the first event of an id, so a replay adds nothing.
    async with get_client() as client:
        await client.request("POST", "/events", json=[event.model_dump(mode="json")])
    return str(event.id)


ActionFunc = Callable[[Route, Mapping[str, Any], WebhookFacts], Awaitable[str]]


def _permanent(exc: Exception) -> bool:
    """Errors that a retry cannot fix: unknown deployment, parameters the API refuses (4xx)."""
    if isinstance(exc, httpx.HTTPStatusError):
        status = exc.response.status_code
        return 400 <= status < 500 and status not in (408, 429)
    return isinstance(exc, ObjectNotFound | SignatureMismatchError | ValueError | TypeError)


def retry_delay(attempts: int, base: float, cap: float) -> float:
    """Capped exponential backoff with "equal jitter" after ``attempts`` failed attempts."""
    ceiling = min(cap, base * (2**attempts))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


class Dispatcher:
    """Works through the journal in the background and keeps a log of the outcomes.

    Args:
        actions: Maps an action kind (``deployment``, ``event``) to the coroutine that
            performs it; tests and embedders may pass their own.
        max_concurrency: Simultaneous Prefect calls.
        history: How many outcomes :attr:`outcomes` keeps.
        retry_base_seconds: First backoff after a transient failure; it doubles per attempt.
        retry_cap_seconds: Longest wait between two attempts (there is no attempt limit).
        drain_seconds: How long :meth:`close` keeps working before it stops; what is left
            stays in the journal for the next start.
    """

    def __init__(
        self,
        *,
        actions: Mapping[str, ActionFunc] | None = None,
        max_concurrency: int = 4,
        history: int = 1000,
        retry_base_seconds: float = RETRY_BASE_SECONDS,
        retry_cap_seconds: float = RETRY_CAP_SECONDS,
        drain_seconds: float = DRAIN_SECONDS,
    ) -> None:
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be >= 1")
        if not 0 < retry_base_seconds <= retry_cap_seconds:
            raise ValueError("retry_base_seconds must be > 0 and at most retry_cap_seconds")
        if drain_seconds < 0:
            raise ValueError("drain_seconds must be >= 0")
        self.actions: dict[str, ActionFunc] = {
            "deployment": run_deployment_action,
            "event": emit_event_action,
            **(actions or {}),
        }
        self.max_concurrency = max_concurrency
        self.retry_base_seconds = retry_base_seconds
        self.retry_cap_seconds = retry_cap_seconds
        self.drain_seconds = drain_seconds
        self.outcomes: deque[Outcome] = deque(maxlen=history)
        self.journal: WebhookJournal | None = None
        self._routes: dict[str, Route] = {}
        self._pending = 0
        self._idle = threading.Condition()
        self._in_flight: dict[tuple[str, str], asyncio.Task[None]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._wake: asyncio.Event | None = None
        self._stopping = False
        self._start_lock = threading.Lock()

    def bind(self, routes: RouteTable, journal: WebhookJournal) -> None:
        """Give the dispatcher its routes (entries name them) and its journal."""
        self._routes = {route.name: route for route in routes.routes}
        self.journal = journal
        with self._idle:
            self._pending = journal.counts()["pending"]

    @property
    def pending(self) -> int:
        """Journal entries (one per webhook and route) not yet done or failed."""
        with self._idle:
            return self._pending

    def submit(self, routes: list[Route], body: Mapping[str, Any], facts: WebhookFacts) -> bool:
        """Write the work for one webhook to the journal and wake the worker.

        Returns False when the journal already holds this ``event_id`` (a repeated delivery).
        The entry is on disk when this returns.
        """
        journal = self._require_journal()
        if not journal.add(facts.event_id, [route.name for route in routes], body):
            return False
        with self._idle:
            self._pending += len(routes)
        self.start()
        self._nudge()
        return True

    def start(self) -> None:
        """Start the background worker (replaying what the journal holds); idempotent."""
        self._require_journal()
        with self._start_lock:
            if self._loop is not None:
                return
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            def run() -> None:
                asyncio.set_event_loop(loop)
                self._wake = asyncio.Event()
                ready.set()
                try:
                    loop.run_until_complete(self._work())
                finally:
                    loop.close()

            self._stopping = False
            self._thread = threading.Thread(target=run, name="flashcat-bridge", daemon=True)
            self._thread.start()
            ready.wait()
            self._loop = loop

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no journal entry is pending; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def close(self, drain_seconds: float | None = None) -> None:
        """Keep working for up to ``drain_seconds`` (default: the setting), then stop.

        Work still running is cancelled; its entries, like every entry not done, stay in the
        journal and run on the next start.
        """
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        drained = self.wait_idle(self.drain_seconds if drain_seconds is None else drain_seconds)
        self._stopping = True
        self._nudge()
        thread.join(timeout=10)
        self._loop = self._thread = None
        if not drained:
            logger.warning(
                "bridge stopped with %d webhook route(s) pending; they stay in %r for the next start",
                self.pending,
                self.journal,
            )

    def _require_journal(self) -> WebhookJournal:
        if self.journal is None:
            raise RuntimeError("the dispatcher has no journal; WebhookBridge binds one")
        return self.journal

    def _nudge(self) -> None:
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed in between
                loop.call_soon_threadsafe(wake.set)

    async def _work(self) -> None:
        """Start due entries while slots are free; sleep until the next is due or a nudge."""
        journal = self._require_journal()
        assert self._wake is not None
        try:
            while not self._stopping:
                self._wake.clear()
                free = self.max_concurrency - len(self._in_flight)
                now = time.time()
                if free > 0:
                    for entry in journal.due(now, limit=free, skip=self._in_flight):
                        key = (entry.event_id, entry.route)
                        self._in_flight[key] = asyncio.create_task(self._attempt(entry))
                next_due = journal.next_due(after=now)
                timeout = None if next_due is None else max(0.01, next_due - time.time())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout)
        finally:
            running = list(self._in_flight.values())
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)

    async def _attempt(self, entry: JournalEntry) -> None:
        """Run one entry's action once; the journal records what came of it."""
        journal = self._require_journal()
        finished = False
        try:
            finished = await self._run_entry(journal, entry)
        finally:
            self._in_flight.pop((entry.event_id, entry.route), None)
            if finished:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()
            assert self._wake is not None
            self._wake.set()

    async def _run_entry(self, journal: WebhookJournal, entry: JournalEntry) -> bool:
        """True when the entry left the pending set (done, or failed for good)."""
        facts = WebhookFacts.of(entry.body)
        route = self._routes.get(entry.route)
        if route is None:
            return self._give_up(
                journal, entry, "event", f"route {entry.route!r} is no longer in the route file"
            )
        kind: Literal["deployment", "event"] = "deployment" if route.deployment else "event"
        try:
            detail = await self.actions[kind](route, entry.body, facts)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            if _permanent(exc):
                return self._give_up(journal, entry, kind, error)
            delay = retry_delay(entry.attempts, self.retry_base_seconds, self.retry_cap_seconds)
            logger.warning(
                "route %r for webhook %s: attempt %d failed (%s); trying again in %.1f s",
                entry.route,
                entry.event_id,
                entry.attempts + 1,
                error,
                delay,
            )
            journal.retry_later(entry.event_id, entry.route, delay, error)
            return False
        journal.done(entry.event_id, entry.route)
        logger.info(
            "route %r: %s for webhook %s (%s)",
            entry.route,
            detail,
            entry.event_id,
            facts.event_type,
        )
        self.outcomes.append(Outcome(entry.event_id, entry.route, kind, True, detail))
        return True

    def _give_up(
        self,
        journal: WebhookJournal,
        entry: JournalEntry,
        kind: Literal["deployment", "event"],
        error: str,
    ) -> bool:
        logger.error(
            "route %r failed for webhook %s and will not be tried again (kept in the journal as failed): %s",
            entry.route,
            entry.event_id,
            error,
        )
        journal.fail(entry.event_id, entry.route, error)
        self.outcomes.append(Outcome(entry.event_id, entry.route, kind, False, error))
        return True
