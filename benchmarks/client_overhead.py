"""What the client adds per call, and how close pacing gets to the configured budget.

Against the bundled emulator on loopback (rate limits off on the server side):

1. baseline: ``--calls`` sequential ``POST /member/list`` with a bare ``httpx.Client``;
2. the same calls through ``FlashcatClient.request`` (envelope, errors, limiter bookkeeping)
   and ``client.members.list`` (plus request validation and response parsing), with a budget
   far above what one thread reaches, so no call waits;
3. pacing: ``--burst`` calls from 4 threads under ``--rps`` requests per second, reporting
   the achieved rate and the most calls the server saw in any one-second window.

    PYTHONPATH=. .venv/bin/python benchmarks/client_overhead.py --calls 300 --burst 200 --rps 50

(``PYTHONPATH=.`` is only needed while the package is not installed.)
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from flashcat_prefect import FlashcatClient
from flashcat_prefect.emulator import FlashcatEmulator

PATH = "/member/list"


def per_call_ms(calls: int, send: Callable[[], object]) -> float:
    """Median milliseconds of one call over ``calls`` calls (after a short warm-up)."""
    for _ in range(10):
        send()
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        send()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def max_in_any_second(times: list[float]) -> int:
    ordered, best, start = sorted(times), 0, 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--rps", type=int, default=50)
    args = parser.parse_args()

    with FlashcatEmulator(seed="demo", rate_limits=False) as emulator:
        body = {"limit": 20}
        with httpx.Client(base_url=emulator.url, params={"app_key": emulator.app_key}) as raw:
            baseline = per_call_ms(args.calls, lambda: raw.post(PATH, json=body).json())
        unpaced = {
            "base_url": emulator.url,
            "requests_per_second": 100_000,
            "requests_per_minute": 1_000_000,
        }
        with FlashcatClient(emulator.app_key, **unpaced) as client:  # type: ignore[arg-type]
            generic = per_call_ms(args.calls, lambda: client.request(PATH, body))
            typed = per_call_ms(args.calls, lambda: client.members.list(body))
        print(f"per call, median of {args.calls} (emulator on loopback):")
        print(f"  bare httpx                 {baseline:7.2f} ms  (baseline)")
        print(f"  FlashcatClient.request     {generic:7.2f} ms  ({generic - baseline:+.2f} ms)")
        print(f"  client.members.list        {typed:7.2f} ms  ({typed - baseline:+.2f} ms)")

        paced = emulator.credentials(requests_per_second=args.rps, requests_per_minute=1_000_000)
        emulator.request_log.clear()

        def worker(calls: int) -> None:
            with paced.get_client() as each:
                for _ in range(calls):
                    each.request(PATH, body)

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(worker, [args.burst // 4] * 4))
        elapsed = time.monotonic() - started
        times = [entry.time for entry in emulator.request_log.for_path(PATH)]
        print(f"pacing, {len(times)} calls from 4 threads, budget {args.rps}/s:")
        print(
            f"  achieved {len(times) / elapsed:6.1f} calls/s over {elapsed:.2f} s; "
            f"most in any 1 s window (server clock): {max_in_any_second(times)}"
        )


if __name__ == "__main__":
    main()
