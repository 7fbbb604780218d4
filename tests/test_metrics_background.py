"""The export's worker thread: jobs in order, failures raised, interruptions cancel, no leaks.

These run :class:`WorkerThread` directly (no Prefect, no HTTP): the export relies on it for
its fetch loop, its Parquet writer and its CSV conversion.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import signal
import threading
import time

import pytest

from flashcat_prefect.flows.metrics.background import WorkerThread

request_id = contextvars.ContextVar("request_id", default="unset")


def threads_named(prefix: str) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(prefix) and t.is_alive()]


def test_jobs_run_one_after_another_on_the_named_thread_in_the_callers_context():
    ran: list[tuple[int, str, str]] = []
    request_id.set("flow-run-7")

    def job(n: int) -> None:
        time.sleep(0.02 if n == 0 else 0)  # the first job is the slowest: order still holds
        ran.append((n, threading.current_thread().name, request_id.get()))

    with WorkerThread("bg-order") as worker:
        for n in range(3):
            worker.hand_off(job, n)
        worker.wait()
        assert [n for n, _, _ in ran] == [0, 1, 2]
    assert all(name.startswith("bg-order") for _, name, _ in ran)
    assert all(name != threading.current_thread().name for _, name, _ in ran)
    assert {context for _, _, context in ran} == {"flow-run-7"}
    assert threads_named("bg-order") == []


def test_at_most_one_job_waits_behind_the_running_one():
    release = threading.Event()
    handed: list[int] = []

    def slow() -> None:
        release.wait(10)

    with WorkerThread("bg-queue") as worker:
        worker.hand_off(slow)

        def hand_off_second() -> None:
            worker.hand_off(lambda: None)
            handed.append(2)

        second = threading.Thread(target=hand_off_second)
        second.start()
        second.join(0.2)
        assert handed == [], "the second job was queued while the first still ran"
        release.set()
        second.join(10)
        assert handed == [2]


def test_the_thread_runs_before_the_first_job_is_handed_over():
    """A Ctrl-C that lands while a thread is starting leaves that thread unknown to its starter
    (never joined, its coroutine never cancelled): so no job may be handed over that way."""
    with WorkerThread("bg-early"):
        assert len(threads_named("bg-early")) == 1
    assert threads_named("bg-early") == []


def test_a_failed_job_is_raised_to_whoever_waits_next():
    def broken() -> None:
        raise OSError("disk full")

    worker = WorkerThread("bg-fail")
    worker.hand_off(broken)
    with pytest.raises(OSError, match="disk full"):
        worker.hand_off(lambda: None)  # the next hand-off reports the failure
    worker.hand_off(broken)
    with pytest.raises(OSError, match="disk full"):
        worker.wait()
    worker.hand_off(broken)
    with pytest.raises(OSError, match="disk full"):
        worker.close()
    assert threads_named("bg-fail") == []


def test_leaving_the_block_after_an_error_keeps_that_error_and_joins_the_thread():
    def broken() -> None:
        raise OSError("second failure")

    with pytest.raises(ValueError, match="first failure"), WorkerThread("bg-first") as worker:
        worker.hand_off(broken)
        raise ValueError("first failure")
    assert threads_named("bg-first") == []


def test_a_coroutine_runs_on_a_loop_of_its_own_even_inside_a_running_loop():
    async def where() -> tuple[str, int]:
        await asyncio.sleep(0)
        return threading.current_thread().name, id(asyncio.get_running_loop())

    async def caller() -> tuple[tuple[str, int], int]:
        with WorkerThread("bg-loop") as worker:
            return worker.run_async(where), id(asyncio.get_running_loop())

    (thread_name, inner_loop), outer_loop = asyncio.run(caller())
    assert thread_name.startswith("bg-loop")
    assert inner_loop != outer_loop
    assert threads_named("bg-loop") == []


def test_a_failed_coroutine_raises_its_own_error():
    async def broken(message: str) -> None:
        await asyncio.sleep(0)
        raise LookupError(message)

    with pytest.raises(LookupError, match="no such window"), WorkerThread("bg-raise") as worker:
        worker.run_async(broken, "no such window")
    assert threads_named("bg-raise") == []


@pytest.mark.skipif(
    threading.current_thread() is not threading.main_thread(), reason="signals need the main thread"
)
def test_ctrl_c_while_waiting_cancels_the_coroutine_and_joins_the_thread():
    started = threading.Event()
    outcome: dict[str, object] = {}

    async def endless() -> None:
        started.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            outcome["cancelled"] = True
            raise
        finally:
            outcome["cleaned_up_on"] = threading.current_thread().name

    def press_ctrl_c() -> None:
        if started.wait(10):
            os.kill(os.getpid(), signal.SIGINT)

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    presser = threading.Thread(target=press_ctrl_c)
    began = time.monotonic()
    try:
        presser.start()
        with pytest.raises(KeyboardInterrupt), WorkerThread("bg-interrupt") as worker:
            worker.run_async(endless)
    finally:
        signal.signal(signal.SIGINT, previous)
        presser.join(10)
    assert time.monotonic() - began < 30, "the coroutine was left to run to its end"
    assert outcome == {"cancelled": True, "cleaned_up_on": outcome["cleaned_up_on"]}
    assert str(outcome["cleaned_up_on"]).startswith("bg-interrupt")
    assert threads_named("bg-interrupt") == []
