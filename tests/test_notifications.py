"""FlashcatNotification: a Prefect notification block that raises Flashduty alerts (emulator)."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from prefect.blocks.abstract import NotificationError
from pydantic import SecretStr

import flashcat_prefect
from flashcat_prefect import FlashcatNotification
from tests.test_hooks import alerts_keyed

REPO = Path(__file__).resolve().parents[1]


def test_saved_block_notifies_from_sync_code(emulator, integration):
    key = f"nightly-etl-{uuid.uuid4().hex[:6]}"
    name = f"notify-{uuid.uuid4().hex[:8]}"
    FlashcatNotification(
        integration=integration, severity="Critical", alert_key=key, labels={"team": "data"}
    ).save(name)

    loaded = FlashcatNotification.load(name)
    assert loaded.integration.integration_key == integration.integration_key
    assert loaded.notify("\n  ETL run failed on step load\nsecond line") is None  # sent at once

    (alert,) = alerts_keyed(emulator, key)
    assert (alert.title, alert.alert_severity) == ("ETL run failed on step load", "Critical")
    assert alert.description.endswith("second line")
    assert alert.labels == {"source": "prefect", "team": "data"}


def test_async_notify_and_ok_block_closes_the_alert(emulator, integration):
    key = f"disk-{uuid.uuid4().hex[:6]}"
    warn = FlashcatNotification(integration=integration, alert_key=key)
    resolve = FlashcatNotification(integration=integration, alert_key=key, severity="Ok")

    async def notify_both() -> None:
        await warn.notify("db-1 disk at 91%", subject="Disk almost full")
        (alert,) = alerts_keyed(emulator, key)
        assert (alert.title, alert.alert_status) == ("Disk almost full", "Warning")
        await resolve.notify("db-1 disk at 60%", subject="Disk almost full")

    asyncio.run(notify_both())
    (alert,) = alerts_keyed(emulator, key)
    assert alert.alert_status == "Ok" and alert.end_time


def test_failures_are_logged_and_raised_only_on_request(integration, caplog):
    secret = "sentinel" + uuid.uuid4().hex
    block = FlashcatNotification(
        integration=integration.model_copy(update={"integration_key": SecretStr(secret)})
    )
    with caplog.at_level(logging.DEBUG):
        block.notify("never delivered", subject="rejected")  # no raise by default
        with block.raise_on_failure(), pytest.raises(NotificationError) as info:
            block.notify("never delivered", subject="rejected")
    assert "integration_key is not a valid one" in info.value.log
    assert any("Flashduty notification failed" in r.getMessage() for r in caplog.records)
    assert all(secret not in r.getMessage() for r in caplog.records)
    assert secret not in info.value.log and secret not in repr(block)


def test_block_fields_are_validated(integration):
    with pytest.raises(ValueError, match="severity"):
        FlashcatNotification(integration=integration, severity="High")
    with pytest.raises(ValueError, match="alert_key"):
        FlashcatNotification(integration=integration, alert_key="k" * 256)


def test_block_register_command_finds_the_notification_block():
    """``prefect block register -m flashcat_prefect`` registers every block of the package."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    result = subprocess.run(
        [sys.executable, "-m", "prefect", "block", "register", "-m", "flashcat_prefect"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Flashcat Notification" in result.stdout
    with get_client(sync_client=True) as client:
        block_type = client.read_block_type_by_slug("flashcat-notification")
    assert block_type.name == "Flashcat Notification"
    assert flashcat_prefect.FlashcatNotification is FlashcatNotification
