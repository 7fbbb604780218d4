"""Request and response models of the insights area."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api.constraints import not_bool, unix_seconds

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class InsightAlertTopkByLabelRequest(BaseModel):
    """Request body of POST /insight/alert/topk-by-label."""

    model_config = _REQUEST
    start_time: Annotated[int, not_bool, unix_seconds]
    end_time: Annotated[int, not_bool, unix_seconds]
    team_ids: Annotated[list[Annotated[int, not_bool]], Field(max_length=100)] | None = None
    channel_ids: Annotated[list[Annotated[int, not_bool]], Field(max_length=100)] | None = None
    responder_ids: Annotated[list[Annotated[int, not_bool]], Field(max_length=100)] | None = None
    severities: Annotated[list[str], Field(max_length=3)] | None = None
    incident_ids: (
        Annotated[list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]], Field(max_length=100)]
        | None
    ) = None
    query: str | None = None
    labels: dict[str, str] | None = None
    fields_: dict[str, Any] | None = Field(None, alias="fields")
    orderby: Literal["total_alert_cnt", "total_alert_event_cnt"] | None = None
    asc: bool | None = None
    is_my_team: bool | None = None
    time_zone: str | None = None
    seconds_to_close_from: Annotated[int, not_bool] | None = None
    seconds_to_close_to: Annotated[int, not_bool] | None = None
    seconds_to_ack_from: Annotated[int, not_bool] | None = None
    seconds_to_ack_to: Annotated[int, not_bool] | None = None
    export_fields: Annotated[list[str], Field(max_length=50)] | None = None
    description_html_to_text: bool | None = None
    split_hours: bool | None = None
    aggregate_unit: Literal["day", "week", "month"] | None = None
    label: Literal["check", "resource"]
    k: Annotated[int, not_bool] | None = None


class InsightAlertByLabelItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    label: str | None = None
    hours: str | None = None
    total_alert_cnt: int | None = None
    total_alert_event_cnt: int | None = None


class InsightAlertTopkByLabelResponse(BaseModel):
    """The ``data`` of the answer to POST /insight/alert/topk-by-label."""

    model_config = _RESPONSE
    items: list[InsightAlertByLabelItem] | None = None


class InsightRequest(BaseModel):
    """Request body of 7 endpoints (POST /insight/account, POST /insight/channel, ...)."""

    model_config = _REQUEST
    start_time: Annotated[int, not_bool, unix_seconds]
    end_time: Annotated[int, not_bool, unix_seconds]
    team_ids: Annotated[list[Annotated[int, not_bool]], Field(max_length=100)] | None = None
    channel_ids: Annotated[list[Annotated[int, not_bool]], Field(max_length=100)] | None = None
    responder_ids: Annotated[list[Annotated[int, not_bool]], Field(max_length=100)] | None = None
    severities: (
        Annotated[list[Literal["Critical", "Warning", "Info", "Ok"]], Field(max_length=3)] | None
    ) = None
    incident_ids: (
        Annotated[list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]], Field(max_length=100)]
        | None
    ) = None
    query: str | None = None
    labels: dict[str, str] | None = None
    fields_: dict[str, Any] | None = Field(None, alias="fields")
    orderby: Literal["created_at"] | None = None
    asc: bool | None = None
    is_my_team: bool | None = None
    time_zone: str | None = None
    seconds_to_close_from: Annotated[int, not_bool] | None = None
    seconds_to_close_to: Annotated[int, not_bool] | None = None
    seconds_to_ack_from: Annotated[int, not_bool] | None = None
    seconds_to_ack_to: Annotated[int, not_bool] | None = None
    export_fields: Annotated[list[str], Field(max_length=50)] | None = None
    description_html_to_text: bool | None = None
    split_hours: bool | None = None
    aggregate_unit: Literal["day", "week", "month"] | None = None


class DimensionInsightItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    hours: str | None = None
    ts: int | None = None
    channel_id: int | None = None
    team_id: int | None = None
    responder_id: int | None = None
    account_id: int | None = None
    team_name: str | None = None
    channel_name: str | None = None
    responder_name: str | None = None
    total_incident_cnt: int | None = None
    total_incidents_acknowledged: int | None = None
    total_incidents_closed: int | None = None
    total_incidents_auto_closed: int | None = None
    total_incidents_manually_closed: int | None = None
    total_incidents_timeout_closed: int | None = None
    total_incidents_escalated: int | None = None
    total_incidents_manually_escalated: int | None = None
    total_incidents_timeout_escalated: int | None = None
    total_incidents_reassigned: int | None = None
    total_interruptions: int | None = None
    total_notifications: int | None = None
    total_engaged_seconds: int | None = None
    total_seconds_to_ack: int | None = None
    total_seconds_to_close: int | None = None
    mean_seconds_to_ack: float | None = None
    mean_seconds_to_close: float | None = None
    noise_reduction_pct: float | None = None
    acknowledgement_pct: float | None = None
    total_alert_cnt: int | None = None
    total_alert_event_cnt: int | None = None


class InsightResponse(BaseModel):
    """The ``data`` of the answer to POST /insight/account, POST /insight/channel, POST /insight/team."""

    model_config = _RESPONSE
    items: list[DimensionInsightItem] | None = None


class InsightIncidentListRequest(BaseModel):
    """Request body of POST /insight/incident/list."""

    model_config = _REQUEST
    start_time: Annotated[int, not_bool, unix_seconds]
    end_time: Annotated[int, not_bool, unix_seconds]
    team_ids: Annotated[list[Annotated[int, not_bool]], Field(max_length=100)] | None = None
    channel_ids: Annotated[list[Annotated[int, not_bool]], Field(max_length=100)] | None = None
    responder_ids: Annotated[list[Annotated[int, not_bool]], Field(max_length=100)] | None = None
    severities: (
        Annotated[list[Literal["Critical", "Warning", "Info", "Ok"]], Field(max_length=3)] | None
    ) = None
    incident_ids: (
        Annotated[list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]], Field(max_length=100)]
        | None
    ) = None
    query: str | None = None
    labels: dict[str, str] | None = None
    fields_: dict[str, Any] | None = Field(None, alias="fields")
    orderby: Literal["created_at"] | None = None
    asc: bool | None = None
    is_my_team: bool | None = None
    time_zone: str | None = None
    seconds_to_close_from: Annotated[int, not_bool] | None = None
    seconds_to_close_to: Annotated[int, not_bool] | None = None
    seconds_to_ack_from: Annotated[int, not_bool] | None = None
    seconds_to_ack_to: Annotated[int, not_bool] | None = None
    export_fields: Annotated[list[str], Field(max_length=50)] | None = None
    description_html_to_text: bool | None = None
    p: Annotated[int, Field(ge=1), not_bool] | None = None
    limit: Annotated[int, Field(ge=1, le=100), not_bool] | None = None
    search_after_ctx: str | None = None


class IncidentRawItemAssignedTo(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    person_ids: list[int] | None = None
    escalate_rule_id: str | None = None
    escalate_rule_name: str | None = None
    layer_idx: int | None = None
    type: str | None = None
    assigned_at: int | None = None
    id: str | None = None


class IncidentRawItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    incident_id: str | None = None
    title: str | None = None
    description: str | None = None
    team_id: int | None = None
    team_name: str | None = None
    channel_id: int | None = None
    channel_name: str | None = None
    progress: str | None = None
    severity: str | None = None
    created_at: int | None = None
    closed_by: str | None = None
    seconds_to_ack: int | None = None
    seconds_to_close: int | None = None
    engaged_seconds: int | None = None
    hours: str | None = None
    responders: list[dict[str, Any]] | None = None
    assigned_to: IncidentRawItemAssignedTo | None = None
    labels: dict[str, str] | None = None
    fields_: dict[str, Any] | None = Field(None, alias="fields")
    notifications: int | None = None
    interruptions: int | None = None
    assignments: int | None = None
    reassignments: int | None = None
    acknowledgements: int | None = None
    escalations: int | None = None
    timeout_escalations: int | None = None
    manual_escalations: int | None = None
    creator_id: int | None = None
    creator_name: str | None = None


class InsightIncidentListResponse(BaseModel):
    """The ``data`` of the answer to POST /insight/incident/list."""

    model_config = _RESPONSE
    total: int | None = None
    has_next_page: bool | None = None
    search_after_ctx: str | None = None
    items: list[IncidentRawItem] | None = None


class InsightIncidentExportRequest(BaseModel):
    """Request body of POST /insight/incident/export."""

    model_config = _REQUEST
    start_time: Annotated[int, not_bool, unix_seconds]
    end_time: Annotated[int, not_bool, unix_seconds]
    team_ids: Annotated[list[Annotated[int, not_bool]], Field(max_length=100)] | None = None
    channel_ids: Annotated[list[Annotated[int, not_bool]], Field(max_length=100)] | None = None
    responder_ids: Annotated[list[Annotated[int, not_bool]], Field(max_length=100)] | None = None
    severities: (
        Annotated[list[Literal["Critical", "Warning", "Info", "Ok"]], Field(max_length=3)] | None
    ) = None
    incident_ids: (
        Annotated[list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]], Field(max_length=100)]
        | None
    ) = None
    query: str | None = None
    labels: dict[str, str] | None = None
    fields_: dict[str, Any] | None = Field(None, alias="fields")
    orderby: Literal["created_at"] | None = None
    asc: bool | None = None
    is_my_team: bool | None = None
    time_zone: str | None = None
    seconds_to_close_from: Annotated[int, not_bool] | None = None
    seconds_to_close_to: Annotated[int, not_bool] | None = None
    seconds_to_ack_from: Annotated[int, not_bool] | None = None
    seconds_to_ack_to: Annotated[int, not_bool] | None = None
    export_fields: Annotated[list[str], Field(max_length=50)] | None = None
    description_html_to_text: bool | None = None


class ResponderInsightItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    hours: str | None = None
    ts: int | None = None
    channel_id: int | None = None
    team_id: int | None = None
    responder_id: int | None = None
    account_id: int | None = None
    team_name: str | None = None
    channel_name: str | None = None
    responder_name: str | None = None
    total_incident_cnt: int | None = None
    total_incidents_acknowledged: int | None = None
    total_incidents_reassigned: int | None = None
    total_incidents_escalated: int | None = None
    total_incidents_timeout_escalated: int | None = None
    total_incidents_manually_escalated: int | None = None
    total_interruptions: int | None = None
    total_notifications: int | None = None
    total_engaged_seconds: int | None = None
    total_seconds_to_ack: int | None = None
    mean_seconds_to_ack: float | None = None
    acknowledgement_pct: float | None = None


class InsightResponderResponse(BaseModel):
    """The ``data`` of the answer to POST /insight/responder."""

    model_config = _RESPONSE
    items: list[ResponderInsightItem] | None = None
