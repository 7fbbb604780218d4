"""Payloads Flashduty sends to *your* endpoints, ready for a receiver to parse.

Flashduty POSTs JSON to URLs you configure: incident webhooks, alert webhooks, custom-action
callbacks and label-mapping lookups. The models are lenient (unknown fields are kept, every
field is optional) so a newer payload still parses; the parse functions check the one thing
that tells the shapes apart, ``event_type`` (label-mapping calls carry ``result_label_keys``
instead). Dedupe deliveries on ``event_id``; order them by ``event_time`` (milliseconds).

Example::

    from flashcat_prefect.api.webhooks import parse_webhook

    payload = parse_webhook(request_body)  # bytes, str or an already-decoded dict
    if isinstance(payload, IncidentWebhookPayload) and payload.event_type == "i_ack": ...
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from flashcat_prefect.api._generated.webhooks import (
    ALERT_WEBHOOK_EVENT_TYPES,
    INCIDENT_WEBHOOK_EVENT_TYPES,
    AlertWebhookPayload,
    CustomActionPayload,
    IncidentWebhookPayload,
    LabelMappingRequest,
    LabelMappingResponse,
)

WebhookPayload = (
    IncidentWebhookPayload | AlertWebhookPayload | CustomActionPayload | LabelMappingRequest
)
"""Any payload :func:`parse_webhook` can return."""

CUSTOM_ACTION_EVENT_TYPE = "i_custom"

_Model = TypeVar("_Model", bound=BaseModel)


class WebhookParseError(ValueError):
    """The body is not JSON, not an object, or not the payload kind that was asked for."""


def _decode(body: bytes | str | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(body, Mapping):
        return dict(body)
    try:
        decoded = json.loads(body)
    except (TypeError, ValueError) as exc:
        raise WebhookParseError(f"webhook body is not valid JSON: {exc}") from None
    if not isinstance(decoded, dict):
        raise WebhookParseError(f"webhook body must be a JSON object, got {type(decoded).__name__}")
    return decoded


def _event_type(data: Mapping[str, Any]) -> str:
    value = data.get("event_type")
    return value if isinstance(value, str) else ""


def _validate(model: type[_Model], data: dict[str, Any]) -> _Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise WebhookParseError(f"not a valid {model.__name__}: {exc}") from None


def _expect_prefix(data: Mapping[str, Any], prefix: str, kind: str) -> None:
    event_type = _event_type(data)
    if not event_type.startswith(prefix):
        raise WebhookParseError(
            f"event_type must start with {prefix!r} for {kind}, got {event_type or None!r}"
        )


def parse_incident_webhook(body: bytes | str | Mapping[str, Any]) -> IncidentWebhookPayload:
    """Parse an incident webhook delivery (``event_type`` ``i_*``)."""
    data = _decode(body)
    _expect_prefix(data, "i_", "an incident webhook")
    return _validate(IncidentWebhookPayload, data)


def parse_alert_webhook(body: bytes | str | Mapping[str, Any]) -> AlertWebhookPayload:
    """Parse an alert webhook delivery (``event_type`` ``a_*``)."""
    data = _decode(body)
    _expect_prefix(data, "a_", "an alert webhook")
    return _validate(AlertWebhookPayload, data)


def parse_custom_action(body: bytes | str | Mapping[str, Any]) -> CustomActionPayload:
    """Parse a custom-action callback (``event_type`` ``i_custom``, incident with alerts)."""
    data = _decode(body)
    if _event_type(data) != CUSTOM_ACTION_EVENT_TYPE:
        raise WebhookParseError(
            f"event_type must be {CUSTOM_ACTION_EVENT_TYPE!r} for a custom action, "
            f"got {_event_type(data) or None!r}"
        )
    return _validate(CustomActionPayload, data)


def parse_label_mapping_request(body: bytes | str | Mapping[str, Any]) -> LabelMappingRequest:
    """Parse a label-mapping lookup (``result_label_keys`` plus the alert ``event``)."""
    data = _decode(body)
    if "result_label_keys" not in data:
        raise WebhookParseError("a label-mapping request carries 'result_label_keys'")
    return _validate(LabelMappingRequest, data)


def parse_webhook(body: bytes | str | Mapping[str, Any]) -> WebhookPayload:
    """Parse any outbound payload, choosing the model from ``event_type``.

    ``i_custom`` gives a :class:`CustomActionPayload`, other ``i_*`` an
    :class:`IncidentWebhookPayload`, ``a_*`` an :class:`AlertWebhookPayload`, and a body with
    ``result_label_keys`` (no ``event_type``) a :class:`LabelMappingRequest`.
    """
    data = _decode(body)
    event_type = _event_type(data)
    if event_type == CUSTOM_ACTION_EVENT_TYPE:
        return _validate(CustomActionPayload, data)
    if event_type.startswith("i_"):
        return _validate(IncidentWebhookPayload, data)
    if event_type.startswith("a_"):
        return _validate(AlertWebhookPayload, data)
    if not event_type and "result_label_keys" in data:
        return _validate(LabelMappingRequest, data)
    raise WebhookParseError(f"unknown webhook payload: event_type={event_type or None!r}")


def is_documented_event_type(event_type: str) -> bool:
    """True for the ``event_type`` values the API documents (newer ones still parse)."""
    return event_type in INCIDENT_WEBHOOK_EVENT_TYPES or event_type in ALERT_WEBHOOK_EVENT_TYPES


__all__ = [
    "ALERT_WEBHOOK_EVENT_TYPES",
    "CUSTOM_ACTION_EVENT_TYPE",
    "INCIDENT_WEBHOOK_EVENT_TYPES",
    "AlertWebhookPayload",
    "CustomActionPayload",
    "IncidentWebhookPayload",
    "LabelMappingRequest",
    "LabelMappingResponse",
    "WebhookParseError",
    "WebhookPayload",
    "is_documented_event_type",
    "parse_alert_webhook",
    "parse_custom_action",
    "parse_incident_webhook",
    "parse_label_mapping_request",
    "parse_webhook",
]
