"""Account-wide pacing (``pacing="prefect"``): Prefect global concurrency limits as the
account's shared budget.

Every request is covered by a slot of its account's limits on the Prefect server, taken in
``rate_limit`` mode through Prefect's client (the request Prefect's own ``rate_limit`` makes,
see :func:`take_slots`), so every process, worker and machine that reaches the same Prefect
API shares one budget. A process asks for the slots of :data:`REQUESTS_PER_GRANT` requests at
a time from a background thread, asks for the next grant while it sends (pipelining), and
spends slots within :data:`GRANT_MAX_AGE_SECONDS`; its own limiter still spaces its calls.

Limits, created on first use when missing (never overwritten, so ``prefect gcl update``
tunes them for good; a process reads tuned ones to size its grants), for an account whose
fingerprint is ``<fp>``::

    flashcat-account-<fp>-per-second          <= per-second budget in any second
    flashcat-account-<fp>-per-minute          <= per-minute budget in any minute
    flashcat-account-<fp>-export-per-second   the export endpoints' class (1/s ...)
    flashcat-account-<fp>-export-per-minute   (... and 10/min), taken on top of the above

A Prefect rate limit is a bucket of ``limit`` slots that refills at
``slot_decay_per_second``: after a quiet spell a burst of ``limit`` goes at once, then the
refill rate holds. Flashduty counts a sliding window instead, so a window of ``T`` seconds
can see the burst plus ``T`` seconds of refill. Each limit is therefore split so that the two
together stay within the budget, less :data:`SEND_LAG_SECONDS` of it for requests that reach
Flashduty unevenly late after their grant: ``burst + refill * T - 1 <= budget - spare`` (one
second: two grants, 4 requests, at once and 44 refilled evenly; one minute: half as a burst,
half refilled). The bucket holds two grants so that a process that asks a few milliseconds
late does not leave the account's budget unused.

Slots are counted in thousandths of a request (:data:`SLOTS_PER_REQUEST`): Prefect 3.9 decays
``floor(slot_decay_per_second * seconds since the limit last changed)`` and every grant
restarts that clock, so a limit whose refill is under one slot between two requests
(1000/60 per second while requests come every 20 ms) would hardly refill at all.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import httpx
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.context import SyncClientContext
from prefect.exceptions import ObjectAlreadyExists
from prefect.settings import PREFECT_CLIENT_MAX_RETRIES, get_current_settings

from flashcat_prefect.api.catalog import RateLimit
from flashcat_prefect.client.errors import FlashcatError

if TYPE_CHECKING:
    from prefect.client.orchestration import SyncPrefectClient

Pacing = Literal["process", "prefect"]
WhenUnreachable = Literal["fail", "process"]

SLOTS_PER_REQUEST = 1000
"""One request occupies this many slots of a Prefect limit (see the module docstring)."""

REQUESTS_PER_GRANT = 2
"""A process takes slots for this many requests per round trip to the Prefect server (fewer
when a limit holds fewer). One per request doubled the load on the Prefect server (SQLite
answered 503 more often) and made the account's rate drop; three would need a bigger burst
per second, which the budget cannot spare."""

GRANT_MAX_AGE_SECONDS = 0.15
"""Slots of a grant left unused this long are dropped: a slot spent long after it was granted
would add to a later second's count (at 0.25 s the benchmark saw the odd 429)."""

ASK_AHEAD_WHEN_LEFT = 0
"""A process that has this many requests' slots left asks for its next grant already, so the
round trip to the Prefect server overlaps the requests it is sending."""

MAX_POLL_STEPS = 2
"""While a limit stays full, the n-th try waits n times the time it takes to free one grant
(at most this many times), so that many waiting processes do not flood the Prefect server."""

BUSY_RETRY_SECONDS = 0.02
"""A Prefect server that answered 503 (on SQLite: another write held the database) is asked
again this much later, times the number of busy answers so far."""

MAX_BUSY_RETRIES = 25
"""After this many busy answers for one grant (6.5 s of waiting) the server counts as
unreachable."""

SEND_LAG_SECONDS = 0.06
"""How unevenly granted requests may reach Flashduty; each limit's refill leaves this much of
the budget unused (3 requests of 50 a second, 1 of 1000 a minute)."""

REPROBE_SECONDS = 30.0
"""After falling back to process pacing, the Prefect API is tried again this much later."""

LIMIT_NAME_PREFIX = "flashcat"

logger = logging.getLogger("flashcat_prefect.client")


