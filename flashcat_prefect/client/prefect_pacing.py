"""Account-wide pacing (``pacing="prefect"``): Prefect global concurrency limits as the
account's shared budget.

Every request is covered by a slot of its account's limits on the Prefect server, taken
through Prefect's own ``rate_limit`` (``prefect.concurrency.sync`` / ``.asyncio``), so every
process, worker and machine that reaches the same Prefect API shares one budget. A process
asks for the slots of :data:`REQUESTS_PER_GRANT` requests at a time and spends them within
:data:`GRANT_MAX_AGE_SECONDS`; its own limiter still spaces its calls.

Limits, created on first use when missing (never overwritten, so ``prefect gcl update``
tunes them for good), for an account whose fingerprint is ``<fp>``::

    flashcat-account-<fp>-per-second          <= per-second budget in any second
    flashcat-account-<fp>-per-minute          <= per-minute budget in any minute
    flashcat-account-<fp>-export-per-second   the export endpoints' class (1/s ...)
    flashcat-account-<fp>-export-per-minute   (... and 10/min), taken on top of the above

A Prefect rate limit is a bucket of ``limit`` slots that refills at
``slot_decay_per_second``: after a quiet spell a burst of ``limit`` goes at once, then the
refill rate holds. Flashduty counts a sliding window instead, so a window of ``T`` seconds
can see the burst plus ``T`` seconds of refill. Each limit is therefore split so that the two
together stay within the budget: ``burst + refill * T - 1 <= budget`` (one second: room for
two grants, 6 requests, the rest refilled evenly; one minute: half as a burst, half refilled).
Slots spent up to 0.25 s after their grant could in theory add a few requests to a second;
the benchmark measured at most 47 of 50.

Slots are counted in thousandths of a request (:data:`SLOTS_PER_REQUEST`): Prefect 3.9 decays
``floor(slot_decay_per_second * seconds since the limit last changed)`` and every grant or
denial restarts that clock, so a limit whose refill is under one slot between two requests
(1000/60 per second while requests come every 20 ms) would hardly refill at all.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import Literal

import httpx

from flashcat_prefect.api.catalog import RateLimit
from flashcat_prefect.client.errors import FlashcatError

Pacing = Literal["process", "prefect"]
WhenUnreachable = Literal["fail", "process"]

SLOTS_PER_REQUEST = 1000
"""One request occupies this many slots of a Prefect limit (see the module docstring)."""

REQUESTS_PER_GRANT = 3
"""A process takes slots for this many requests per round trip to the Prefect server (fewer
when a limit holds fewer): one grant per request would make the Prefect server, not the
account, the bottleneck (about 30 ms per grant on a busy 2-core machine)."""

GRANT_MAX_AGE_SECONDS = 0.25
"""Slots of a grant left unused this long are dropped: a slot spent long after it was granted
would add to a later second's count."""

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
    a window sees at most ``burst + refill - 1`` grants."""
    burst = max(1, min(budget, burst))
    refill_per_window = max(1, budget - burst + 1)
    return GlobalLimit(
        name=name,
        limit=burst * SLOTS_PER_REQUEST,
        slot_decay_per_second=round(refill_per_window * SLOTS_PER_REQUEST / window_seconds, 3),
    )


def limits_for_class(fingerprint: str, scope: str, label: str, budget: RateLimit) -> tuple[GlobalLimit, ...]:
    """The per-second and per-minute limits of one rate-limit class of one account."""
    stem = f"{LIMIT_NAME_PREFIX}-{scope}-{fingerprint}-{label + '-' if label else ''}per-"
    return (
        _bucket(stem + "second", budget.per_second, 1.0, burst=2 * REQUESTS_PER_GRANT),
        _bucket(stem + "minute", budget.per_minute, 60.0, burst=budget.per_minute // 2),
    )


# -- talking to the Prefect API ------------------------------------------------------------

_created: set[str] = set()
_created_lock = threading.Lock()


def _prefect_api_url() -> str | None:
    from prefect.settings import get_current_settings

    return get_current_settings().api.url


def ensure_limits(limits: tuple[GlobalLimit, ...]) -> None:
    """Create the limits that do not exist yet (once per process; existing ones are kept)."""
    missing = [limit for limit in limits if limit.name not in _created]
    if not missing:
        return
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
    from prefect.exceptions import ObjectAlreadyExists

    with _created_lock, get_client(sync_client=True) as client:
        for limit in missing:
            try:
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(
                        name=limit.name, limit=limit.limit,
                        slot_decay_per_second=limit.slot_decay_per_second,
                    )
                )
                logger.info("created Prefect rate limit %s", limit.name)
            except ObjectAlreadyExists:
                pass
            _created.add(limit.name)


def _forget_created(limits: tuple[GlobalLimit, ...]) -> None:
    with _created_lock:
        _created.difference_update(limit.name for limit in limits)


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


def _names(limits: tuple[GlobalLimit, ...]) -> list[str]:
    return [limit.name for limit in limits]


def _is_missing_limit(exc: BaseException) -> bool:
    return "must be created before acquiring slots" in str(exc)


class PrefectPacer:
    """Takes one slot of an account's Prefect limits per request; falls back or fails when the
    Prefect API does not answer, as ``when_unreachable`` says."""

    def __init__(self, fingerprint: str, scope: str, budget: RateLimit,
                 when_unreachable: WhenUnreachable) -> None:
        self.fingerprint = fingerprint
        self.scope = scope
        self.when_unreachable = when_unreachable
        self.base_limits = limits_for_class(fingerprint, scope, "", budget)
        self._fallback_until = 0.0
        self._lock = threading.Lock()
        self._unused: dict[tuple[str, ...], tuple[int, float]] = {}
        self._grant_size: dict[tuple[str, ...], int] = {}

    def limits_for(self, class_label: str | None, class_budget: RateLimit | None) -> tuple[GlobalLimit, ...]:
        """The limits one request takes: a stricter class's first, then the account's."""
        if class_label is None or class_budget is None:
            return self.base_limits
        return limits_for_class(self.fingerprint, self.scope, class_label, class_budget) + self.base_limits

    # The two entry points: each returns True when Prefect granted the slot, False when this
    # request is paced by the process alone (fallback), and raises FlashcatPacingError.

    def take(self, limits: tuple[GlobalLimit, ...]) -> bool:
        """Block until every limit grants a slot (sync clients)."""
        from prefect.concurrency.sync import rate_limit

        if (covered := self._without_prefect(limits)) is not None:
            return covered
        for attempt in range(3):
            try:
                size = self._prepare(limits)
                rate_limit(_names(limits), occupy=size * SLOTS_PER_REQUEST, strict=True)
            except Exception as exc:  # sorted out by _handle
                if self._handle(exc, limits, attempt):
                    continue
                return False
            return self._granted(limits, size)
        return False  # pragma: no cover - _handle raises on the last attempt

    async def atake(self, limits: tuple[GlobalLimit, ...]) -> bool:
        """Async twin of :meth:`take` (async clients)."""
        from prefect.concurrency.asyncio import rate_limit

        if (covered := self._without_prefect(limits)) is not None:
            return covered
        for attempt in range(3):
            try:
                size = await asyncio.to_thread(self._prepare, limits)
                await rate_limit(_names(limits), occupy=size * SLOTS_PER_REQUEST, strict=True)
            except Exception as exc:  # sorted out by _handle
                if not self._handle(exc, limits, attempt):
                    return False
            else:
                return self._granted(limits, size)
        return False  # pragma: no cover

    def _without_prefect(self, limits: tuple[GlobalLimit, ...]) -> bool | None:
        """False while falling back, True when a slot of the last grant is left, else None."""
        if self._falling_back():
            return False
        return True if self._use_unused(limits) else None

    def _prepare(self, limits: tuple[GlobalLimit, ...]) -> int:
        """Check there is a Prefect API, create missing limits; the number of requests to ask for."""
        self._check_api()
        ensure_limits(limits)
        return self._size_of_grant(limits)

    def _granted(self, limits: tuple[GlobalLimit, ...], size: int) -> bool:
        self._keep_unused(limits, size - 1)
        return True

    # -- grants for several requests --------------------------------------------------------

    def _size_of_grant(self, limits: tuple[GlobalLimit, ...]) -> int:
        key = tuple(limit.name for limit in limits)
        smallest = min(limit.limit for limit in limits) // SLOTS_PER_REQUEST
        return self._grant_size.get(key, max(1, min(REQUESTS_PER_GRANT, smallest)))

    def _keep_unused(self, limits: tuple[GlobalLimit, ...], count: int) -> None:
        if count > 0:
            key = tuple(limit.name for limit in limits)
            with self._lock:
                left, _ = self._unused.get(key, (0, 0.0))
                self._unused[key] = (left + count, time.monotonic())

    def _use_unused(self, limits: tuple[GlobalLimit, ...]) -> bool:
        """Use a slot left from this process's last grant, if it is fresh enough."""
        key = tuple(limit.name for limit in limits)
        with self._lock:
            left, granted_at = self._unused.get(key, (0, 0.0))
            if left <= 0 or time.monotonic() - granted_at > GRANT_MAX_AGE_SECONDS:
                return False
            self._unused[key] = (left - 1, granted_at)
            return True

    # -- failures ------------------------------------------------------------------------

    def _check_api(self) -> None:
        if not _prefect_api_url():
            raise ConnectionError("PREFECT_API_URL is not set, so there is no shared Prefect server")

    def _falling_back(self) -> bool:
        with self._lock:
            return time.monotonic() < self._fallback_until

    def _handle(self, exc: Exception, limits: tuple[GlobalLimit, ...], attempt: int) -> bool:
        """Decide after a failed take: True to try again, False to fall back; else raise."""
        if _is_missing_limit(exc) and attempt < 2:
            _forget_created(limits)  # deleted behind our back: create them again
            return True
        if "greater than the limit" in str(exc) and attempt < 2:
            with self._lock:  # a limit tuned below one grant: take one request at a time
                self._grant_size[tuple(limit.name for limit in limits)] = 1
            return True
        names = ", ".join(limit.name for limit in limits)
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
                reason, REPROBE_SECONDS,
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


def shared_pacer(fingerprint: str, scope: str, budget: RateLimit, when_unreachable: WhenUnreachable) -> PrefectPacer:
    """The process-wide pacer for one account, budget and fallback choice."""
    key = (fingerprint, scope, budget, when_unreachable)
    with _pacers_lock:
        pacer = _pacers.get(key)
        if pacer is None:
            pacer = _pacers[key] = PrefectPacer(fingerprint, scope, budget, when_unreachable)
        return pacer
