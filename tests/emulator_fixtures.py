"""Emulator fixtures for every test module (registered in ``tests/conftest.py``).

- ``emulator_server`` (session): one :class:`~flashcat_prefect.emulator.FlashcatEmulator`
  with the ``demo`` seed served on a free loopback port, rate limits off. Do not change its
  state from a test without the ``emulator`` fixture.
- ``emulator`` (function): the same server, reset before the test: fresh demo data, no
  faults, no event hooks but its own webhook sender, an empty request log, rate limits
  off (a test may set ``emulator.rate_limits = True``; the next reset turns them off
  again). Use
  ``emulator.url``, ``emulator.app_key``, ``emulator.state.now`` (end of the seeded
  history), ``emulator.faults.add(...)``, ``emulator.request_log.count(path)``.
- ``credentials`` (function): a ``FlashcatCredentials`` block for ``emulator``.
- ``integration`` (function): a ``FlashcatIntegration`` block for channel 2001's integration.
- ``emulator_app`` (function): a fresh, unserved demo app for ``httpx.ASGITransport``
  (``emulator_app.app_keys`` holds its one key; rate limits off).

Seeded ids are importable from ``flashcat_prefect.emulator.seed``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from flashcat_prefect.emulator import EmulatorApp, FlashcatEmulator, create_app


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[FlashcatEmulator]:
    with FlashcatEmulator(seed="demo", rate_limits=False) as emu:
        yield emu


@pytest.fixture
def emulator(emulator_server: FlashcatEmulator) -> FlashcatEmulator:
    emulator_server.reset(seed="demo")
    emulator_server.state.on_event[:] = [emulator_server.outbound]  # only its webhook sender
    emulator_server.rate_limits = False
    return emulator_server


@pytest.fixture
def credentials(emulator: FlashcatEmulator) -> Any:
    return emulator.credentials()


@pytest.fixture
def integration(emulator: FlashcatEmulator) -> Any:
    return emulator.integration(2001)


@pytest.fixture
def emulator_app() -> EmulatorApp:
    return create_app(seed="demo", rate_limits=False)
