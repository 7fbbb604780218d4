"""A stateful local Flashduty: the emulator every test, demo and offline flow runs against.

Running it:

- :class:`FlashcatEmulator` (context manager) serves it on a free loopback port, with
  ``url``, ``app_key`` (random unless given), ``credentials()``, ``integration(channel_id)``,
  ``integration_key(channel_id)``, ``faults``, ``request_log``, ``state`` and ``reset()``.
  Its ``app`` also works port-free through ``httpx.ASGITransport``.
- :func:`create_app` builds the bare ASGI app; ``flashcat-prefect emulator`` serves one
  from the command line.

What it does (details in each module's docstring):

- Protocol (:mod:`.app`): ``app_key``/``integration_key`` checks, the envelope and
  ``Flashcat-Request-Id``, the documented error codes and statuses, validation by the
  official spec (:mod:`.spec`: request and answer schemas, not the client's models), bounded
  body size and read time, page and cursor pagination with ``total`` capped at 1000,
  time-span limits, CSV exports, and rate limits per account (per integration for the
  Event API) with ``Retry-After`` — each rate-limit class counts in its own window.
- State: a generic store gives every ``/<resource>/<verb>`` endpoint its meaning
  (:mod:`.store`); handlers add the API's specific semantics (:mod:`.handlers`): calendars,
  channel rules, incidents and their lifecycle, alerts and Event API pushes, schedules,
  insights, work items. Incidents are stored column-wise (:mod:`.incidents`) so
  ``incidents=1_000_000`` builds in seconds. Time windows select incidents by
  ``start_time``, both bounds included. Every documented filter of the incident, alert and
  insight lists narrows the answer; an unknown severity, progress or export column name is
  InvalidParameter naming the field.
- Seed data (:mod:`.seed`): ``demo`` (documented, importable ids) or ``empty``;
  deterministic for a seed number and ``now``.
- Clock (:mod:`.state`): ``now`` is the end of the seeded history; new incidents are
  stamped with the emulator clock, which runs on from ``now`` at real speed.
- Faults (:mod:`.faults`) from Python (``emu.faults.add("http_error", path=..., status=503)``)
  or through the control routes under ``/_emulator/`` (:mod:`.control`).
- Event hooks: ``emu.state.add_hook(fn)`` calls ``fn(event_type, payload)`` for incident
  (``i_*``) and alert (``a_*``) events, the point where outbound webhooks attach.

It depends only on :mod:`flashcat_prefect.api` and its vendored spec files (plus jsonschema
to judge, uvicorn to serve, numpy for columns).
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
