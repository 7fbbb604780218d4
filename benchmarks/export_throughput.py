"""Incidents per second of the metrics export flow vs. a plain sequential httpx loop.

Both read the 90 days of seeded incidents through ``/incident/list``, 100 items a page,
following each window's cursor to the end: the loop in the longest windows the API allows
(31 days, the fewest pages), the flow in its own windows (a few more pages). The loop only
fetches and decodes JSON; the flow also types, de-duplicates, writes Parquet and CSV,
computes the summary, renders the chart and publishes artifacts under Prefect.

Three settings, each against a fresh emulator in its own process (so server and client do
not share one interpreter):

  (a) no added latency, no rate limits   target: flow >= 0.8 x loop
  (b) 50 ms latency per request          target: flow >= 3 x loop
  (c) 50 ms latency, Flashduty's limits  target: >= 90% of the request rate the limits
      (50/s within 1000/min) allow over the flow's requests, and no failed request

The loop and the flow each run in a child process, so the peak memory printed (max RSS) is
theirs alone; the flow child talks to one temporary Prefect server started here.

    python benchmarks/export_throughput.py [--incidents 100000] [--settings a,b,c] [--repeat N]
    python benchmarks/export_throughput.py --incidents 1000000
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DAY = 86_400
RANGE_DAYS = 90
LATENCY = 0.05
PER_SECOND, PER_MINUTE = 50, 1000
KEY_ENV = "FLASHCAT_BENCH_APP_KEY"


@dataclass(frozen=True)
class Setting:
    name: str
    latency: float
    rate_limits: bool
    goal: str


SETTINGS = {
    "a": Setting("a", 0.0, False, "flow >= 0.8 x loop"),
    "b": Setting("b", LATENCY, False, "flow >= 3 x loop"),
    "c": Setting("c", LATENCY, True, ">= 90% of the allowed request rate, no failed request"),
}


# -- the emulator, in its own process -------------------------------------------------------


def _serve(incidents: int, latency: float, rate_limits: bool, conn: Any) -> None:
    """Child process: serve an emulator and answer the parent's commands over ``conn``."""
    from flashcat_prefect.emulator import FlashcatEmulator

    now = int(time.time()) // 3600 * 3600  # fixed, so a reset rebuilds the same incidents
    with FlashcatEmulator(
        seed="demo", incidents=incidents, latency=latency, rate_limits=rate_limits, now=now
    ) as emu:
        conn.send((emu.url, emu.app_key, emu.state.now))
        while (command := conn.recv()) != "stop":
            if command == "reset":  # fresh data, request log and rate-limit windows
                emu.reset()
                conn.send(None)
            elif command == "requests":
                entries = emu.request_log.entries
                conn.send(
                    {
                        "requests": len(entries),
                        "total": emu.request_log.count(),
                        "failed": sum(1 for e in entries if e.status != 200),
                        "failed_codes": sorted(
                            {e.code or str(e.status) for e in entries if e.status != 200}
                        ),
                        "first": min((e.time for e in entries), default=0.0),
                        "last": max((e.time for e in entries), default=0.0),
                        "failed_times": [e.time for e in entries if e.status != 200],
                    }
                )


class EmulatorProcess:
    """A served emulator in a child process: ``url``, ``app_key``, ``now``."""

    def __init__(self, incidents: int, setting: Setting) -> None:
        self.rate_limits = setting.rate_limits
        context = mp.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(incidents, setting.latency, setting.rate_limits, child)
        )

    def __enter__(self) -> EmulatorProcess:
        self._process.start()
        self.url, self.app_key, self.now = self._conn.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.send("stop")
        self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.terminate()

    def ask(self, command: str) -> Any:
        self._conn.send(command)
        return self._conn.recv()