class FlashcatPacingError(FlashcatError):
    """Account-wide pacing could not take a slot from the Prefect API (nothing was sent)."""


@dataclass(frozen=True)
class GlobalLimit:
    """One Prefect global concurrency limit, in slots."""

    name: str
    limit: int
    slot_decay_per_second: float


def account_fingerprint(base_url: str, key: str) -> str:
    """A stable name for one account (or integration) that does not reveal its key.

    The same in every process and machine (unlike the limiter registry's salted HMAC), so all
    of them find the same limits; 48 bits of a SHA-256 say nothing about a random API key.
    """
    digest = hashlib.sha256(f"flashcat-prefect\n{base_url.rstrip('/')}\n{key}".encode())
    return digest.hexdigest()[:12]


def _bucket(name: str, budget: int, window_seconds: float, burst: int) -> GlobalLimit:
    """A Prefect limit that lets no window of ``window_seconds`` exceed ``budget`` requests:
    a window sees at most ``burst + refill - 1`` grants, and the refill leaves room for
    :data:`SEND_LAG_SECONDS` worth of the budget (requests reach Flashduty a little after
    their grant, not all equally late)."""
    burst = max(1, min(budget, burst))
    lag_spare = round(budget * SEND_LAG_SECONDS / window_seconds)
    refill_per_window = max(1, budget - burst + 1 - lag_spare)
    return GlobalLimit(
        name=name,
        limit=burst * SLOTS_PER_REQUEST,
        slot_decay_per_second=round(refill_per_window * SLOTS_PER_REQUEST / window_seconds, 3),
    )


