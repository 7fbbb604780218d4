"""The bridge's background work: turn a routed webhook into a Prefect flow run or event.

Work runs on a private event loop in a daemon thread, so the HTTP answer to Flashduty never
waits for Prefect. Flow runs are created with an idempotency key built from the webhook's
``event_id`` and the route name, so even a second bridge process (or a restart that lost the
in-memory de-duplication) cannot start the same run twice.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from flashcat_prefect.bridge.routing import Route, WebhookFacts
from flashcat_prefect.bridge.templates import render

logger = logging.getLogger("flashcat_prefect.bridge")

EVENT_NAMESPACE = uuid.UUID("6f1d1b1e-5c1a-4f0e-9d55-7a0c2b8e4f10")
"""Namespace for the ids of emitted Prefect events (stable per webhook and route)."""

ACTION_ATTEMPTS = 3
RETRY_DELAYS = (0.5, 2.0)


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
    from prefect.deployments import arun_deployment

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
    """Emit the route's Prefect event; returns the event id."""
    from prefect.events import emit_event

    action = route.event
    assert action is not None
    event_id = uuid.uuid5(EVENT_NAMESPACE, idempotency_key(facts.event_id, route))
    payload = dict(body) if action.payload is None else render(action.payload, body)
    event = emit_event(
        event=str(render(action.name, body)),
        resource=_resource(facts, render(action.resource, body)),
        payload=payload,
        id=event_id,
    )
    if event is None:
        raise RuntimeError("Prefect did not emit the event (no API configured?)")
    return str(event.id)


ActionFunc = Callable[[Route, Mapping[str, Any], WebhookFacts], Awaitable[str]]


def _permanent(exc: Exception) -> bool:
    """Errors that a retry cannot fix: unknown deployment, parameters the API refuses (4xx)."""
    from prefect.exceptions import ObjectNotFound, SignatureMismatchError

    if isinstance(exc, httpx.HTTPStatusError):
        status = exc.response.status_code
        return 400 <= status < 500 and status not in (408, 429)
    return isinstance(exc, ObjectNotFound | SignatureMismatchError | ValueError | TypeError)


async def _cancel_other_tasks() -> None:
    """Cancel every other task of the running loop and wait until each has wound down."""
    current = asyncio.current_task()
    others = [task for task in asyncio.all_tasks() if task is not current]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)


class Dispatcher:
    """Runs routed webhooks in the background and keeps a log of their outcomes.

    ``actions`` maps an action kind to the coroutine that performs it; tests and embedders may
    pass their own. ``max_concurrency`` bounds simultaneous Prefect calls.
    """

    def __init__(
        self,
        *,
        actions: Mapping[str, ActionFunc] | None = None,
        max_concurrency: int = 4,
        history: int = 1000,
    ) -> None:
        self.actions: dict[str, ActionFunc] = {
            "deployment": run_deployment_action,
            "event": emit_event_action,
            **(actions or {}),
        }
        self.max_concurrency = max_concurrency
        self.outcomes: deque[Outcome] = deque(maxlen=history)
        self._pending = 0
        self._idle = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._slots: asyncio.Semaphore | None = None
        self._start_lock = threading.Lock()

    @property
    def pending(self) -> int:
        """Webhooks accepted but not finished."""
        with self._idle:
            return self._pending

    def submit(self, routes: list[Route], body: Mapping[str, Any], facts: WebhookFacts) -> Future:
        """Queue the work for one webhook; returns at once."""
        loop = self._ensure_loop()
        with self._idle:
            self._pending += 1
        return asyncio.run_coroutine_threadsafe(self._handle(routes, body, facts), loop)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every submitted webhook is done; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def close(self) -> None:
        """Stop the background loop; work still running is cancelled and no longer pending."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(_cancel_other_tasks(), loop).result(timeout=5)
        except TimeoutError:
            logger.warning("background work did not stop within 5 s of being cancelled")
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        self._loop = self._thread = None

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._start_lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                ready = threading.Event()

                def run() -> None:
                    asyncio.set_event_loop(loop)
                    self._slots = asyncio.Semaphore(self.max_concurrency)
                    ready.set()
                    loop.run_forever()
                    loop.close()

                self._thread = threading.Thread(target=run, name="flashcat-bridge", daemon=True)
                self._thread.start()
                ready.wait()
                self._loop = loop
            return self._loop

    async def _handle(self, routes: list[Route], body: Mapping[str, Any], facts: WebhookFacts) -> None:
        try:
            await asyncio.gather(*(self._run_route(route, body, facts) for route in routes))
        finally:
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()

    async def _run_route(self, route: Route, body: Mapping[str, Any], facts: WebhookFacts) -> None:
        kind: Literal["deployment", "event"] = "deployment" if route.deployment else "event"
        action = self.actions[kind]
        assert self._slots is not None
        async with self._slots:
            for attempt in range(ACTION_ATTEMPTS):
                try:
                    detail = await action(route, body, facts)
                except Exception as exc:
                    last_attempt = attempt == ACTION_ATTEMPTS - 1
                    if last_attempt or _permanent(exc):
                        logger.warning(
                            "route %r failed for webhook %s (%s): %s",
                            route.name, facts.event_id, facts.event_type, exc,
                        )
                        self.outcomes.append(
                            Outcome(facts.event_id, route.name, kind, False, f"{type(exc).__name__}: {exc}")
                        )
                        return
                    await asyncio.sleep(RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)])
                else:
                    logger.info(
                        "route %r: %s for webhook %s (%s)", route.name, detail, facts.event_id, facts.event_type
                    )
                    self.outcomes.append(Outcome(facts.event_id, route.name, kind, True, detail))
                    return
