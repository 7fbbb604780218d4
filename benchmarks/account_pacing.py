"""Several processes on one Flashduty account: process pacing against account-wide pacing.

    python benchmarks/account_pacing.py [--quick] [--total 500] [--processes 1 4 8] [--exports 6]

Starts a real ``prefect server`` (its own temporary PREFECT_HOME, a free loopback port) and
the emulator with Flashduty's rate limits on (50/s and 1000/min per account, 10/min for
exports). For each number of processes and each ``pacing`` mode, that many separate worker
processes share ``--total`` calls of ``POST /member/list`` on one account, all starting at
once; the table shows what the emulator answered 429, the rate the calls went through at as a
share of the allowed 50/s, and the most the emulator counted in any one second. Before every
run the emulator's windows are cleared and the account's Prefect limits deleted (an idle
account). Then two processes make ``--exports`` export calls each, to show the export class
(10/min) holding across processes (by default under account-wide pacing only,
``--export-modes``: each mode takes over a minute). Workers use the sync client; a 429 is retried by the
client after ``Retry-After``, as in production. ``--quick`` runs only the issue's Show: four
processes under each mode, no exports (about a minute on a quiet machine).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

LIST_PATH = "/member/list"
EXPORT_PATH = "/insight/incident/export"
ALLOWED_PER_SECOND = 50
EXPORTS_PER_MINUTE = 10
SERVER_START_TIMEOUT = 240.0


# -- the worker (a separate process) ---------------------------------------------------------


def worker(url: str, key: str, pacing: str, calls: int, path: str) -> None:
    """Wait for "go" on stdin, make ``calls`` calls, print a JSON summary."""
    from flashcat_prefect import FlashcatCredentials
    from flashcat_prefect.client.prefect_pacing import pacing_stats

    block = FlashcatCredentials(app_key=key, base_url=url, pacing=pacing)
    with block.get_client() as client:
        body = (
            _body(client.request("/_emulator/info", method="GET"))
            if path == EXPORT_PATH
            else {"limit": 1}
        )
        client.request(path, body)  # warm up (clients, Prefect services); the parent then resets
        time.sleep(0.5)  # let slots granted for the warm-up expire: they predate the reset
        print("ready", flush=True)
        sys.stdin.readline()
        failures = 0
        began, cpu_began, before = time.monotonic(), time.process_time(), pacing_stats()
        for _ in range(calls):
            try:
                client.request(path, body)
            except Exception as exc:
                failures += 1
                print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        seconds, cpu = time.monotonic() - began, time.process_time() - cpu_began
    after = pacing_stats()
    spent = {name: getattr(after, name) - getattr(before, name) for name in vars(after)}
    print(json.dumps({"failures": failures, "seconds": seconds, "cpu": cpu, **spent}), flush=True)


def _body(info: dict) -> dict:
    now = int(info["now"])
    return {"start_time": now - 86_400, "end_time": now}


# -- the parent --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_env(home: Path, api_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_API_URL=api_url,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    )
    return env


def start_prefect_server(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = worker_env(home, "")
    del env["PREFECT_API_URL"]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-ui",
            "--no-scheduler",
            "--no-late-runs",
        ],
        env=env,
        stdout=(home / "server.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    api_url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"prefect server exited: see {home / 'server.log'}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return server, api_url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("prefect server did not start in time")


def idle_account_limits(api_url: str, fingerprint: str) -> None:
    """The account's Prefect limits as after a quiet spell: no slot taken, none denied."""
    with httpx.Client(base_url=api_url, timeout=30) as http:
        for limit in http.post("/v2/concurrency_limits/filter", json={"limit": 200}).json():
            if fingerprint in limit["name"]:
                http.patch(
                    f"/v2/concurrency_limits/{limit['id']}",
                    json={"active_slots": 0, "denied_slots": 0},
                ).raise_for_status()


def max_in_window(times: list[float], window: float) -> int:
    ordered, best, start = sorted(times), 0, 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


@dataclass
class Run:
    pacing: str
    processes: int
    calls: int
    answered: int
    too_frequent: int
    failures: int
    seconds: float
    most_in_window: int
    first_answer: float = 0.0
    workers: list[dict] = field(default_factory=list)
    """Each worker's own figures: its seconds and CPU seconds, and its pacing statistics."""

    def total(self, name: str) -> float:
        return sum(worker[name] for worker in self.workers)

    @property
    def share(self) -> float:
        return self.answered / self.seconds / ALLOWED_PER_SECOND if self.seconds else 0.0


