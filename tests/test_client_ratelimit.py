"""Client-side pacing: bursts stay within the per-second budget as the server counts it,
clients of one account share the budget, exports use their stricter class.

Arrival times are stamped by an emulator in a process of its own: a server in this process
would share the interpreter lock with the sending threads and stamp arrivals late and
bunched (a burst paced at 50 per second measured 46 to 54 that way).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from flashcat_prefect import FlashcatCredentials
from flashcat_prefect.client import RateLimiter
from flashcat_prefect.client.ratelimit import wait_for_send_slot
from tests.emulator_process import start_emulator_process, stop_emulator_process


@pytest.fixture(scope="module")
def served() -> Iterator[dict[str, str]]:
    """One emulator process (empty seed, no server-side limits) for this module."""
    process, facts = start_emulator_process("--seed", "empty", "--no-rate-limits")
    try:
        yield facts
    finally:
        stop_emulator_process(process)


def control(served: dict[str, str], route: str) -> httpx.Response:
    return httpx.post(f"{served['url']}/_emulator/{route}", params={"app_key": served["key"]})


def arrivals(served: dict[str, str], path: str) -> list[float]:
    """When the emulator saw each request to ``path`` (its own clock), since the last clear."""
    log = httpx.get(f"{served['url']}/_emulator/requests", params={"app_key": served["key"]})
    return [entry["time"] for entry in log.json()["data"]["entries"] if entry["path"] == path]


@pytest.fixture
def emulator_url(served: dict[str, str]) -> dict[str, str]:
    """The served emulator with an empty request log."""
    control(served, "requests/clear").raise_for_status()
    return served


def max_in_any_window(times: list[float], window: float) -> int:
    """The largest number of timestamps inside any half-open window [t, t + window)."""
    ordered = sorted(times)
    best, start = 0, 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


JITTER_SLACK = 1
"""Arrivals a one-second window may hold beyond the budget. The client spaces sends 10% wider
than the budget, but on a loaded test machine the emulator's process can be kept off the CPU
for a tenth of a second and then stamp a backlog at once (seen: 41 in a second at 40/s). An
unpaced burst of the same size counts all of its requests in one second."""


def assert_paced(times: list[float], per_second: int) -> None:
    """At most ``per_second`` (plus the jitter slack) in any second, and no faster on average."""
    assert max_in_any_window(times, 1.0) <= per_second + JITTER_SLACK
    assert max(times) - min(times) >= (len(times) - 1) / per_second


def test_window_counter() -> None:
    assert max_in_any_window([0.0, 0.5, 0.99, 1.0, 1.5], 1.0) == 3
    assert max_in_any_window([], 1.0) == 0


def test_burst_of_200_from_threads_stays_within_the_per_second_budget(
    emulator_url: dict[str, str],
) -> None:
    credentials = FlashcatCredentials(
        app_key=emulator_url["key"], base_url=emulator_url["url"], requests_per_second=50
    )

    def worker(calls: int) -> None:
        # Each thread builds its own client: the budget must still be one per account.
        with credentials.get_client() as client:
            for _ in range(calls):
                client.members.list(p=1, limit=1)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(worker, [50] * 4))
    times = arrivals(emulator_url, "/member/list")
    assert len(times) == 200
    assert_paced(times, 50)


def test_async_burst_stays_within_the_per_second_budget(emulator_url: dict[str, str]) -> None:
    credentials = FlashcatCredentials(
        app_key=emulator_url["key"], base_url=emulator_url["url"], requests_per_second=40
    )

    async def burst() -> None:
        async with (
            credentials.get_async_client() as first,
            credentials.get_async_client() as second,
        ):
            await asyncio.gather(
                *((first if n % 2 else second).members.list(p=1, limit=1) for n in range(120))
            )

    asyncio.run(burst())
    times = arrivals(emulator_url, "/member/list")
    assert len(times) == 120
    assert_paced(times, 40)


def test_export_endpoints_use_their_stricter_class(emulator_url: dict[str, str]) -> None:
    credentials = FlashcatCredentials(app_key=emulator_url["key"], base_url=emulator_url["url"])
    with credentials.get_client() as client:
        for _ in range(3):
            client.insights.export_incidents(start_time=1_700_000_000, end_time=1_700_086_400)
    times = arrivals(emulator_url, "/insight/incident/export")
    assert len(times) == 3
    assert max_in_any_window(times, 1.0) == 1


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_per_minute_budget_is_enforced() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_second=5, per_minute=12, margin=0.0, clock=clock)
    slots = [limiter.reserve() for _ in range(13)]
    assert max_in_any_window(slots, 1.0) <= 5
    assert max_in_any_window(slots, 60.0) == 12
    assert slots[12] - slots[0] >= 60.0
    # Once time has moved on, the next slot is free at once.
    clock.now = slots[-1] + 61.0
    assert limiter.reserve() == clock.now


def test_callers_that_wake_late_still_send_one_by_one() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_second=10, per_minute=1000, margin=0.0, clock=clock)
    booked = [limiter.reserve() for _ in range(3)]
    assert booked == [1000.0, 1000.1, 1000.2]
    # The machine stalls: all three sleepers wake together, well after their slots.
    clock.now = 1005.0
    sends = [limiter.confirm() for _ in range(3)]
    assert sends == [1005.0, 1005.1, 1005.2]


def test_a_coroutine_woken_late_books_a_new_send_slot() -> None:
    """On a busy event loop a sleep can end long after its slot; the late sender re-books
    instead of going out together with the senders that were due after it."""
    clock = FakeClock()
    limiter = RateLimiter(per_second=10, per_minute=1000, margin=0.0, clock=clock)
    stalls = iter([3.0, 0.0])  # the first wake-up comes 3 s late, the second on time

    async def busy_sleep(seconds: float) -> None:
        clock.now += seconds + next(stalls)

    async def main() -> None:
        real_sleep = asyncio.sleep
        asyncio.sleep = busy_sleep  # type: ignore[assignment]
        try:
            await wait_for_send_slot((limiter,), clock=clock)
        finally:
            asyncio.sleep = real_sleep  # type: ignore[assignment]

    asyncio.run(main())
    assert len(limiter._sent) == 2  # booked twice: the late slot was given up
    assert clock.now == limiter._sent[-1]  # and the request goes at its new slot
