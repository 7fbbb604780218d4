"""A Prefect notification block that raises Flashduty alerts through the Event API.

Prefect automations ("send a notification") and any code holding a notification block call
``notify(body, subject)``; this block turns that into a standard alert event on a
:class:`~flashcat_prefect.credentials.FlashcatIntegration`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from prefect.blocks.abstract import NotificationBlock, NotificationError
from pydantic import Field

from flashcat_prefect.client.redaction import redact, redact_all
from flashcat_prefect.credentials import (
    ALERT_DESCRIPTION_MAX,
    ALERT_TITLE_MAX,
    LOGO_URL,
    EventStatus,
    FlashcatIntegration,
)
from flashcat_prefect.hooks import scrub_event

DEFAULT_TITLE = "Prefect notification"


class FlashcatNotification(NotificationBlock):
    """Send Prefect notifications to Flashduty as alert events.

    The subject becomes the alert title (the body's first line when there is no subject),
    the body its description (keys masked in both). With an ``alert_key`` repeated notifications update one alert;
    a second block document with ``severity="Ok"`` and the same key closes it.

    Examples:
        Load a saved block and notify:
        ```python
        from flashcat_prefect import FlashcatNotification

        flashcat_notification = FlashcatNotification.load("BLOCK_NAME")
        flashcat_notification.notify("Nightly ETL failed", subject="ETL failure")
        ```
    """

    _block_type_name = "Flashcat Notification"
    _logo_url = LOGO_URL
    _documentation_url = FlashcatIntegration._documentation_url

    integration: FlashcatIntegration = Field(
        description="The Flashduty integration (integration key) that receives the alert events.",
    )
    severity: EventStatus = Field(
        default="Warning",
        description="Event status sent with each notification; Ok closes the alert with the same key.",
    )
    alert_key: str | None = Field(
        default=None,
        max_length=255,
        description="De-duplication key; notifications with the same key update one alert. Empty means a new alert each time.",
    )
    labels: dict[str, str] = Field(
        default_factory=dict,
        description="Extra labels sent with every notification, next to source=prefect.",
    )

    def _event(self, body: str, subject: str | None) -> dict[str, Any]:
        """The alert event, keys masked in every text before anything is cut to length."""
        key = self.integration.integration_key.get_secret_value()
        body = redact_all(body, key)
        subject = redact_all(subject, key) if subject else subject
        first_line = next((line.strip() for line in body.splitlines() if line.strip()), "")
        title = (subject or first_line or DEFAULT_TITLE)[:ALERT_TITLE_MAX]
        return scrub_event(
            {
                "event_status": self.severity,
                "title_rule": title,
                "alert_key": self.alert_key or None,
                "description": body[:ALERT_DESCRIPTION_MAX] or None,
                "labels": {"source": "prefect", **self.labels},
            },
            key,
        )

    def _failed(self, exc: Exception) -> None:
        detail = redact(f"{type(exc).__name__}: {exc}")
        self.logger.error("Flashduty notification failed: %s", detail)
        if self._raise_on_failure:
            raise NotificationError(log=detail) from None

    async def anotify(self, body: str, subject: str | None = None) -> None:
        """Push one alert event (async)."""
        try:
            await self.integration.apush_alert(**self._event(body, subject))
        except Exception as exc:
            self._failed(exc)

    def notify_sync(self, body: str, subject: str | None = None) -> None:
        """Push one alert event (blocking)."""
        try:
            self.integration.push_alert(**self._event(body, subject))
        except Exception as exc:
            self._failed(exc)

    def notify(self, body: str, subject: str | None = None) -> Coroutine[Any, Any, None] | None:  # type: ignore[override]
        """Push one alert event.

        Inside a running event loop (Prefect automations, async flows) this returns a
        coroutine to await; elsewhere it sends at once, like Prefect's own blocks.
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self.notify_sync(body, subject)
        return self.anotify(body, subject)