# -- the two measured children ---------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run_loop(url: str, start: int, end: int) -> dict[str, Any]:
    """The baseline: one keep-alive connection, the longest windows the API accepts (the
    fewest pages), window after window, cursor to the end."""
    from flashcat_prefect.flows.metrics import MAX_INCIDENT_LIST_SPAN, plan_windows

    params = {"app_key": os.environ[KEY_ENV]}
    seen: set[str] = set()  # windows share their edge second: count each incident once
    pages = 0
    began = time.perf_counter()
    windows = plan_windows(start, end, window_seconds=MAX_INCIDENT_LIST_SPAN)
    with httpx.Client(base_url=url, params=params, timeout=60) as http:
        for window in windows:
            body: dict[str, Any] = {
                "start_time": window.start,
                "end_time": window.end,
                "limit": 100,
                "asc": True,
            }
            while True:
                response = http.post("/incident/list", json=body)
                if response.status_code == 429:  # the loop waits politely too
                    time.sleep(float(response.headers.get("Retry-After", "1")))
                    continue
                response.raise_for_status()
                data = response.json()["data"]
                pages += 1
                seen.update(item["incident_id"] for item in data["items"])
                cursor = data.get("search_after_ctx")
                if not cursor:
                    break
                body = {**body, "search_after_ctx": cursor}
    seconds = time.perf_counter() - began
    return {"incidents": len(seen), "pages": pages, "seconds": seconds, "peak_mb": peak_rss_mb()}


def run_flow(url: str, start: int, end: int, workers: int, paced: bool) -> dict[str, Any]:
    from flashcat_prefect.credentials import FlashcatCredentials
    from flashcat_prefect.flows.metrics import export_incident_metrics

    # Without server limits the client need not pace either; with them, Flashduty's defaults.
    budget = {} if paced else {"requests_per_second": 100_000, "requests_per_minute": 10**7}
    credentials = FlashcatCredentials(app_key=os.environ[KEY_ENV], base_url=url, **budget)
    with tempfile.TemporaryDirectory() as out:
        began = time.perf_counter()
        report = export_incident_metrics(
            credentials=credentials,
            start=start,
            end=end,
            output_dir=out,
            concurrency=workers or None,
        )
        seconds = time.perf_counter() - began
    return {
        "prefect_seconds": bare_flow_run_seconds(),
        "incidents": report.incident_count,
        "pages": report.pages,
        "windows": report.windows,
        "concurrency": report.concurrency,
        "seconds": seconds,
        "phases": report.phase_seconds,
        "peak_mb": peak_rss_mb(),
    }


def bare_flow_run_seconds() -> float:
    """Wall time of an empty flow run in this process (after the export, so already warm):
    what Prefect itself costs any flow run here."""
    from prefect import flow

    @flow(name="empty-flow-for-comparison")
    def empty() -> None:
        return None

    began = time.perf_counter()
    empty()
    return time.perf_counter() - began


def child_main(args: argparse.Namespace) -> None:
    if args.child == "loop":
        result = run_loop(args.url, args.start, args.end)
    else:
        result = run_flow(args.url, args.start, args.end, args.workers, args.paced)
    print("RESULT " + json.dumps(result))


def measure(kind: str, emu: EmulatorProcess, args: argparse.Namespace, env: dict[str, str]) -> dict:
    start, end = emu.now - RANGE_DAYS * DAY, emu.now
    command = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--url",
        emu.url,
        "--start",
        str(start),
        "--end",
        str(end),
        "--workers",
        str(args.workers),
        *(["--paced"] if emu.rate_limits else []),
    ]
    done = subprocess.run(
        command, env={**env, KEY_ENV: emu.app_key}, capture_output=True, text=True, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not lines:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"the {kind} child failed (exit {done.returncode})")
    return json.loads(lines[-1][len("RESULT ") :])


# -- request-rate accounting for setting (c) -------------------------------------------------


def fastest_seconds(requests: int) -> float:
    """The shortest time the limits allow for ``requests`` calls (first call at 0 s):
    bursts of 1000 at 50/s, each burst starting a minute after the previous one."""
    if requests <= 1:
        return 0.0
    bursts, rest = divmod(requests - 1, PER_MINUTE)
    return bursts * 60.0 + rest / PER_SECOND


