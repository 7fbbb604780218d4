"""Serve the bridge with uvicorn, with a deadline for request headers.

uvicorn closes idle keep-alive connections but waits for the headers of a request as long as
the sender likes, so a few hundred connections that send a byte now and then stay open for
ever. :class:`HeaderDeadlineProtocol` closes a connection whose request headers have not
all arrived within ``header_seconds`` of the connection opening (or of the previous answer);
the bridge's own body read has its deadline too (``WebhookBridge.body_read_seconds``).
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_SECONDS = 10.0


class HeaderDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing connections whose request headers come too slowly."""

    header_seconds = HEADER_SECONDS

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_header_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        deadline = getattr(self, "_header_deadline", None)
        if deadline is not None:
            deadline.cancel()
        super().connection_lost(exc)

    def _arm_header_deadline(self) -> None:
        previous = getattr(self, "_header_deadline", None)
        if previous is not None:
            previous.cancel()
        self._header_deadline = self.loop.call_later(self.header_seconds, self._headers_too_slow)

    def _waiting_for_headers(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _headers_too_slow(self) -> None:
        if self._waiting_for_headers() and not self.transport.is_closing():
            self.transport.close()  # connection_lost tells h11


def protocol_with(header_seconds: float) -> type[HeaderDeadlineProtocol]:
    """The protocol class with its header deadline set (uvicorn takes a class, not options)."""
    return type("BridgeHttpProtocol", (HeaderDeadlineProtocol,), {"header_seconds": header_seconds})


def serve(app: Any, *, host: str, port: int, header_seconds: float = HEADER_SECONDS) -> None:
    """Run ``app`` until SIGINT/SIGTERM (uvicorn's graceful shutdown, lifespan on)."""
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        http=protocol_with(header_seconds),
        timeout_keep_alive=5,
    )
