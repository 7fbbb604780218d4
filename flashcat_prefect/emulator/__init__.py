"""A stateful local Flashduty: the emulator every test, demo and offline flow runs against.

- :class:`FlashcatEmulator` serves it on a free loopback port (context manager), with
  ``url``, ``app_key``, ``credentials()``, ``integration()``, ``faults``, ``request_log``
  and ``reset()``; its ``app`` also works with ``httpx.ASGITransport`` without a port.
- :func:`create_app` builds the bare ASGI app.
- :mod:`flashcat_prefect.emulator.seed` documents the demo account's ids.

It depends only on :mod:`flashcat_prefect.api` (plus uvicorn to serve).
"""

from __future__ import annotations

from flashcat_prefect.emulator.app import EmulatorApp, create_app
from flashcat_prefect.emulator.errors import ApiError
from flashcat_prefect.emulator.faults import Fault, FaultSet
from flashcat_prefect.emulator.requestlog import LoggedRequest, RequestLog
from flashcat_prefect.emulator.runner import FlashcatEmulator
from flashcat_prefect.emulator.state import EmulatorState

__all__ = [
    "ApiError",
    "EmulatorApp",
    "EmulatorState",
    "Fault",
    "FaultSet",
    "FlashcatEmulator",
    "LoggedRequest",
    "RequestLog",
    "create_app",
]
