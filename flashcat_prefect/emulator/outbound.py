"""Outbound webhooks: the emulator POSTs incident and alert lifecycle events to given URLs.

Like Flashduty, each delivery is a JSON body ``{event_time (ms), event_type, event_id
(32-hex), incident | alert}``, sent with the configured custom headers; a delivery is retried
at most once, and only after a network error (connect failure, timeout, dropped
connection), never after an HTTP error status. Deliveries run on a background thread so the
emulator's API answer is not delayed; ``wait_idle()`` lets tests wait for them.

Only documented webhook event types are sent. Human actions carry ``person`` (the member
behind the app key; the creator for a manual ``i_new``, the closer for a manual ``i_rslv``);
alert events and automatic ones carry none. Subscribe to an emulator's state with::

    outbound = OutboundWebhooks.subscribe(state, ["http://127.0.0.1:8788/webhook"])
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from flashcat_prefect.api.webhooks import is_documented_event_type

logger = logging.getLogger("flashcat_prefect.emulator.outbound")

MAX_ATTEMPTS = 2
"""One delivery plus at most one retry after a network error."""

AUTOMATIC_INCIDENT_EVENTS = frozenset({"i_storm"})
"""Incident events Flashduty raises by itself (no person)."""

Person = Mapping[str, Any]


@dataclass(frozen=True)
class WebhookTarget:
    """Where to deliver, and the custom headers to send along."""

    url: str
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Delivery:
    """The record of one delivery to one target."""

    url: str
    event_type: str
    event_id: str
    body: bytes = field(repr=False)
    status: int | None
    """HTTP status of the last attempt, None after network errors only."""
    attempts: int
    error: str = ""

    def json(self) -> dict[str, Any]:
        """The delivered body, decoded."""
        return json.loads(self.body)


def person_for(
    event_type: str, subject: Mapping[str, Any], actor: Callable[[], Person | None]
) -> Person | None:
    """Who caused the event, as Flashduty reports it; None for alert and automatic events."""
    if event_type.startswith("a_") or event_type in AUTOMATIC_INCIDENT_EVENTS:
        return None
    if event_type == "i_new":
        return subject.get("creator")
    if event_type == "i_rslv":
        return subject.get("closer")
    return actor()


def webhook_body(
    event_type: str,
    subject: Mapping[str, Any],
    *,
    event_time_ms: int | None = None,
    person: Person | None = None,
) -> dict[str, Any]:
    """The Flashduty webhook envelope around an incident (``i_*``) or alert (``a_*``) dict."""
    kind = "alert" if event_type.startswith("a_") else "incident"
    body: dict[str, Any] = {
        "event_time": event_time_ms if event_time_ms is not None else int(time.time() * 1000),
        "event_type": event_type,
        "event_id": uuid.uuid4().hex,
    }
    if person:
        body["person"] = dict(person)
    body[kind] = dict(subject)
    return body


class OutboundWebhooks:
    """An emulator event hook that delivers every event to each configured target.

    Args:
        urls: Target URLs (more can be added with :meth:`add`).
        headers: Custom headers sent to every target given here.
        timeout: Seconds to wait for each target's answer (Flashduty allows 2).
        history: How many delivery records to keep.
        actor: Returns the member acting through the API (for ``person``); None: no person.
    """

    def __init__(
        self,
        urls: Iterable[str] = (),
        *,
        headers: Mapping[str, str] | None = None,
        timeout: float = 2.0,
        history: int = 10_000,
        actor: Callable[[], Person | None] | None = None,
    ) -> None:
        self.actor = actor or (lambda: None)
        self.targets: list[WebhookTarget] = []
        for url in urls:
            self.add(url, headers)
        self.timeout = timeout
        self.deliveries: deque[Delivery] = deque(maxlen=history)
        self._queue: queue.Queue[tuple[WebhookTarget, str, str, bytes] | None] = queue.Queue()
        self._pending = 0
        self._idle = threading.Condition()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    @classmethod
    def subscribe(cls, state: Any, urls: Iterable[str] = (), **options: Any) -> OutboundWebhooks:
        """Create a sender for an ``EmulatorState`` and register it as its event hook."""

        def actor() -> Person | None:
            return state.incidents.directory.person_short(state.acting_person_id)

        outbound = cls(urls, actor=actor, **options)
        state.add_hook(outbound)
        return outbound

    def add(self, url: str, headers: Mapping[str, str] | None = None) -> None:
        """Deliver future events to ``url`` too."""
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"url: must start with http:// or https://, got {url!r}")
        self.targets.append(WebhookTarget(url, dict(headers or {})))

    def remove(self, url: str) -> None:
        """Stop delivering to ``url`` (every target with that URL)."""
        self.targets = [target for target in self.targets if target.url != url]

    def __call__(self, event_type: str, subject: dict[str, Any]) -> None:
        """The hook: snapshot the event now and queue one delivery per target."""
        if not self.targets or not is_documented_event_type(event_type):
            return
        body = webhook_body(event_type, subject, person=person_for(event_type, subject, self.actor))
        encoded = json.dumps(body, ensure_ascii=False).encode()
        for target in list(self.targets):
            self._enqueue((target, event_type, body["event_id"], encoded))

    def redeliver(self, delivery: Delivery) -> None:
        """Send a recorded delivery again, unchanged (same ``event_id``), as Flashduty's retry does."""
        target = next(
            (t for t in self.targets if t.url == delivery.url), WebhookTarget(delivery.url)
        )
        self._enqueue((target, delivery.event_type, delivery.event_id, delivery.body))

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every queued delivery is done; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def close(self) -> None:
        """Stop the sender thread after the queued deliveries."""
        thread = self._thread
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout=10)
            self._thread = None

    def _enqueue(self, item: tuple[WebhookTarget, str, str, bytes]) -> None:
        self._ensure_thread()
        with self._idle:
            self._pending += 1
        self._queue.put(item)

    def _ensure_thread(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="emulator-webhooks", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout, trust_env=False) as client:
            while (item := self._queue.get()) is not None:
                try:
                    self.deliveries.append(self._deliver(client, *item))
                except Exception:  # never let one bad delivery stop the sender
                    logger.exception("webhook delivery failed")
                finally:
                    with self._idle:
                        self._pending -= 1
                        self._idle.notify_all()

    def _deliver(
        self,
        client: httpx.Client,
        target: WebhookTarget,
        event_type: str,
        event_id: str,
        body: bytes,
    ) -> Delivery:
        headers = {"Content-Type": "application/json", **target.headers}
        error = ""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                response = client.post(target.url, content=body, headers=headers)
            except httpx.TransportError as exc:
                error = f"{type(exc).__name__}: {exc}"
                continue
            return Delivery(target.url, event_type, event_id, body, response.status_code, attempt)
        logger.warning("webhook %s to %s failed: %s", event_type, target.url, error)
        return Delivery(target.url, event_type, event_id, body, None, MAX_ATTEMPTS, error)
