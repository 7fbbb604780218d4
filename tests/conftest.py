"""Shared test set-up: one Prefect test harness for the whole session, offline.

Emulator fixtures live in ``tests/emulator_fixtures.py``.
"""

from __future__ import annotations

import os

import pytest

# Keep Prefect (and anything it starts) off the network and quiet.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_TO_API_BATCH_INTERVAL", "0.3")
# The harness's API server runs only the services the tests read back through (events, task
# runs, automations); the schedulers and sweepers of a production server would poll its SQLite
# database on both workers for the whole session. (Servers a test starts itself get a clean
# environment and run every service.)
for _service in (
    "SCHEDULER",
    "LATE_RUNS",
    "FOREMAN",
    "PAUSE_EXPIRATIONS",
    "REPOSSESSOR",
    "CANCELLATION_CLEANUP",
):
    os.environ.setdefault(f"PREFECT_SERVER_SERVICES_{_service}_ENABLED", "false")

pytest_plugins = ["tests.emulator_fixtures"]


@pytest.fixture(scope="session", autouse=True)
def prefect_harness():
    """A temporary Prefect API (SQLite) shared by every test in the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


# The emulator behind a request recorder, for the client tests (``wire``).
pytest_plugins.append("tests.loopback")
