"""``FlashcatEmulator``: the emulator served on a free loopback port in a background thread."""

from __future__ import annotations

import asyncio
import secrets
import socket
import threading
import time
from collections.abc import Iterable
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from flashcat_prefect.credentials import FlashcatCredentials, FlashcatIntegration
from flashcat_prefect.emulator.app import BODY_TIMEOUT, EmulatorApp, create_app
from flashcat_prefect.emulator.control import reset_app
from flashcat_prefect.emulator.faults import FaultSet
from flashcat_prefect.emulator.outbound import OutboundWebhooks
from flashcat_prefect.emulator.requestlog import RequestLog
from flashcat_prefect.emulator.state import EmulatorState
from flashcat_prefect.emulator.store import ResourceStore

START_TIMEOUT = 30.0
REQUEST_TIMEOUT = BODY_TIMEOUT
"""Seconds a client may take to send a request's headers (and, after an early answer such as
413, the rest of a body it keeps sending) before the server closes the connection."""


class DeadlineH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for clients that send too slowly.

    uvicorn waits for request headers without limit, so a client that opens a connection and
    trickles a byte now and then holds it forever. Here a connection that is waiting on the
    client (request headers not complete, or the rest of a body after the answer was sent)
    for more than ``request_timeout`` seconds is closed. Reading a body while the app waits
    for it is bounded by the app itself (``EmulatorApp.body_timeout``).
    """

    request_timeout = REQUEST_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._watch_client()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch_client()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch_client()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_watching()
        super().connection_lost(exc)

    def _waiting_on_client(self) -> bool:
        theirs, ours = self.conn.their_state, self.conn.our_state
        return theirs is h11.IDLE or (theirs is h11.SEND_BODY and ours is h11.DONE)

    def _watch_client(self) -> None:
        if not self._waiting_on_client():
            self._stop_watching()
        elif self._deadline is None:
            self._deadline = self.loop.call_later(self.request_timeout, self._expire)

    def _stop_watching(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if self._waiting_on_client() and not self.transport.is_closing():
            self.transport.close()


def server_config(
    app: Any, *, request_timeout: float = REQUEST_TIMEOUT, **options: Any
) -> uvicorn.Config:
    """A uvicorn config for the emulator: quiet, no lifespan, slow clients cut off."""
    protocol = type(
        "EmulatorH11Protocol", (DeadlineH11Protocol,), {"request_timeout": request_timeout}
    )
    settings: dict[str, Any] = {
        "lifespan": "off",
        "log_level": "warning",
        "access_log": False,
        **options,
    }
    return uvicorn.Config(app, http=protocol, **settings)


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket for uvicorn, with Nagle's algorithm off.

    Accepted connections inherit ``TCP_NODELAY`` from it; without it every answer (headers
    and body are written separately) waits for the client's delayed ACK, about 40 ms.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    return sock


class BackgroundServer:
    """Any ASGI app served by uvicorn on a loopback port in a daemon thread.

    No signal handlers are installed (uvicorn only does that on the main thread) and the
    port is bound before the thread starts, so ``port`` is known at once.
    """

    def __init__(
        self,
        app: Any,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        request_timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.request_timeout = request_timeout
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> BackgroundServer:
        sock = bind_socket(self.host, self.port)
        self.port = sock.getsockname()[1]
        config = server_config(
            self.app, request_timeout=self.request_timeout, timeout_graceful_shutdown=1
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [sock]},
            name=f"asgi-server-{self.port}",
            daemon=True,
        )
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                server.should_exit = True
                sock.close()
                raise RuntimeError(f"the server on {self.url} did not start")
            time.sleep(0.005)
        self._server, self._thread, self._socket = server, thread, sock
        return self

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._server.force_exit = True
        self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class FlashcatEmulator:
    """A stateful local Flashduty (see ``flashcat_prefect.emulator``).

    Use it as a context manager::

        with FlashcatEmulator(seed="demo", rate_limits=False) as emu:
            client = FlashcatClient(emu.app_key, base_url=emu.url)

    or without serving, through ``httpx.ASGITransport(app=emu.app)``. ``app_key`` is random
    when not given. ``now`` fixes the end of the seeded history (unix seconds; default: the
    current hour), ``incidents`` the number of seeded incidents, ``latency`` a delay added
    to every answer. ``read_timeout`` bounds the seconds a client may take to send request
    headers and, separately, a request body.
    """

    def __init__(
        self,
        seed: str = "demo",
        app_key: str | None = None,
        rate_limits: bool = True,
        incidents: int | None = None,
        seed_number: int = 0,
        now: int | None = None,
        latency: float = 0.0,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        webhooks: Iterable[str] = (),
        read_timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        self.app_key = app_key or secrets.token_hex(16)
        self.app: EmulatorApp = create_app(
            app_key=self.app_key,
            seed=seed,
            seed_number=seed_number,
            now=now,
            incidents=incidents,
            rate_limits=rate_limits,
            latency=latency,
            body_timeout=read_timeout,
        )
        self.host = host
        self.port = port
        self.read_timeout = read_timeout
        self._server: BackgroundServer | None = None
        # Outbound incident/alert webhooks (issue 10): POSTed in the background to each URL.
        self.outbound = OutboundWebhooks.subscribe(self.state, webhooks)

    def __repr__(self) -> str:
        where = self.url if self._server else "not serving"
        return f"FlashcatEmulator(seed={self.state.seed!r}, {where})"

    # -- parts ---------------------------------------------------------------------------

    @property
    def state(self) -> EmulatorState:
        return self.app.state

    @property
    def store(self) -> ResourceStore:
        return self.app.state.store

    @property
    def faults(self) -> FaultSet:
        return self.app.faults

    @property
    def request_log(self) -> RequestLog:
        return self.app.request_log

    @property
    def rate_limits(self) -> bool:
        return self.app.rate_limits

    @rate_limits.setter
    def rate_limits(self, enabled: bool) -> None:
        self.app.rate_limits = enabled
        self.app.limiter.reset()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator is not serving; use it as a context manager")
        return self._server.url

    # -- serving -------------------------------------------------------------------------

    def start(self) -> FlashcatEmulator:
        """Serve in a background thread until :meth:`stop`."""
        if self._server is None:
            self._server = BackgroundServer(
                self.app, host=self.host, port=self.port, request_timeout=self.read_timeout
            ).start()
            self.port = self._server.port
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> FlashcatEmulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- state ---------------------------------------------------------------------------

    def reset(self, seed: str | None = None, **options: Any) -> None:
        """Fresh seed data (``seed``, ``seed_number``, ``incidents``, ``now``), no faults,
        an empty request log and empty rate-limit windows."""
        if seed is not None:
            options["seed"] = seed
        reset_app(self.app, **options)

    def add_webhook(self, url: str, headers: dict[str, str] | None = None) -> None:
        """Send incident and alert webhooks to ``url`` too (see ``emulator.outbound``)."""
        self.outbound.add(url, headers)

    # -- credentials ---------------------------------------------------------------------

    def credentials(self, **overrides: Any) -> FlashcatCredentials:
        """A ``FlashcatCredentials`` block for this emulator (its URL and app key)."""
        values: dict[str, Any] = {"app_key": self.app_key, "base_url": self.url}
        values.update(overrides)
        return FlashcatCredentials(**values)

    def integration_key(self, channel_id: int | None = None) -> str:
        """The push key of the integration on ``channel_id`` (any channel when None)."""
        return self.state.integration_for_channel(channel_id).key

    def integration(self, channel_id: int | None = None, **overrides: Any) -> FlashcatIntegration:
        """A ``FlashcatIntegration`` block whose key this emulator accepts."""
        values: dict[str, Any] = {
            "integration_key": self.integration_key(channel_id),
            "base_url": self.url,
        }
        values.update(overrides)
        return FlashcatIntegration(**values)
