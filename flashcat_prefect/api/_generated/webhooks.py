"""Request and response models of the webhooks area."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class Person(BaseModel):
    """Part of a request (AlertWebhookPayload)."""

    model_config = _RESPONSE
    person_id: int | None = None
    person_name: str | None = None
    email: str | None = None


class AlertIncident(BaseModel):
    """Part of a request (Alert)."""

    model_config = _RESPONSE
    incident_id: str | None = None
    title: str | None = None


class Alert(BaseModel):
    """Part of a request (AlertWebhookPayload)."""

    model_config = _RESPONSE
    alert_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")] | None = None
    data_source_id: int | None = None
    data_source_name: str | None = None
    data_source_type: str | None = None
    channel_id: int | None = None
    channel_name: str | None = None
    title: str | None = None
    title_rule: str | None = None
    description: str | None = None
    alert_key: str | None = None
    alert_severity: Literal["Critical", "Warning", "Info"] | None = None
    alert_status: Literal["Critical", "Warning", "Info", "Ok"] | None = None
    progress: Literal["Triggered", "Closed"] | None = None
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
    event_type: Literal["a_new", "a_update", "a_merge", "a_close"] | None = None
    event_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{32}$")] | None = None
    person: Person | None = None
    alert: Alert | None = None


class AlertWebhookReply(BaseModel):
    """Reply the receiver sends back for: alert webhook delivery."""

    model_config = _RESPONSE


class Person2(BaseModel):
    """Part of a request (IncidentWebhookPayload)."""

    model_config = _RESPONSE
    person_id: int | None = None
    person_name: str | None = None
    email: str | None = None


class Person3(BaseModel):
    """Part of a request (Incident)."""

    model_config = _RESPONSE
    person_id: int | None = None
    person_name: str | None = None
    email: str | None = None


class Responder(BaseModel):
    """Part of a request (Incident)."""

    model_config = _RESPONSE
    person_id: int | None = None
    person_name: str | None = None
    email: str | None = None
    assigned_at: int | None = None
    acknowledged_at: int | None = None


class Incident(BaseModel):
    """Part of a request (IncidentWebhookPayload)."""

    model_config = _RESPONSE
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")] | None = None
    title: str | None = None
    description: str | None = None
    impact: str | None = None
    root_cause: str | None = None
    resolution: str | None = None
    incident_severity: Literal["Critical", "Warning", "Info"] | None = None
    incident_status: Literal["Critical", "Warning", "Info", "Ok"] | None = None
    progress: Literal["Triggered", "Processing", "Closed"] | None = None
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
    creator: Person3 | None = None
    closer: Person3 | None = None
    responders: list[Responder] | None = None
    alert_cnt: int | None = None
    channel_id: int | None = None
    channel_name: str | None = None
    detail_url: str | None = None
    group_method: Literal["n", "p", "i"] | None = None
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
    event_type: (
        Literal[
            "i_new",
            "i_assign",
            "i_a_rspd",
            "i_snooze",
            "i_wake",
            "i_ack",
            "i_unack",
            "i_storm",
            "i_custom",
            "i_rslv",
            "i_reopen",
            "i_merge",
            "i_comm",
            "i_r_title",
            "i_r_desc",
            "i_r_impact",
            "i_r_rc",
            "i_r_rsltn",
            "i_r_severity",
            "i_r_field",
        ]
        | None
    ) = None
    event_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{32}$")] | None = None
    person: Person2 | None = None
    incident: Incident | None = None


class IncidentWebhookReply(BaseModel):
    """Reply the receiver sends back for: incident webhook delivery."""

    model_config = _RESPONSE


class Person4(BaseModel):
    """Part of a request (CustomActionPayload)."""

    model_config = _RESPONSE
    person_id: int | None = None
    person_name: str | None = None
    email: str | None = None


class Alert2(BaseModel):
    """Part of a request (Incident)."""

    model_config = _RESPONSE
    alert_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")] | None = None
    data_source_id: int | None = None
    title: str | None = None
    title_rule: str | None = None
    description: str | None = None
    alert_key: str | None = None
    alert_severity: Literal["Critical", "Warning", "Info"] | None = None
    alert_status: Literal["Critical", "Warning", "Info", "Ok"] | None = None
    progress: Literal["Triggered", "Closed"] | None = None
    created_at: int | None = None
    updated_at: int | None = None
    start_time: int | None = None
    last_time: int | None = None
    end_time: int | None = None
    close_time: int | None = None
    labels: dict[str, str] | None = None
    event_cnt: int | None = None


class Incident2(BaseModel):
    """Part of a request (CustomActionPayload)."""

    model_config = _RESPONSE
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")] | None = None
    title: str | None = None
    description: str | None = None
    impact: str | None = None
    root_cause: str | None = None
    resolution: str | None = None
    incident_severity: Literal["Critical", "Warning", "Info"] | None = None
    incident_status: Literal["Critical", "Warning", "Info", "Ok"] | None = None
    progress: Literal["Triggered", "Processing", "Closed"] | None = None
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
    creator: Person3 | None = None
    closer: Person3 | None = None
    responders: list[Responder] | None = None
    alert_cnt: int | None = None
    channel_id: int | None = None
    channel_name: str | None = None
    detail_url: str | None = None
    group_method: Literal["n", "p", "i"] | None = None
    account_id: int | None = None
    account_name: str | None = None
    assigned_to: dict[str, Any] | None = None
    creator_id: int | None = None
    data_source_id: int | None = None
    dedup_key: str | None = None
    equals_md5: str | None = None
    num: str | None = None
    responder_ids: list[int] | None = None
    alerts: list[Alert2] | None = None


class CustomActionPayload(BaseModel):
    """Payload Flashduty sends for: custom action invocation."""

    model_config = _RESPONSE
    event_time: int | None = None
    event_type: str | None = None
    event_id: str | None = None
    person: Person4 | None = None
    incident: Incident2 | None = None


class CustomActionReply(BaseModel):
    """Reply the receiver sends back for: custom action invocation."""

    model_config = _RESPONSE


class LabelMappingRequestEvent(BaseModel):
    """Part of a request (LabelMappingRequest)."""

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
    event_severity: Literal["Critical", "Warning", "Info"] | None = None
    event_status: Literal["Critical", "Warning", "Info", "Ok"] | None = None
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