def run_workers(
    emu,
    env: dict[str, str],
    pacing: str,
    processes: int,
    calls_each: int,
    path: str,
    window: float,
    api_url: str,
) -> Run:
    """Start the workers (each makes one warm-up call), clear the account's windows on both
    servers, let the workers go together, read the emulator's log of that path."""
    from flashcat_prefect.client.prefect_pacing import account_fingerprint

    procs = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--worker",
                emu.url,
                emu.app_key,
                pacing,
                str(calls_each),
                path,
            ],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    for proc in procs:
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            raise SystemExit(f"a {pacing} worker did not start")
    emu.reset(seed="demo")
    idle_account_limits(api_url, account_fingerprint(emu.url, emu.app_key))
    went = time.time()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    workers = []
    for proc in procs:
        out, _ = proc.communicate(timeout=900)
        workers.append(json.loads(out.strip().splitlines()[-1]))
    failures = sum(worker["failures"] for worker in workers)
    entries = emu.request_log.for_path(path)
    answered = [entry.time for entry in entries if entry.status == 200]
    too_frequent = sum(1 for entry in entries if entry.status == 429)
    if not answered:
        return Run(
            pacing,
            processes,
            processes * calls_each,
            0,
            too_frequent,
            failures,
            0.0,
            0,
            0.0,
            workers,
        )
    return Run(
        pacing,
        processes,
        processes * calls_each,
        len(answered),
        too_frequent,
        failures,
        max(answered) - went,
        max_in_window(answered, window),
        min(answered) - went,
        workers,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--total", type=int, default=500, help="calls per run, shared by the processes"
    )
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument(
        "--exports", type=int, default=6, help="export calls per process (2 processes)"
    )
    parser.add_argument(
        "--modes", nargs="+", default=["process", "prefect"], help="pacing modes to run"
    )
    parser.add_argument(
        "--export-modes",
        nargs="+",
        default=["prefect"],
        help="pacing modes of the exports run (each takes over a minute)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="4 processes under each mode, no exports"
    )
    args = parser.parse_args()
    if args.quick:
        args.processes, args.exports = [4], 0

    from flashcat_prefect.emulator import FlashcatEmulator

    began = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="flashcat-pacing-") as tmp,
        FlashcatEmulator(seed="demo", rate_limits=True) as emu,
    ):
        home = Path(tmp)
        server, api_url = start_prefect_server(home)
        try:
            env = worker_env(home, api_url)
            runs: list[Run] = []
            for processes in args.processes:
                for pacing in args.modes:
                    calls_each = -(-args.total // processes)
                    runs.append(
                        run_workers(
                            emu, env, pacing, processes, calls_each, LIST_PATH, 1.0, api_url
                        )
                    )
                    print(_run_line(runs[-1]), flush=True)
            exports: list[Run] = []
            for pacing in args.export_modes if args.exports else ():
                exports.append(
                    run_workers(emu, env, pacing, 2, args.exports, EXPORT_PATH, 60.0, api_url)
                )
                print(_run_line(exports[-1]), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=60)
    print(
        f"\naccount-wide pacing: real prefect server + emulator (limits on), "
        f"{time.perf_counter() - began:.0f} s, {os.cpu_count()} CPUs\n"
    )
    print(render(runs, exports))


def _run_line(run: Run) -> str:
    return (
        f"  {run.pacing:8s} x{run.processes}: {run.answered} answered, {run.too_frequent} x 429, "
        f"{run.seconds:.1f} s, max {run.most_in_window} in a window, first answer after "
        f"{run.first_answer:.2f} s"
    )


def render(runs: list[Run], exports: list[Run]) -> str:
    lines = [
        f"| processes | calls | pacing | answered 429 | failed | seconds | share of {ALLOWED_PER_SECOND}/s "
        "| most in any 1 s |",
        "|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        lines.append(
            f"| {run.processes} | {run.calls} | {run.pacing} | {run.too_frequent} | {run.failures} "
            f"| {run.seconds:.1f} | {run.share:.0%} | {run.most_in_window} |"
        )
    lines += [
        "",
        "Where the time went, summed over a run's processes (to re-measure on a quiet machine: "
        "a process waiting for grants on a busy machine shows long grant round trips; one "
        "waiting on the budget shows 423 re-asks):",
        "",
        "| processes | pacing | process seconds | CPU seconds | CPU ms per call "
        "| waiting for grants, s | grants | grant round trip, ms | re-asked: full (423) "
        "| re-asked: busy (503) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        grants = run.total("grants")
        lines.append(
            f"| {run.processes} | {run.pacing} | {run.total('seconds'):.1f} "
            f"| {run.total('cpu'):.1f} | {run.total('cpu') * 1000 / max(run.calls, 1):.1f} "
            f"| {run.total('waited_seconds'):.1f} | {grants:.0f} "
            f"| {run.total('grant_seconds') * 1000 / grants if grants else 0:.0f} "
            f"| {run.total('denials'):.0f} | {run.total('busy'):.0f} |"
        )
    lines += [
        "",
        f"| exports: processes x calls | pacing | answered 429 | failed | seconds "
        f"| most in any 60 s (allowed {EXPORTS_PER_MINUTE}) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for run in exports:
        lines.append(
            f"| {run.processes} x {run.calls // run.processes} | {run.pacing} | {run.too_frequent} "
            f"| {run.failures} | {run.seconds:.1f} | {run.most_in_window} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
    else:
        main()
