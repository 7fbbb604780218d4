"""Peak memory of a served emulator under huge chunked request bodies.

Starts ``flashcat-prefect emulator`` in its own process, reads its peak resident set
(``VmHWM`` in ``/proc/<pid>/status``) after a warm-up (the baseline, same run), then streams
chunked bodies with no ``Content-Length`` at it: one of ``--megabytes`` with a wrong app key
(answered 401 before the body is read) and one with the right key (answered 413 as soon as
4 MiB are exceeded), then ``--parallel`` at once. The emulator must stay near its baseline
whatever the body size; before the fix it read every body whole (4 x 100 MB -> 725 MB).

    python benchmarks/emulator_big_body.py [--megabytes 200] [--parallel 4]

Linux only (``/proc``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
CHUNK = b" " * (1024 * 1024)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc status")


def start_emulator() -> tuple[subprocess.Popen[str], str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flashcat_prefect.cli",
            "emulator",
            "--port",
            "0",
            "--seed",
            "empty",
            "--no-rate-limits",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = key = ""
    assert process.stdout is not None
    while not key:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the emulator did not start")
        if "serving at " in line:
            url = line.rsplit(" ", 1)[-1].strip()
        if line.startswith("APP key:"):
            key = line.split(":", 1)[1].strip()
    return process, url, key


def stream(url: str, key: str, megabytes: int) -> str:
    """POST ``megabytes`` of chunked body; the answer's status and code, or how it ended."""

    def body():
        for _ in range(megabytes):
            yield CHUNK

    try:
        response = httpx.post(
            f"{url}/channel/list",
            params={"app_key": key},
            content=body(),
            headers={"Content-Type": "application/json"},
            timeout=120,
        )
    except httpx.TransportError as exc:  # the server may close before the client finished
        return f"connection closed ({type(exc).__name__})"
    return f"{response.status_code} {response.json().get('error', {}).get('code', 'OK')}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--parallel", type=int, default=4)
    args = parser.parse_args()
    process, url, key = start_emulator()
    try:
        for _ in range(20):
            httpx.post(f"{url}/channel/list", params={"app_key": key}, json={}).raise_for_status()
        stream(url, key, 3)  # a body under the limit, read whole: part of the baseline
        baseline = peak_rss_mb(process.pid)
        print(f"baseline peak RSS (warm, one 3 MB body read): {baseline:7.1f} MB")
        for label, given_key in (("wrong key", "not-the-key"), ("right key", key)):
            began = time.perf_counter()
            outcome = stream(url, given_key, args.megabytes)
            print(
                f"{args.megabytes} MB chunked, {label:<9}: {outcome:<32} "
                f"{time.perf_counter() - began:5.1f} s  peak RSS "
                f"{peak_rss_mb(process.pid):7.1f} MB"
            )
        with ThreadPoolExecutor(args.parallel) as pool:
            outcomes = list(
                pool.map(lambda _: stream(url, key, args.megabytes // 2), range(args.parallel))
            )
        peak = peak_rss_mb(process.pid)
        print(
            f"{args.parallel} x {args.megabytes // 2} MB in parallel: {sorted(set(outcomes))}"
            f"  peak RSS {peak:7.1f} MB"
        )
        print(
            f"growth over baseline: {peak - baseline:+.1f} MB "
            f"(bodies sent: {args.megabytes * 2 + args.parallel * (args.megabytes // 2)} MB)"
        )
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
