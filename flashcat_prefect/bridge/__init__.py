"""Flashduty webhooks into Prefect: receive, de-duplicate, route to deployments or events.

``flashcat-prefect webhook serve --routes routes.yaml`` runs it; :class:`WebhookBridge` is the
embeddable form.
"""

from __future__ import annotations

from flashcat_prefect.bridge.app import WebhookBridge, WebhookRejected
from flashcat_prefect.bridge.dedup import SeenEvents
from flashcat_prefect.bridge.dispatch import Dispatcher, Outcome
from flashcat_prefect.bridge.routing import (
    RouteConfigError,
    RouteTable,
    WebhookFacts,
    load_routes,
    parse_routes,
)

__all__ = [
    "Dispatcher",
    "Outcome",
    "RouteConfigError",
    "RouteTable",
    "SeenEvents",
    "WebhookBridge",
    "WebhookFacts",
    "WebhookRejected",
    "load_routes",
    "parse_routes",
]