def limits_for_class(
    fingerprint: str, scope: str, label: str, budget: RateLimit
) -> tuple[GlobalLimit, ...]:
    """The per-second and per-minute limits of one rate-limit class of one account."""
    stem = f"{LIMIT_NAME_PREFIX}-{scope}-{fingerprint}-{label + '-' if label else ''}per-"
    return (
        _bucket(stem + "second", budget.per_second, 1.0, burst=2 * REQUESTS_PER_GRANT),
        _bucket(stem + "minute", budget.per_minute, 60.0, burst=budget.per_minute // 2),
    )


# -- talking to the Prefect API ------------------------------------------------------------

_created: dict[str, GlobalLimit] = {}
"""The limits this process has made sure of, as the Prefect server holds them (tuned or not)."""
_created_lock = threading.Lock()
_clients: dict[tuple[int, str], SyncPrefectClient] = {}
_clients_lock = threading.Lock()


def _prefect_api_url() -> str | None:
    return get_current_settings().api.url


@contextmanager
def _prefect_client() -> Iterator[SyncPrefectClient]:
    """A sync Prefect client: the run's own inside a flow or task run, else one kept open per
    process and API URL (a new client per grant would build a new connection and TLS context
    each time; a forked child does not use its parent's connections)."""
    if SyncClientContext.get() is not None:
        with get_client(sync_client=True) as run_client:
            yield run_client
        return
    key = (os.getpid(), _prefect_api_url() or "")
    with _clients_lock:
        kept = _clients.get(key)
        if kept is None:
            kept = _clients[key] = get_client(sync_client=True).__enter__()
    yield kept


def ensure_limits(limits: tuple[GlobalLimit, ...]) -> dict[str, GlobalLimit]:
    """Create the limits that do not exist yet (once per process; existing ones are kept) and
    return them as the server holds them, so that tuned limits size the grants."""
    with _created_lock:
        missing = [limit for limit in limits if limit.name not in _created]
        if missing:
            with _prefect_client() as client:
                for limit in missing:
                    try:
                        client.create_global_concurrency_limit(
                            GlobalConcurrencyLimitCreate(
                                name=limit.name,
                                limit=limit.limit,
                                slot_decay_per_second=limit.slot_decay_per_second,
                            )
                        )
                        logger.info("created Prefect rate limit %s", limit.name)
                        _created[limit.name] = limit
                    except ObjectAlreadyExists:
                        found = client.read_global_concurrency_limit_by_name(limit.name)
                        _created[limit.name] = GlobalLimit(
                            limit.name, found.limit, found.slot_decay_per_second
                        )
        return {limit.name: _created[limit.name] for limit in limits}


def _forget_created(limits: tuple[GlobalLimit, ...]) -> None:
    with _created_lock:
        for limit in limits:
            _created.pop(limit.name, None)


class _LimitsMissing(Exception):
    """Some of the limits were deleted on the server after this process made sure of them."""


def take_slots(
    names: list[str], slots: int, poll_seconds: float, stats: PacingStats | None = None
) -> None:
    """Occupy ``slots`` of every named rate limit at once, asking again until they are granted.

    This is the request Prefect's ``rate_limit`` makes (``increment_concurrency_slots`` in
    ``rate_limit`` mode), with two differences that matter when many requests a second wait on
    it. When a limit is momentarily full, the next try comes after ``poll_seconds`` (the time
    the fastest limit takes to free these slots) or the server's ``Retry-After``, whichever is
    sooner: the server derives ``Retry-After`` from the limit with the most denied slots, often
    the slow per-minute one while the per-second one is about to free up. And a busy server
    (503: on SQLite, another write held the database) is asked again after
    :data:`BUSY_RETRY_SECONDS`, where Prefect's client would sleep 2 s or more. Connection
    failures are retried as Prefect's client does (``PREFECT_CLIENT_MAX_RETRIES`` times, with
    its exponential back-off). ``stats``, when given, counts the denials and busy answers.
    """
    stats = stats if stats is not None else PacingStats()

    retries = PREFECT_CLIENT_MAX_RETRIES.value()
    failures = busy = denials = 0
    with _prefect_client() as client:
        while True:
            try:
                granted = _increment_once(client, names, slots)
            except httpx.HTTPStatusError as exc:
                status = exc.response.status_code
                if status == 423:
                    retry_after = float(exc.response.headers.get("Retry-After") or poll_seconds)
                    denials += 1
                    stats.denials += 1
                    time.sleep(min(retry_after, poll_seconds * min(denials, MAX_POLL_STEPS)))
                    continue
                if status not in (408, 429, 502, 503) or busy >= MAX_BUSY_RETRIES:
                    raise
                busy += 1
                stats.busy += 1
                time.sleep(BUSY_RETRY_SECONDS * busy)
                continue
            except httpx.TransportError:
                failures += 1
                if failures > retries:
                    raise
                time.sleep(2**failures)
                continue
            if len(granted.json()) < len(names):
                raise _LimitsMissing(
                    f"Concurrency limits {names!r} must be created before acquiring slots"
                )
            return


def _increment_once(client: SyncPrefectClient, names: list[str], slots: int) -> httpx.Response:
    """One ``POST /v2/concurrency_limits/increment`` through the Prefect client's own HTTP
    client (its base URL, auth and headers), without the retry loop of its ``send``, which
    sleeps 2 s after a 503 even with retries off."""
    http = client._client
    request = http.build_request(
        "POST",
        "/v2/concurrency_limits/increment",
        json={"names": names, "slots": slots, "mode": "rate_limit"},
    )
    response = httpx.Client.send(http, request)
    if response.status_code == 403:  # e.g. a CSRF token wanted: the client's full path knows how
        return client.increment_concurrency_slots(names=names, slots=slots, mode="rate_limit")
    return response.raise_for_status()


def _size_of_grant(on_server: dict[str, GlobalLimit]) -> int:
    """Requests per grant: :data:`REQUESTS_PER_GRANT`, fewer when a limit holds fewer."""
    smallest = min(limit.limit for limit in on_server.values()) // SLOTS_PER_REQUEST
    return max(1, min(REQUESTS_PER_GRANT, smallest))


def _is_unreachable(exc: BaseException) -> bool:
    """True when the failure is the Prefect API not answering (network, 5xx), not a refusal."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, httpx.TransportError | ConnectionError | OSError):
            return True
        if isinstance(seen, httpx.HTTPStatusError) and seen.response.status_code >= 500:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _names(limits: tuple[GlobalLimit, ...]) -> tuple[str, ...]:
    return tuple(limit.name for limit in limits)


@dataclass
class PacingStats:
    """What one process spent on account-wide pacing (for benchmarks and diagnosis)."""

    grants: int = 0
    """Grants received from the Prefect server."""
    grant_seconds: float = 0.0
    """Wall time of the grant requests (round trips, including re-asks)."""
    denials: int = 0
    """Answers 423: a limit was full and the grant was asked again."""
    busy: int = 0
    """Answers 503/429/502/408 from the Prefect server, asked again."""
    waited_seconds: float = 0.0
    """Time requests spent waiting for a grant (a request that found a held slot waits 0)."""


@dataclass
class _Held:
    """The slots this process holds for one set of limits, and its grant request in flight."""

    grants: deque[list[float]] = field(default_factory=deque)
    """``[requests left, monotonic time granted]`` per grant, oldest first."""
    in_flight: Future[bool] | None = None
    ask_ahead: bool = False
    """Whether to ask for the next grant before these slots run out: only when every limit
    holds at least two grants, so that asking ahead never takes a class's whole burst (a
    slot of the export class fetched ahead and never used would waste a tenth of a minute's
    exports)."""

    def take_one(self, now: float) -> bool:
        while self.grants and (
            self.grants[0][0] <= 0 or now - self.grants[0][1] > GRANT_MAX_AGE_SECONDS
        ):
            self.grants.popleft()  # spent, or too old to spend safely
        if not self.grants:
            return False
        self.grants[0][0] -= 1
        return True

    def left(self) -> int:
        return int(sum(grant[0] for grant in self.grants))


class PrefectPacer:
    """Takes one slot of an account's Prefect limits per request; falls back or fails when the
    Prefect API does not answer, as ``when_unreachable`` says.

    Slots are granted :data:`REQUESTS_PER_GRANT` requests at a time by a background thread,
    so a process that keeps sending asks for its next grant while it spends the current one;
    sync callers and asyncio tasks wait on the same grant (a ``concurrent.futures.Future``).
    """

    def __init__(
        self, fingerprint: str, scope: str, budget: RateLimit, when_unreachable: WhenUnreachable
    ) -> None:
        self.fingerprint = fingerprint
        self.scope = scope
        self.when_unreachable = when_unreachable
        self.base_limits = limits_for_class(fingerprint, scope, "", budget)
        self._fallback_until = 0.0
        self._lock = threading.Lock()
        self._held: dict[tuple[str, ...], _Held] = {}
        self.stats = PacingStats()

    def limits_for(
        self, class_label: str | None, class_budget: RateLimit | None
    ) -> tuple[GlobalLimit, ...]:
        """The limits one request takes: a stricter class's first, then the account's."""
        if class_label is None or class_budget is None:
            return self.base_limits
        return (
            limits_for_class(self.fingerprint, self.scope, class_label, class_budget)
            + self.base_limits
        )

    # The two entry points: each returns True when Prefect granted the slot, False when this
    # request is paced by the process alone (fallback), and raises FlashcatPacingError.

    def take(self, limits: tuple[GlobalLimit, ...]) -> bool:
        """Block until every limit grants a slot (sync clients)."""
        while True:
            slot = self._slot_or_grant(limits)
            if isinstance(slot, bool):
                return slot
            began = time.monotonic()
            granted = slot.result()
            with self._lock:
                self.stats.waited_seconds += time.monotonic() - began
            if not granted:
                return False

    async def atake(self, limits: tuple[GlobalLimit, ...]) -> bool:
        """Async twin of :meth:`take` (async clients)."""
        while True:
            slot = self._slot_or_grant(limits)
            if isinstance(slot, bool):
                return slot
            began = time.monotonic()
            granted = await asyncio.wrap_future(slot)
            with self._lock:
                self.stats.waited_seconds += time.monotonic() - began
            if not granted:
                return False

    def _slot_or_grant(self, limits: tuple[GlobalLimit, ...]) -> bool | Future[bool]:
        """True for a slot held by this process, False while falling back, else the grant to
        wait for. A held slot that leaves at most :data:`ASK_AHEAD_WHEN_LEFT` asks for the
        next grant already (see :attr:`_Held.ask_ahead`)."""
        if self._falling_back():
            return False
        key = _names(limits)
        with self._lock:
            held = self._held.setdefault(key, _Held())
            if not all(name in _created for name in key):
                held.grants.clear()  # granted by limits since deleted or re-read: not ours to spend
            if held.take_one(time.monotonic()):
                if held.ask_ahead and held.left() <= ASK_AHEAD_WHEN_LEFT:
                    self._ask_for_grant(held, limits)
                return True
            return self._ask_for_grant(held, limits)

    def _ask_for_grant(self, held: _Held, limits: tuple[GlobalLimit, ...]) -> Future[bool]:
        """The grant request in flight for these limits, started now if there is none."""
        if held.in_flight is None:
            held.in_flight = Future()
            context = contextvars.copy_context()  # the caller's Prefect settings
            threading.Thread(
                target=context.run,
                args=(self._fetch_grant, held, limits, held.in_flight),
                name="flashcat-prefect-grant",
                daemon=True,
            ).start()
        return held.in_flight

    def _fetch_grant(
        self, held: _Held, limits: tuple[GlobalLimit, ...], future: Future[bool]
    ) -> None:
        began = time.monotonic()
        try:
            granted, ask_ahead = self._acquire(limits)
        except BaseException as exc:
            with self._lock:
                held.in_flight = None
            future.set_exception(exc)
            return
        with self._lock:
            held.in_flight = None
            if granted:
                held.grants.append([granted, time.monotonic()])
                held.ask_ahead = ask_ahead
                self.stats.grants += 1
                self.stats.grant_seconds += time.monotonic() - began
        future.set_result(granted > 0)

    def _acquire(self, limits: tuple[GlobalLimit, ...]) -> tuple[int, bool]:
        """Take a grant from Prefect: the number of requests it covers (0 to fall back), and
        whether every limit holds at least two such grants."""
        for attempt in range(3):
            try:
                self._check_api()
                on_server = ensure_limits(limits)
                size = _size_of_grant(on_server)
                slots = size * SLOTS_PER_REQUEST
                fastest = max(limit.slot_decay_per_second for limit in on_server.values())
                take_slots(
                    list(_names(limits)),
                    slots,
                    poll_seconds=slots / fastest if fastest > 0 else 1.0,
                    stats=self.stats,
                )
            except Exception as exc:  # sorted out by _handle
                if self._handle(exc, limits, attempt):
                    continue
                return 0, False
            smallest = min(limit.limit for limit in on_server.values())
            return size, smallest >= 2 * slots
        return 0, False  # pragma: no cover - _handle raises on the last attempt

    # -- failures ------------------------------------------------------------------------

    def _check_api(self) -> None:
        if not _prefect_api_url():
            raise ConnectionError(
                "PREFECT_API_URL is not set, so there is no shared Prefect server"
            )

    def _falling_back(self) -> bool:
        with self._lock:
            return time.monotonic() < self._fallback_until

    def _handle(self, exc: Exception, limits: tuple[GlobalLimit, ...], attempt: int) -> bool:
        """Decide after a failed take: True to try again, False to fall back; else raise."""
        if isinstance(exc, _LimitsMissing) and attempt < 2:
            _forget_created(limits)  # deleted behind our back: create them again
            return True
        if "greater than the limit" in str(exc) and attempt < 2:
            _forget_created(limits)  # tuned below one grant since we read it: read it again
            return True
        names = ", ".join(_names(limits))
        if not _is_unreachable(exc):
            raise FlashcatPacingError(
                f"Prefect refused a slot of the rate limits {names}: {exc}. Check them with "
                "`prefect gcl ls` (a limit must hold at least "
                f"{SLOTS_PER_REQUEST} slots and have a slot decay), or delete them to have "
                "them created again with the default budget."
            ) from exc
        reason = f"{type(exc).__name__}: {exc}".rstrip(": ")
        if self.when_unreachable == "process":
            with self._lock:
                self._fallback_until = time.monotonic() + REPROBE_SECONDS
            logger.warning(
                "The Prefect API did not answer (%s); pacing this process alone for %.0f s "
                "(when_prefect_unreachable='process'). Other processes using this account "
                "may now exceed its budget and get 429 answers, which are retried.",
                reason,
                REPROBE_SECONDS,
            )
            return False
        raise FlashcatPacingError(
            f"pacing='prefect' needs the Prefect API ({_prefect_api_url() or 'PREFECT_API_URL unset'}) "
            f"to take a slot of the account's rate limits, and it did not answer ({reason}); "
            "nothing was sent. Start the Prefect server or point PREFECT_API_URL at it, or set "
            "the block's when_prefect_unreachable='process' to pace each process alone "
            "meanwhile, or pacing='process'."
        ) from None


_pacers: dict[tuple[str, str, RateLimit, str], PrefectPacer] = {}
_pacers_lock = threading.Lock()


def shared_pacer(
    fingerprint: str, scope: str, budget: RateLimit, when_unreachable: WhenUnreachable
) -> PrefectPacer:
    """The process-wide pacer for one account, budget and fallback choice."""
    key = (fingerprint, scope, budget, when_unreachable)
    with _pacers_lock:
        pacer = _pacers.get(key)
        if pacer is None:
            pacer = _pacers[key] = PrefectPacer(fingerprint, scope, budget, when_unreachable)
        return pacer


def pacing_stats() -> PacingStats:
    """The account-wide pacing figures of this process, summed over its pacers."""
    total = PacingStats()
    with _pacers_lock:
        pacers = list(_pacers.values())
    for pacer in pacers:
        for name in ("grants", "grant_seconds", "denials", "busy", "waited_seconds"):
            setattr(total, name, getattr(total, name) + getattr(pacer.stats, name))
    return total
