"""Peak memory of the webhook bridge under a huge chunked body, next to a baseline in the same run.

Each server runs in its own process and gets one chunked POST of ``--megabytes`` (no
Content-Length, so the size is only known while reading). The figure is the server process's
peak resident memory (``VmHWM`` from ``/proc``, Linux only), before and after the request:

- baseline: a bare Starlette endpoint that reads the whole body before looking at it (what
  the bridge did before it read with a limit);
- bridge: ``flashcat-prefect webhook serve`` (no secret set, the worst case), which stops
  reading at 1 MiB and answers 413.

    .venv/bin/python benchmarks/bridge_memory.py --megabytes 200
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
CHUNK = 64 * 1024

BASELINE_APP = """
import sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

async def receive(request):
    body = await request.body()
    return JSONResponse({"bytes": len(body)}, status_code=413 if len(body) > 1024 * 1024 else 200)

async def health(request):
    return JSONResponse({"status": "ok"})

app = Starlette(routes=[Route("/webhook", receive, methods=["POST"]), Route("/healthz", health)])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc (Linux only)")


def wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def send_chunked(url: str, megabytes: int) -> str:
    """POST ``megabytes`` of JSON-ish filler in chunks; the status, or how the send ended."""
    total = megabytes * 1024 * 1024

    def body():
        sent = 0
        while sent < total:
            sent += CHUNK
            yield b" " * CHUNK

    try:
        answer = httpx.post(
            f"{url}/webhook",
            content=body(),
            timeout=120,
            headers={"Content-Type": "application/json"},
        )
        return f"HTTP {answer.status_code}"
    except httpx.TransportError as exc:  # the server answered early and closed the connection
        return f"connection closed early ({type(exc).__name__})"


def measure(
    command: list[str], port: int, megabytes: int, env: dict[str, str]
) -> tuple[float, float, str]:
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, process)
        before = peak_rss_mb(process.pid)
        outcome = send_chunked(url, megabytes)
        time.sleep(0.5)
        return before, peak_rss_mb(process.pid), outcome
    finally:
        process.terminate()
        process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    args = parser.parse_args()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }
    env.pop("FLASHCAT_WEBHOOK_SECRET", None)

    port = free_port()
    baseline = measure([sys.executable, "-c", BASELINE_APP, str(port)], port, args.megabytes, env)
    with tempfile.TemporaryDirectory() as folder:
        routes = Path(folder) / "routes.yaml"
        routes.write_text("routes:\n  - name: everything\n    event: {}\n")
        port = free_port()
        bridge_env = {**env, "FLASHCAT_BRIDGE_JOURNAL": str(Path(folder) / "journal.sqlite3")}
        bridge = measure(
            [
                sys.executable,
                "-m",
                "flashcat_prefect.cli",
                "webhook",
                "serve",
                "--routes",
                str(routes),
                "--port",
                str(port),
            ],
            port,
            args.megabytes,
            bridge_env,
        )

    print(f"one chunked body of {args.megabytes} MiB; peak RSS of the server process")
    print(f"{'server':<36} {'idle MiB':>9} {'peak MiB':>9} {'growth':>8}  answer")
    for label, (before, peak, outcome) in (
        ("baseline (reads the whole body)", baseline),
        ("bridge (stops at 1 MiB, 413)", bridge),
    ):
        print(f"{label:<36} {before:9.0f} {peak:9.0f} {peak - before:8.0f}  {outcome}")


if __name__ == "__main__":
    main()
