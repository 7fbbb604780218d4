"""Pages per second the emulator serves for ``/incident/list`` (100 items a page).

Measured next to a trivial ASGI endpoint (a fixed tiny JSON answer) served the same way in
the same run, so the figures can be compared across machines: the ratio tells how much the
emulator's own work costs on top of HTTP, uvicorn and httpx.

    python benchmarks/emulator_pages.py [--incidents 100000] [--pages 200] [--scale 1000000]

It also times building the ``--scale`` seed (the issue asks for 1,000,000 incidents in
under a minute) and reports the memory its incident columns take.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import httpx

from flashcat_prefect.emulator import create_app
from flashcat_prefect.emulator.runner import BackgroundServer

DAY = 86400


async def trivial_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The baseline: reads the request and answers a fixed small envelope."""
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    body = json.dumps({"request_id": "0" * 32, "data": {"items": [], "total": 0}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def pages_per_second(
    url: str,
    path: str,
    body: dict[str, Any],
    params: dict[str, str],
    pages: int,
    *,
    follow_cursor: bool,
) -> float:
    """Fetch ``pages`` pages over one keep-alive connection; answers pages per second."""
    with httpx.Client(base_url=url, params=params, timeout=60) as http:
        http.post(path, json=body).raise_for_status()  # warm up
        request = dict(body)
        started = time.perf_counter()
        for _ in range(pages):
            data = http.post(path, json=request).json()["data"]
            if follow_cursor:
                if not data.get("has_next_page"):
                    request = dict(body)
                else:
                    request["search_after_ctx"] = data["search_after_ctx"]
        return pages / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument(
        "--scale",
        type=int,
        default=1_000_000,
        help="also time building a seed this large (0 to skip)",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    app = create_app(app_key="bench", incidents=args.incidents, rate_limits=False)
    built = time.perf_counter() - started
    now = app.state.now
    window = {"start_time": now - 31 * DAY, "end_time": now, "limit": 100}

    with BackgroundServer(trivial_app) as baseline:
        trivial = pages_per_second(
            baseline.url, "/trivial", {}, {}, args.pages, follow_cursor=False
        )
    with BackgroundServer(app) as served:
        incident_pages = pages_per_second(
            served.url,
            "/incident/list",
            window,
            {"app_key": "bench"},
            args.pages,
            follow_cursor=True,
        )

    print(f"seeded incidents          : {args.incidents:,} (built in {built:.2f} s)")
    print(f"trivial ASGI endpoint     : {trivial:8.1f} requests/s")
    print(
        f"/incident/list, 100/page  : {incident_pages:8.1f} pages/s "
        f"({incident_pages * 100:,.0f} incidents/s)"
    )
    print(f"ratio to trivial          : {incident_pages / trivial:8.2f}")
    if args.scale:
        del app
        started = time.perf_counter()
        big = create_app(app_key="bench", incidents=args.scale, rate_limits=False)
        seconds = time.perf_counter() - started
        megabytes = sum(c.nbytes for c in big.state.incidents.cols.values()) / 2**20
        print(f"build {args.scale:,} incidents: {seconds:8.2f} s ({megabytes:.0f} MiB of columns)")


if __name__ == "__main__":
    main()
