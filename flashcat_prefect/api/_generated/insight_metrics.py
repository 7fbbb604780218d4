"""Request and response models of the insight metrics area."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from flashcat_prefect.api.constraints import not_bool, time_span_at_most, unix_seconds

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class InsightIncidentMetricsRequest(BaseModel):
    """Request body of POST /insight/incident/metrics/team, POST /insight/incident/metrics/channel."""

    model_config = _REQUEST
    start_time: Annotated[int, not_bool, unix_seconds]
    end_time: Annotated[int, not_bool, unix_seconds]
    team_ids: list[Annotated[int, not_bool]] | None = None
    channel_ids: list[Annotated[int, not_bool]] | None = None
    severities: list[str] | None = None
    time_zone: str | None = None
    order_by: (
        Literal[
            "total_incident_cnt",
            "total_engaged_seconds",
            "total_incidents_acknowledged",
            "total_incidents_closed",
            "total_incidents_auto_closed",
            "total_incidents_timeout_closed",
            "total_incidents_escalated",
            "total_incidents_manually_escalated",
            "total_incidents_timeout_escalated",
            "total_incidents_reassigned",
            "mean_seconds_to_engage",
            "mean_seconds_to_first_acknowledge",
            "mean_seconds_to_close",
            "mean_noise_reduction_pct",
            "mean_acknowledgement_pct",
        ]
        | None
    ) = None
    asc: bool | None = None
    aggregate_unit: Literal["day", "week", "month"] | None = None
    split_hours: str | None = None

    check_time_span: ClassVar[Any] = time_span_at_most(31, "start_time", "end_time")


class InsightIncidentMetricsTeamResponseItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    total_engaged_seconds: int | None = None
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
    mean_seconds_to_engage: float | None = None
    mean_seconds_to_first_acknowledge: float | None = None
    mean_seconds_to_close: float | None = None
    mean_noise_reduction_pct: float | None = None
    mean_acknowlegement_pct: float | None = None
    ts: int | None = None
    hours: str | None = None
    channel_id: int | None = None
    channel_name: str | None = None
    team_id: int | None = None
    team_name: str | None = None
    total_alert_cnt: int | None = None
    total_alert_event_cnt: int | None = None
    total_incident_sms_notifications: int | None = None
    total_incident_email_notifications: int | None = None
    total_incident_voice_notifications: int | None = None
    total_schdule_shift_sms_notifications: int | None = None
    total_schdule_shift_email_notifications: int | None = None


class InsightIncidentMetricsResponse(RootModel[list[InsightIncidentMetricsTeamResponseItem]]):
    """The ``data`` of the answer to POST /insight/incident/metrics/team, POST /insight/incident/metrics/account, POST /insight/incident/metrics/channel."""

    model_config = ConfigDict(defer_build=True)


class InsightIncidentMetricsAccountRequest(BaseModel):
    """Request body of POST /insight/incident/metrics/account."""

    model_config = _REQUEST
    start_time: Annotated[int, not_bool, unix_seconds]
    end_time: Annotated[int, not_bool, unix_seconds]
    team_ids: list[Annotated[int, not_bool]] | None = None
    channel_ids: list[Annotated[int, not_bool]] | None = None
    severities: list[str] | None = None
    time_zone: str | None = None
    aggregate_unit: Literal["day", "week", "month"] | None = None
    split_hours: bool | None = None

    check_time_span: ClassVar[Any] = time_span_at_most(31, "start_time", "end_time")


class InsightIncidentMetricsRawRequest(BaseModel):
    """Request body of POST /insight/incident/metrics/raw."""

    model_config = _REQUEST
    start_time: Annotated[int, not_bool, unix_seconds]
    end_time: Annotated[int, not_bool, unix_seconds]
    team_ids: list[Annotated[int, not_bool]] | None = None
    channel_ids: list[Annotated[int, not_bool]] | None = None
    severities: list[str] | None = None
    time_zone: str | None = None
    p: Annotated[int, not_bool] | None = None
    limit: Annotated[int, not_bool] | None = None
    asc: bool | None = None
    orderby: str | None = None

    check_time_span: ClassVar[Any] = time_span_at_most(31, "start_time", "end_time")


class InsightIncidentMetricsRawResponseItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    incident_id: str | None = None
    account_id: int | None = None
    team_id: int | None = None
    channel_id: int | None = None
    severity: str | None = None
    created_at: int | None = None
    is_acked: bool | None = None
    is_assigned: bool | None = None
    is_reassigned: bool | None = None
    escalated_by: str | None = None
    closed_by: str | None = None
    seconds_to_first_ack: int | None = None
    seconds_to_close: int | None = None
    seconds_to_engage: int | None = None


class InsightIncidentMetricsRawResponse(RootModel[list[InsightIncidentMetricsRawResponseItem]]):
    """The ``data`` of the answer to POST /insight/incident/metrics/raw."""

    model_config = ConfigDict(defer_build=True)


class InsightAlertMetricsLabelTopRequest(BaseModel):
    """Request body of POST /insight/alert/metrics/label/top."""

    model_config = _REQUEST
    start_time: Annotated[int, not_bool, unix_seconds]
    end_time: Annotated[int, not_bool, unix_seconds]
    team_ids: list[Annotated[int, not_bool]] | None = None
    channel_ids: list[Annotated[int, not_bool]] | None = None
    severities: list[str] | None = None
    time_zone: str | None = None
    order_by: Literal["total_alert_cnt", "total_alert_event_cnt"] | None = None
    asc: bool | None = None
    k: Annotated[int, Field(ge=1, le=100), not_bool] | None = None
    label: Literal["check", "resource"]

    check_time_span: ClassVar[Any] = time_span_at_most(31, "start_time", "end_time")


class InsightAlertMetricsLabelTopResponseItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    total_alert_cnt: int | None = None
    total_alert_event_cnt: int | None = None
    label: str | None = None


class InsightAlertMetricsLabelTopResponse(RootModel[list[InsightAlertMetricsLabelTopResponseItem]]):
    """The ``data`` of the answer to POST /insight/alert/metrics/label/top."""

    model_config = ConfigDict(defer_build=True)


class InsightIncidentMetricsResponderRequest(BaseModel):
    """Request body of POST /insight/incident/metrics/responder."""

    model_config = _REQUEST
    start_time: Annotated[int, not_bool, unix_seconds]
    end_time: Annotated[int, not_bool, unix_seconds]
    team_ids: list[Annotated[int, not_bool]] | None = None
    channel_ids: list[Annotated[int, not_bool]] | None = None
    severities: list[str] | None = None
    time_zone: str | None = None
    responder_ids: list[str] | None = None
    order_by: (
        Literal[
            "total_incident_cnt",
            "total_engaged_seconds",
            "total_incidents_acknowledged",
            "total_incidents_reassigned",
            "mean_seconds_to_engage",
            "mean_seconds_to_acknowledge",
        ]
        | None
    ) = None
    asc: bool | None = None
    aggregate_unit: Literal["day", "week", "month"] | None = None
    split_hours: bool | None = None

    check_time_span: ClassVar[Any] = time_span_at_most(31, "start_time", "end_time")


class InsightResponderMetrics(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    total_engaged_seconds: int | None = None
    total_incident_cnt: int | None = None
    total_incidents_acknowledged: int | None = None
    total_incidents_reassigned: int | None = None
    mean_seconds_to_engage: float | None = None
    mean_seconds_to_acknowledge: float | None = None
    ts: int | None = None
    hours: str | None = None
    responder_id: int | None = None
    responder_name: str | None = None


class InsightIncidentMetricsResponderResponse(RootModel[list[InsightResponderMetrics]]):
    """The ``data`` of the answer to POST /insight/incident/metrics/responder."""

    model_config = ConfigDict(defer_build=True)
