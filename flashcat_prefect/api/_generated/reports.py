"""Request and response models of the reports area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class ReportOncallPersonRequest(BaseModel):
    """Request body of POST /report/oncall/person."""

    model_config = _REQUEST
    person_ids: Annotated[list[Annotated[int, not_bool]], Field(min_length=1, max_length=20)]
    start_time: Annotated[int, not_bool]
    end_time: Annotated[int, not_bool]
    incident_severities: list[str] | None = None


class ReportOncallPersonResponseItems(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    person_id: int | None = None
    person_name: str | None = None
    assigned_incident_cnt: int | None = None
    acked_incident_cnt: int | None = None
    closed_incident_cnt: int | None = None
    mtta: float | None = None
    mttr: float | None = None


class ReportOncallPersonResponse(BaseModel):
    """The ``data`` of the answer to POST /report/oncall/person."""

    model_config = _RESPONSE
    items: list[ReportOncallPersonResponseItems] | None = None


class ReportOncallRequest(BaseModel):
    """Request body of POST /report/oncall/notifications, POST /report/oncall/incidents."""

    model_config = _REQUEST
    channel_ids: list[Annotated[int, not_bool]] | None = None
    step: Literal["day", "week", "month"]
    start_time: Annotated[int, not_bool]
    end_time: Annotated[int, not_bool]


class ReportOncallNotificationsResponseItems(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    ts: int | None = None
    sms_cnt: int | None = None
    voice_cnt: int | None = None
    email_cnt: int | None = None


class ReportOncallNotificationsResponse(BaseModel):
    """The ``data`` of the answer to POST /report/oncall/notifications."""

    model_config = _RESPONSE
    items: list[ReportOncallNotificationsResponseItems] | None = None


class ReportOncallChangesRequest(BaseModel):
    """Request body of POST /report/oncall/changes."""

    model_config = _REQUEST
    step: Literal["day", "week", "month"]
    start_time: Annotated[int, not_bool]
    end_time: Annotated[int, not_bool]


class ReportOncallChangesResponseItems(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    ts: int | None = None
    change_cnt: int | None = None
    change_event_cnt: int | None = None


class ReportOncallChangesResponse(BaseModel):
    """The ``data`` of the answer to POST /report/oncall/changes."""

    model_config = _RESPONSE
    items: list[ReportOncallChangesResponseItems] | None = None


class ReportOncallAlertCheckTopRequest(BaseModel):
    """Request body of POST /report/oncall/alert/check/top."""

    model_config = _REQUEST
    channel_ids: list[Annotated[int, not_bool]] | None = None
    start_time: Annotated[int, not_bool]
    end_time: Annotated[int, not_bool]
    k: Annotated[int, Field(ge=1, le=20), not_bool]


class ReportOncallAlertCheckTopResponseItems(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    check: str | None = None
    cnt: float | None = None


class ReportOncallAlertCheckTopResponse(BaseModel):
    """The ``data`` of the answer to POST /report/oncall/alert/check/top."""

    model_config = _RESPONSE
    items: list[ReportOncallAlertCheckTopResponseItems] | None = None


class ReportOncallTrendRequest(BaseModel):
    """Request body of POST /report/oncall/trend."""

    model_config = _REQUEST
    channel_ids: list[str] | None = None


class ReportOncallTrendResponse(BaseModel):
    """The ``data`` of the answer to POST /report/oncall/trend."""

    model_config = _RESPONSE
    incident_mttr_past_1st_week: int | None = None
    incident_mttr_past_2nd_week: int | None = None
    incident_mtta_past_1st_week: int | None = None
    incident_mtta_past_2nd_week: int | None = None
    incident_cnt_past_1st_week: int | None = None
    incident_cnt_past_2nd_week: int | None = None
    incident_auto_cnt_past_1st_week: int | None = None
    incident_auto_cnt_past_2nd_week: int | None = None
    incident_acked_cnt_past_1st_week: int | None = None
    incident_acked_cnt_past_2nd_week: int | None = None
    alert_cnt_past_1st_week: int | None = None
    alert_cnt_past_2nd_week: int | None = None
    alert_event_cnt_past_1st_week: int | None = None
    alert_event_cnt_past_2nd_week: int | None = None


class ReportOncallIncidentRequest(BaseModel):
    """Request body of POST /report/oncall/incident/mtta, POST /report/oncall/incident/mttr."""

    model_config = _REQUEST
    start_time: Annotated[int, not_bool]
    end_time: str
    step: Literal["day", "week", "month"]
    channel_ids: list[Annotated[int, not_bool]] | None = None
    team_ids: list[Annotated[int, not_bool]] | None = None
    incident_severities: list[str] | None = None


class ReportOncallIncidentMttaResponseItems(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    ts: int | None = None
    mtta: float | None = None


class ReportOncallIncidentMttaResponse(BaseModel):
    """The ``data`` of the answer to POST /report/oncall/incident/mtta."""

    model_config = _RESPONSE
    items: list[ReportOncallIncidentMttaResponseItems] | None = None


class ReportOncallIncidentMttrResponseItems(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    ts: int | None = None
    mttr: float | None = None


class ReportOncallIncidentMttrResponse(BaseModel):
    """The ``data`` of the answer to POST /report/oncall/incident/mttr."""

    model_config = _RESPONSE
    items: list[ReportOncallIncidentMttrResponseItems] | None = None


class ReportOncallAlertResourceTopRequest(BaseModel):
    """Request body of POST /report/oncall/alert/resource/top."""

    model_config = _REQUEST
    channel_ids: list[Annotated[int, not_bool]] | None = None
    start_time: Annotated[int, not_bool]
    end_time: Annotated[int, not_bool]
    k: Annotated[int, Field(ge=1, le=20), not_bool] | None = None


class ReportOncallAlertResourceTopResponseItems(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    resource: str | None = None
    cnt: float | None = None


class ReportOncallAlertResourceTopResponse(BaseModel):
    """The ``data`` of the answer to POST /report/oncall/alert/resource/top."""

    model_config = _RESPONSE
    items: list[ReportOncallAlertResourceTopResponseItems] | None = None


class ReportOncallIncidentsResponseItems(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    ts: int | None = None
    alert_event_cnt: int | None = None
    alert_cnt: int | None = None
    incident_cnt: str | None = None


class ReportOncallIncidentsResponse(BaseModel):
    """The ``data`` of the answer to POST /report/oncall/incidents."""

    model_config = _RESPONSE
    items: list[ReportOncallIncidentsResponseItems] | None = None
