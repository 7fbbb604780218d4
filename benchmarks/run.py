"""All benchmark figures in one table, each next to a baseline measured in the same run.

    python benchmarks/run.py [--calls 300] [--task-calls 30] [--incidents 50000]

What it measures, against an emulator served from its own process (rate limits off, so
the figures are our cost, not the budget's):

- per call: ``FlashcatClient.request`` and a typed method (``client.members.list``), and an
  endpoint task (``list_members``, a Prefect task run on a temporary Prefect API) against
  the same ``POST /member/list`` through a bare ``httpx.Client``;
- task cost, inside one flow: the endpoint task against a plain ``@task`` making the same
  single httpx call, and Prefect's empty task against that plain task (``--only tasks``
  runs just these rows);
- export throughput: incidents per second of the metrics export flow against a plain
  sequential httpx loop over the same pages (``benchmarks/export_throughput.py``, setting a,
  with a smaller dataset), and the peak memory of each (their own child processes);
- calls a holiday sync makes on a repeated run against its first run (China, one year).

Timings on a shared machine are noisy: compare the ratios, not the absolute values.
``docs/benchmarks.md`` carries the latest table.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
for folder in (REPO, REPO / "benchmarks"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

import httpx  # noqa: E402
from client_overhead import PATH, per_call_ms  # noqa: E402
from export_throughput import SETTINGS, EmulatorProcess, measure  # noqa: E402

UNPACED = {"requests_per_second": 100_000, "requests_per_minute": 10_000_000}
"""A budget no single thread reaches, so that no call waits for the limiter."""
HOLIDAY_YEAR = 2026


@dataclass(frozen=True)
class Row:
    """One line of the table: a figure, its baseline and how they compare."""

    measure: str
    value: float
    baseline_name: str
    baseline: float
    unit: str
    note: str = ""

    @property
    def comparison(self) -> str:
        if self.unit == "ms/call":
            return f"{self.value - self.baseline:+.2f} ms ({self.value / self.baseline:.2f}x)"
        return f"{self.value / self.baseline:.2f}x" if self.baseline else "-"


def per_call_rows(emu: EmulatorProcess, calls: int, task_calls: int) -> list[Row]:
    """The client and a task against bare httpx, median milliseconds per call."""
    from flashcat_prefect import FlashcatClient, FlashcatCredentials
    from flashcat_prefect.tasks.members import list_members

    body = {"limit": 20}
    with httpx.Client(base_url=emu.url, params={"app_key": emu.app_key}) as raw:
        bare = per_call_ms(calls, lambda: raw.post(PATH, json=body).json())
    with FlashcatClient(emu.app_key, base_url=emu.url, **UNPACED) as client:
        generic = per_call_ms(calls, lambda: client.request(PATH, body))
        typed = per_call_ms(calls, lambda: client.members.list(body))
    credentials = FlashcatCredentials(app_key=emu.app_key, base_url=emu.url, **UNPACED)
    task = per_call_ms(task_calls, lambda: list_members(credentials, body))
    baseline = "bare httpx"
    return [
        Row("FlashcatClient.request", generic, baseline, bare, "ms/call"),
        Row("client.members.list (validated, typed)", typed, baseline, bare, "ms/call"),
        Row("list_members Prefect task", task, baseline, bare, "ms/call"),
    ]


def task_cost_rows(emu: EmulatorProcess, task_calls: int, repeats: int) -> list[Row]:
    """Per task run inside one flow: the endpoint task against a plain ``@task`` making the
    same single httpx call (one shared ``httpx.Client``) and against an empty task; the
    median of ``repeats`` medians, and the spread of the endpoint/plain ratio."""
    import statistics

    from prefect import flow, task
    from prefect.cache_policies import NO_CACHE

    from flashcat_prefect import FlashcatCredentials
    from flashcat_prefect.tasks.members import list_members

    body = {"limit": 20}
    credentials = FlashcatCredentials(app_key=emu.app_key, base_url=emu.url, **UNPACED)
    raw = httpx.Client(base_url=emu.url, params={"app_key": emu.app_key})

    @task(cache_policy=NO_CACHE)
    def empty_task() -> None:
        return None

    @task(cache_policy=NO_CACHE)
    def plain_task(payload: dict) -> object:
        return raw.post(PATH, json=payload).json()["data"]

    # The endpoint tasks carry tags (flashcat, the area); Prefect checks tag concurrency
    # limits for every tagged task run, which an untagged task skips.
    tagged_task = plain_task.with_options(tags=list(list_members.tags))

    calls = {
        "empty": lambda: empty_task(),
        "plain": lambda: plain_task(body),
        "tagged": lambda: tagged_task(body),
        "endpoint": lambda: list_members(credentials, body),
    }

    @flow
    def compare() -> list[dict[str, float]]:
        """Round-robin over the four, so that a busy spell slows all of them alike; one median
        per task and repeat."""
        repeats_figures = []
        for _ in range(repeats):
            samples: dict[str, list[float]] = {name: [] for name in calls}
            for round_number in range(task_calls + 3):
                for name, call in calls.items():
                    started = time.perf_counter()
                    call()
                    if round_number >= 3:  # the first rounds warm up
                        samples[name].append((time.perf_counter() - started) * 1000)
            repeats_figures.append(
                {name: statistics.median(values) for name, values in samples.items()}
            )
        return repeats_figures

    with raw:
        per_repeat = compare()
    figures = {name: statistics.median(run[name] for run in per_repeat) for name in calls}
    ratios = sorted(run["endpoint"] / run["plain"] for run in per_repeat)
    spread = (
        f"endpoint/plain per repeat: median {statistics.median(ratios):.2f}x, "
        f"min {ratios[0]:.2f}x, max {ratios[-1]:.2f}x over {len(ratios)} repeats of "
        f"{task_calls} rounds"
    )
    return [
        Row(
            "empty @task (Prefect's own cost)",
            figures["empty"],
            "plain @task + httpx",
            figures["plain"],
            "ms/call",
        ),
        Row(
            "list_members endpoint task, in a flow",
            figures["endpoint"],
            "plain @task + httpx",
            figures["plain"],
            "ms/call",
            note=spread,
        ),
        Row(
            "list_members endpoint task, in a flow",
            figures["endpoint"],
            "the same, tagged like it",
            figures["tagged"],
            "ms/call",
        ),
    ]


def holiday_rows(emu: EmulatorProcess) -> list[Row]:
    """Requests of a repeated holiday sync against the first one (fresh demo data)."""
    from flashcat_prefect import FlashcatCredentials
    from flashcat_prefect.emulator.seed import HOLIDAY_CALENDAR_ID
    from flashcat_prefect.flows import sync_holiday_calendar

    credentials = FlashcatCredentials(app_key=emu.app_key, base_url=emu.url, **UNPACED)
    emu.ask("reset")
    calls = []
    for _ in range(2):
        before = emu.ask("requests")["total"]
        sync_holiday_calendar(
            credentials, cal_id=HOLIDAY_CALENDAR_ID, country="CN", years=HOLIDAY_YEAR
        )
        calls.append(emu.ask("requests")["total"] - before)
    first, repeated = calls
    return [Row("holiday sync, repeated run", repeated, "first run", first, "calls")]


def export_rows(emu: EmulatorProcess, incidents: int, workers: int) -> list[Row]:
    """The export flow against the plain httpx loop, each in its own child process."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    args = argparse.Namespace(workers=workers, incidents=incidents)
    emu.ask("reset")
    loop = measure("loop", emu, args, env)
    emu.ask("reset")
    flow = measure("flow", emu, args, env)
    if flow["incidents"] != loop["incidents"]:
        raise SystemExit(f"export mismatch: flow {flow['incidents']}, loop {loop['incidents']}")
    return [
        Row(
            f"export flow ({flow['incidents']:,} incidents, {flow['pages']:,} pages)",
            flow["incidents"] / flow["seconds"],
            "httpx loop, same range",
            loop["incidents"] / loop["seconds"],
            "incidents/s",
        ),
        Row(
            "peak memory, export flow process",
            flow["peak_mb"],
            "httpx loop process",
            loop["peak_mb"],
            "MB",
        ),
    ]


