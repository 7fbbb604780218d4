"""One worker thread that runs the export's work off the flow's own thread.

A :class:`WorkerThread` runs blocking jobs one at a time (the Parquet writer, the CSV
conversion) or one coroutine on a fresh event loop of its own (the window fetch, so the flow
works the same whether or not its caller already runs a loop). Jobs run in a copy of the
caller's context (the flow run's, for Prefect). A failed job raises its error to whoever waits
for it next; a caller interrupted while waiting (Ctrl-C, a cancelled run) cancels the
coroutine rather than leaving it to finish. Leaving the ``with`` block joins the thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import queue
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")


class WorkerThread:
    """A named worker thread: at most one job queued behind the running one.

    :meth:`hand_off` returns at once (after the previous job has finished, so at most one job's
    input waits in memory); :meth:`wait` blocks until the last job is done; :meth:`run_async`
    blocks on a coroutine run on the thread's own event loop. Safe to call from many threads.

    The thread starts here, not on the first job: a Ctrl-C that lands while a thread is being
    started leaves that thread unknown to whoever started it, so it must never be running a
    job by then. It is a daemon thread, so such an idle orphan never holds up the exit.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._handoff = threading.Lock()  # one caller at a time hands a job over
        self._pending: Future[Any] | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def hand_off(self, job: Callable[..., Any], *args: Any) -> None:
        """Queue ``job(*args)`` once the previous job is done; raise that job's failure."""
        with self._handoff:
            self._wait_for_pending()
            self._pending = self._submit(job, *args)

    def wait(self) -> None:
        """Block until the job handed off last is done; raise its failure."""
        with self._handoff:
            self._wait_for_pending()

    def _wait_for_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def run_async(self, main: Callable[..., Coroutine[Any, Any, T]], *args: Any) -> T:
        """``await main(*args)`` on a new event loop on this thread; block for the result.

        If the waiting thread is interrupted, the coroutine is cancelled (its ``finally``
        blocks run on the loop) and the interruption is raised.
        """
        call = _LoopCall(main, args)
        try:
            with self._handoff:
                self._wait_for_pending()
                outcome = self._submit(call.run)
            return outcome.result()
        except BaseException:
            call.cancel()  # a no-op once the coroutine has ended
            raise

    def _submit(self, job: Callable[..., Any], *args: Any) -> Future[Any]:
        """Queue ``job(*args)`` in a copy of the caller's context; its future tells the end."""
        if self._closed:
            raise RuntimeError(f"worker thread {self.name!r} is closed")
        future: Future[Any] = Future()
        context = contextvars.copy_context()

        def run() -> None:  # nobody else holds the future, so it is never cancelled
            try:
                result = context.run(job, *args)
            except BaseException as error:  # handed to the waiting thread, as an executor does
                future.set_exception(error)
            else:
                future.set_result(result)

        self._jobs.put(run)
        return future

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            job()

    def close(self, *, raise_failure: bool = True) -> None:
        """Wait for the last job (raising its failure unless told not to) and join the thread."""
        try:
            self.wait()
        except Exception:
            if raise_failure:
                raise
        finally:
            self._closed = True
            self._jobs.put(None)
            self._thread.join()

    def __enter__(self) -> WorkerThread:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.close(raise_failure=exc_type is None)  # after a failure, report the first one


class _LoopCall:
    """One coroutine run on a loop of its own, cancellable from another thread."""

    def __init__(self, main: Callable[..., Coroutine[Any, Any, Any]], args: tuple[Any, ...]):
        self._main = main
        self._args = args
        self._lock = threading.Lock()
        self._cancelled = False
        self._task: asyncio.Task[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def run(self) -> Any:
        with asyncio.Runner() as runner:
            return runner.run(self._tracked())

    async def _tracked(self) -> Any:
        with self._lock:
            if self._cancelled:
                raise asyncio.CancelledError
            self._task = asyncio.current_task()
            self._loop = asyncio.get_running_loop()
        return await self._main(*self._args)

    def cancel(self) -> None:
        """Cancel the coroutine (or keep it from starting); a no-op once it has ended."""
        with self._lock:
            self._cancelled = True
            if self._task is not None and self._loop is not None:
                with contextlib.suppress(RuntimeError):  # the loop has already closed
                    self._loop.call_soon_threadsafe(self._task.cancel)
