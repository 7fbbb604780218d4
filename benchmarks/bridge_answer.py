"""How fast the webhook bridge answers Flashduty, next to a trivial endpoint in the same run.

Flashduty wants an HTTP 200 within 1 s (custom actions) or 2 s (incident and alert
webhooks). The bridge answers before doing the routed work, so its answer time should stay
close to a bare endpoint's even while every webhook's work is slow; what it adds is the
journal write (an fsync) that makes the webhook survive a restart. The work here is a
stand-in that sleeps ``--work-seconds`` (a Prefect API call takes tens of milliseconds).

    PYTHONPATH=. .venv/bin/python benchmarks/bridge_answer.py --webhooks 500 --concurrency 20

(``PYTHONPATH=.`` is only needed while the package is not installed.)
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from flashcat_prefect.bridge import Dispatcher, WebhookBridge, parse_routes
from flashcat_prefect.emulator.runner import BackgroundServer


def webhook() -> dict[str, Any]:
    return {
        "event_time": int(time.time() * 1000),
        "event_type": "i_custom",
        "event_id": uuid.uuid4().hex,
        "incident": {
            "incident_id": uuid.uuid4().hex[:24],
            "title": "bench",
            "channel_id": 2001,
            "incident_severity": "Critical",
            "labels": {"service": "checkout"},
        },
    }


async def answer_times(url: str, count: int, concurrency: int) -> list[float]:
    """Seconds from sending each webhook to having its answer."""
    slots = asyncio.Semaphore(concurrency)
    times: list[float] = []

    async with httpx.AsyncClient(timeout=30) as client:

        async def send_one() -> None:
            async with slots:
                started = time.perf_counter()
                response = await client.post(url, json=webhook())
                times.append(time.perf_counter() - started)
                response.raise_for_status()

        await asyncio.gather(*(send_one() for _ in range(count)))
    return times


def describe(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return (
        f"{label:<10} p50 {statistics.median(ordered) * 1000:7.1f} ms   "
        f"p95 {p95 * 1000:7.1f} ms   max {ordered[-1] * 1000:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--webhooks", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--work-seconds", type=float, default=0.2)
    args = parser.parse_args()

    async def slow_work(route: Any, body: Any, facts: Any) -> str:
        await asyncio.sleep(args.work_seconds)
        return "done"

    baseline = Starlette(
        routes=[Route("/webhook", lambda request: JSONResponse({"ok": True}), methods=["POST"])]
    )
    journal = (
        Path(tempfile.mkdtemp()) / "journal.sqlite3"
    )  # each accepted webhook is written here first
    bridge = WebhookBridge(
        parse_routes([{"name": "runbook", "deployment": {"name": "runbook/default"}}]),
        dispatcher=Dispatcher(actions={"deployment": slow_work}, max_concurrency=8),
        max_pending=args.webhooks,
        journal=journal,
    )
    print(
        f"{args.webhooks} webhooks, {args.concurrency} at a time, "
        f"work {args.work_seconds * 1000:.0f} ms each (8 in parallel)"
    )
    with BackgroundServer(baseline) as server:
        url = server.url
        print(
            describe(
                "baseline",
                asyncio.run(answer_times(f"{url}/webhook", args.webhooks, args.concurrency)),
            )
        )
    with BackgroundServer(bridge.app) as server:
        url = server.url
        started = time.perf_counter()
        times = asyncio.run(answer_times(f"{url}/webhook", args.webhooks, args.concurrency))
        answered = time.perf_counter() - started
        print(describe("bridge", times))
        bridge.wait_idle()
        drained = time.perf_counter() - started
    bridge.close()
    shutil.rmtree(journal.parent)
    print(f"all answers after {answered:.2f} s; background work done after {drained:.2f} s")
    print("Flashduty's window: 1000 ms (custom actions), 2000 ms (incident and alert webhooks)")


if __name__ == "__main__":
    main()