def request_stats(emu: EmulatorProcess) -> dict[str, Any]:
    """Requests the emulator answered since the last reset, their span and failures."""
    log = emu.ask("requests")
    span = log["last"] - log["first"]
    return {
        **log,
        "span": span,
        "allowed_fraction": fastest_seconds(log["requests"]) / span if span else 1.0,
        "truncated": log["total"] > log["requests"],
    }


# -- the driver ------------------------------------------------------------------------------


def run_setting(setting: Setting, args: argparse.Namespace, env: dict[str, str]) -> None:
    print(
        f"\n({setting.name}) latency {setting.latency * 1000:.0f} ms, rate limits "
        f"{'on' if setting.rate_limits else 'off'}; goal: {setting.goal}",
        flush=True,
    )
    loops, flows = [], []
    repeat = args.repeat or (5 if setting.name == "a" else 1)
    with EmulatorProcess(args.incidents, setting) as emu:
        for _ in range(repeat):  # alternate, so a change in machine load hits both
            emu.ask("reset")  # fresh data, rate-limit windows and request log
            loops.append(measure("loop", emu, args, env))
            emu.ask("reset")
            flows.append(measure("flow", emu, args, env))
            stats = request_stats(emu)  # of the last flow run
    if repeat > 1:
        print(
            "  all runs (s): loop "
            + ", ".join(f"{r['seconds']:.1f}" for r in loops)
            + "; flow "
            + ", ".join(f"{r['seconds']:.1f}" for r in flows)
        )
    loop = min(loops, key=lambda r: r["seconds"])  # best of each
    flow = min(flows, key=lambda r: r["seconds"])
    for label, result in (("loop", loop), ("flow", flow)):
        rate = result["incidents"] / result["seconds"]
        print(
            f"  {label:4}: {result['incidents']:>9,} incidents, {result['pages']:>6,} pages in "
            f"{result['seconds']:7.1f} s = {rate:9,.0f} incidents/s; peak memory "
            f"{result['peak_mb']:,.0f} MB",
            flush=True,
        )
    phases = ", ".join(f"{name} {value:.1f} s" for name, value in flow["phases"].items())
    print(
        f"        flow: {flow['windows']} windows, {flow['concurrency']} at a time; "
        f"phases: {phases}; the rest is Prefect's flow-run overhead (an empty flow run "
        f"takes {flow['prefect_seconds']:.1f} s here)"
    )
    ratio = (flow["incidents"] / flow["seconds"]) / (loop["incidents"] / loop["seconds"])
    print(f"  flow/loop ratio: {ratio:.2f}")
    if flow["incidents"] != loop["incidents"]:
        print(
            f"  MISMATCH: the flow exported {flow['incidents']}, the loop saw {loop['incidents']}"
        )
    rate = stats["requests"] / stats["span"] if stats["span"] else float("nan")
    allowed = (
        f"{stats['allowed_fraction']:.0%} of what {PER_SECOND}/s within {PER_MINUTE}/min allows; "
        if setting.rate_limits
        else ""
    )
    print(
        f"  flow requests: {stats['requests']:,} over {stats['span']:.1f} s = {rate:.1f}/s; "
        f"{allowed}failed (non-200) answers: {stats['failed']} {' '.join(stats['failed_codes'])}"
        + (
            " at "
            + ", ".join(f"{t - stats['first']:.1f} s" for t in stats["failed_times"][:5])
            + " after the first request"
            if stats["failed_times"]
            else ""
        )
        + (" (request log truncated)" if stats["truncated"] else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--settings", default="a,b,c", help="comma-separated: a, b, c")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="windows the flow fetches at once (default: the flow's own choice)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=0,
        help="runs of each, best one shown (default: 5 in setting a, whose runs take seconds "
        "and vary most; 1 in b and c)",
    )
    parser.add_argument("--child", choices=("loop", "flow"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--end", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--paced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args)
        return

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    print(
        f"export throughput: {args.incidents:,} incidents over {RANGE_DAYS} days, "
        f"{args.workers or 'automatic'} windows at once, {os.cpu_count()} CPUs"
    )
    with prefect_test_harness(server_startup_timeout=120):
        env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        for name in args.settings.split(","):
            run_setting(SETTINGS[name.strip()], args, env)


if __name__ == "__main__":
    main()
