"""Request and response models of the webhooks area."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import AlertIncident as AlertIncident
from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class Person(BaseModel):
    """Part of a payload Flashduty sends."""

    model_config = _RESPONSE
    person_id: int | None = None
    person_name: str | None = None
    email: str | None = None


class Alert(BaseModel):
    """Part of a payload Flashduty sends."""

    model_config = _RESPONSE
    alert_id: str | None = None
    data_source_id: int | None = None
    data_source_name: str | None = None
    data_source_type: str | None = None
    channel_id: int | None = None
    channel_name: str | None = None
    title: str | None = None
    title_rule: str | None = None
    description: str | None = None
    alert_key: str | None = None
    alert_severity: str | None = None
    alert_status: str | None = None
    progress: str | None = None
    created_at: int | None = None
    updated_at: int | None = None
    start_time: int | None = None
    last_time: int | None = None
    end_time: int | None = None
    close_time: int | None = None
    labels: dict[str, str] | None = None
    event_cnt: int | None = None
    incident: AlertIncident | None = None
    data_source_ref_id: str | None = None


class AlertWebhookPayload(BaseModel):
    """Payload Flashduty sends for: alert webhook delivery."""

    model_config = _RESPONSE
    event_time: int | None = None
    event_type: str | None = None
    event_id: str | None = None
    person: Person | None = None
    alert: Alert | None = None


class ResponderOutput(BaseModel):
    """Part of a payload Flashduty sends."""

    model_config = _RESPONSE
    person_id: int | None = None
    person_name: str | None = None
    email: str | None = None
    assigned_at: int | None = None
    acknowledged_at: int | None = None


class Incident(BaseModel):
    """Part of a payload Flashduty sends."""

    model_config = _RESPONSE
    incident_id: str | None = None
    title: str | None = None
    description: str | None = None
    impact: str | None = None
    root_cause: str | None = None
    resolution: str | None = None
    incident_severity: str | None = None
    incident_status: str | None = None
    progress: str | None = None
    created_at: int | None = None
    updated_at: int | None = None
    start_time: int | None = None
    last_time: int | None = None
    end_time: int | None = None
    ack_time: int | None = None
    close_time: int | None = None
    snoozed_before: int | None = None
    labels: dict[str, str] | None = None
    fields_: dict[str, Any] | None = Field(None, alias="fields")
    creator: Person | None = None
    closer: Person | None = None
    responders: list[ResponderOutput] | None = None
    alert_cnt: int | None = None
    channel_id: int | None = None
    channel_name: str | None = None
    detail_url: str | None = None
    group_method: str | None = None
    account_id: int | None = None
    account_name: str | None = None
    assigned_to: dict[str, Any] | None = None
    creator_id: int | None = None
    data_source_id: int | None = None
    dedup_key: str | None = None
    equals_md5: str | None = None
    num: str | None = None
    responder_ids: list[int] | None = None


class IncidentWebhookPayload(BaseModel):
    """Payload Flashduty sends for: incident webhook delivery."""

    model_config = _RESPONSE
    event_time: int | None = None
    event_type: str | None = None
    event_id: str | None = None
    person: Person | None = None
    incident: Incident | None = None


class AlertOutput(BaseModel):
    """Part of a payload Flashduty sends."""

    model_config = _RESPONSE
    alert_id: str | None = None
    data_source_id: int | None = None
    title: str | None = None
    title_rule: str | None = None
    description: str | None = None
    alert_key: str | None = None
    alert_severity: str | None = None
    alert_status: str | None = None
    progress: str | None = None
    created_at: int | None = None
    updated_at: int | None = None
    start_time: int | None = None
    last_time: int | None = None
    end_time: int | None = None
    close_time: int | None = None
    labels: dict[str, str] | None = None
    event_cnt: int | None = None


class IncidentOutput(BaseModel):
    """Part of a payload Flashduty sends."""

    model_config = _RESPONSE
    incident_id: str | None = None
    title: str | None = None
    description: str | None = None
    impact: str | None = None
    root_cause: str | None = None
    resolution: str | None = None
    incident_severity: str | None = None
    incident_status: str | None = None
    progress: str | None = None
    created_at: int | None = None
    updated_at: int | None = None
    start_time: int | None = None
    last_time: int | None = None
    end_time: int | None = None
    ack_time: int | None = None
    close_time: int | None = None
    snoozed_before: int | None = None
    labels: dict[str, str] | None = None
    fields_: dict[str, Any] | None = Field(None, alias="fields")
    creator: Person | None = None
    closer: Person | None = None
    responders: list[ResponderOutput] | None = None
    alert_cnt: int | None = None
    channel_id: int | None = None
    channel_name: str | None = None
    detail_url: str | None = None
    group_method: str | None = None
    account_id: int | None = None
    account_name: str | None = None
    assigned_to: dict[str, Any] | None = None
    creator_id: int | None = None
    data_source_id: int | None = None
    dedup_key: str | None = None
    equals_md5: str | None = None
    num: str | None = None
    responder_ids: list[int] | None = None
    alerts: list[AlertOutput] | None = None


class CustomActionPayload(BaseModel):
    """Payload Flashduty sends for: custom action invocation."""

    model_config = _RESPONSE
    event_time: int | None = None
    event_type: str | None = None
    event_id: str | None = None
    person: Person | None = None
    incident: IncidentOutput | None = None


class LabelMappingRequestEvent(BaseModel):
    """Part of a payload Flashduty sends."""

    model_config = _RESPONSE
    account_id: int | None = None
    channel_id: int | None = None
    data_source_id: int | None = None
    data_source_type: str | None = None
    title: str | None = None
    title_rule: str | None = None
    description: str | None = None
    alert_key: str | None = None
    alert_id: str | None = None
    event_severity: str | None = None
    event_status: str | None = None
    event_time: int | None = None
    labels: dict[str, str] | None = None
    images: list[str] | None = None


class LabelMappingRequest(BaseModel):
    """Payload Flashduty sends for: label mapping api call (enrichment lookup)."""

    model_config = _RESPONSE
    result_label_keys: list[str] | None = None
    event: LabelMappingRequestEvent | None = None


class LabelMappingResponse(BaseModel):
    """Reply the receiver sends back for: label mapping api call (enrichment lookup)."""

    model_config = _RESPONSE
    result_labels: dict[str, str] | None = None


ALERT_WEBHOOK_EVENT_TYPES: frozenset[str] = frozenset(["a_close", "a_merge", "a_new", "a_update"])
"""Documented ``event_type`` values of the alert webhook delivery."""
INCIDENT_WEBHOOK_EVENT_TYPES: frozenset[str] = frozenset(
    [
        "i_a_rspd",
        "i_ack",
        "i_assign",
        "i_comm",
        "i_custom",
        "i_merge",
        "i_new",
        "i_r_desc",
        "i_r_field",
        "i_r_impact",
        "i_r_rc",
        "i_r_rsltn",
        "i_r_severity",
        "i_r_title",
        "i_reopen",
        "i_rslv",
        "i_snooze",
        "i_storm",
        "i_unack",
        "i_wake",
    ]
)
"""Documented ``event_type`` values of the incident webhook delivery."""