def render(rows: list[Row]) -> str:
    """The table as GitHub markdown."""
    lines = [
        "| measure | value | baseline (same run) | baseline value | comparison |",
        "|---|---:|---|---:|---:|",
    ]
    for row in rows:
        digits = 2 if row.unit == "ms/call" else 0
        lines.append(
            f"| {row.measure} | {row.value:,.{digits}f} {row.unit} | {row.baseline_name} "
            f"| {row.baseline:,.{digits}f} {row.unit} | {row.comparison} |"
        )
    notes = [row.note for row in rows if row.note]
    return "\n".join(lines + (["", *notes] if notes else []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300, help="calls per client figure")
    parser.add_argument("--task-calls", type=int, default=30, help="calls for the task figure")
    parser.add_argument("--incidents", type=int, default=50_000, help="seeded incidents (90 days)")
    parser.add_argument(
        "--repeats", type=int, default=3, help="repeats of the task-cost rounds (spread)"
    )
    parser.add_argument("--only", choices=["tasks"], help="run only the task-cost rows (quick)")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="export windows fetched at once (default: the flow's own choice)",
    )
    args = parser.parse_args()

    from prefect.testing.utilities import prefect_test_harness

    began = time.perf_counter()
    rows: list[Row] = []
    with (
        prefect_test_harness(server_startup_timeout=120),
        EmulatorProcess(args.incidents, SETTINGS["a"]) as emu,
    ):
        if args.only != "tasks":
            rows += per_call_rows(emu, args.calls, args.task_calls)
        rows += task_cost_rows(emu, args.task_calls, args.repeats)
        if args.only != "tasks":
            rows += holiday_rows(emu)
            rows += export_rows(emu, args.incidents, args.workers)
    print(
        f"\nflashcat-prefect benchmarks: {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"emulator on loopback in its own process, {time.perf_counter() - began:.0f} s\n"
    )
    print(render(rows))


if __name__ == "__main__":
    main()
