"""Models more than one area uses: recurring entities (filter conditions, alert images, responders, ...) and request/answer shapes several endpoints share."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class IncidentShort(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    incident_id: str | None = None
    title: str | None = None
    progress: str | None = None


class Responder(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    person_id: int | None = None
    assigned_at: int | None = None
    acknowledged_at: int | None = None
    person_name: str | None = None
    email: str | None = None
    as_: str | None = Field(None, alias="as")


class IncidentIdRequest(BaseModel):
    """Request body of POST /incident/info, POST /incident/war-room/default-observers."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class AlertImage(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    href: str | None = None
    src: str | None = None
    alt: str | None = None


class AlertEventItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    event_id: str | None = None
    alert_id: str | None = None
    account_id: int | None = None
    channel_id: int | None = None
    integration_id: int | None = None
    integration_type: str | None = None
    data_source_id: int | None = None
    title: str | None = None
    title_rule: str | None = None
    description: str | None = None
    alert_key: str | None = None
    event_severity: str | None = None
    event_status: str | None = None
    event_time: int | None = None
    labels: dict[str, str] | None = None
    images: list[AlertImage] | None = None
    created_at: int | None = None
    updated_at: int | None = None
    deleted_at: int | None = None


class AlertIncident(BaseModel):
    """The ``data`` of the answer to POST /incident/create. Part of a payload Flashduty sends."""

    model_config = _RESPONSE
    incident_id: str | None = None
    title: str | None = None


class EmptyResponse(BaseModel):
    """The ``data`` of the answer to 112 endpoints (POST /incident/ack, POST /incident/unack, ...). Reply the receiver sends back for: alert webhook delivery, incident webhook delivery, custom action invocation."""

    model_config = _RESPONSE


class ChannelIdRequest(BaseModel):
    """Request body of 11 endpoints (POST /channel/info, POST /channel/delete, ...)."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]


class EscalateTargetBy(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    follow_preference: bool | None = None
    critical: list[str] | None = None
    warning: list[str] | None = None
    info: list[str] | None = None


class EscalateTargetWebhooks(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    type: str
    settings: dict[str, Any] | None


class EscalateTarget(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    person_ids: list[Annotated[int, not_bool]] | None = None
    team_ids: list[Annotated[int, not_bool]] | None = None
    schedule_to_role_ids: dict[str, Any] | None = None
    emails: list[str] | None = None
    by: EscalateTargetBy | None = None
    webhooks: list[EscalateTargetWebhooks] | None = None


class EmptyRequest(BaseModel):
    """Request body of 20 endpoints (POST /channel/notify/rule/list, POST /channel/notify/rule/create, ...)."""

    model_config = _REQUEST


class TimeFilterOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: str | None = None
    end: str | None = None
    repeat: list[int] | None = None
    cal_id: str | None = None
    is_off: bool | None = None


class FilterConditionOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    key: str | None = None
    oper: str | None = None
    vals: list[str] | None = None


class TimeFilter(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    start: Annotated[str, Field(pattern="^([01]\\d|2[0-3]):[0-5]\\d$")] | None = None
    end: Annotated[str, Field(pattern="^([01]\\d|2[0-3]):[0-5]\\d$")] | None = None
    repeat: list[Annotated[int, not_bool]] | None = None
    cal_id: str | None = None
    is_off: bool | None = None


class FilterCondition(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str] | None


class RuleIdRuleNameResponse(BaseModel):
    """The ``data`` of the answer to 6 endpoints (POST /channel/silence/rule/create, POST /channel/inhibit/rule/create, ...)."""

    model_config = _RESPONSE
    rule_id: str | None = None
    rule_name: str | None = None


class ChannelIdRuleIdRequest(BaseModel):
    """Request body of 13 endpoints (POST /channel/silence/rule/delete, POST /channel/silence/rule/enable, ...)."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class ScheduleImNotify(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    type: str | None = None
    settings: dict[str, Any] | None = None


class IntegrationIdRequest(BaseModel):
    """Request body of POST /route/info, POST /alert/pipeline/info."""

    model_config = _REQUEST
    integration_id: Annotated[int, not_bool]


class IntegrationIdsRequest(BaseModel):
    """Request body of POST /route/list, POST /alert/pipeline/list, POST /enrichment/list."""

    model_config = _REQUEST
    integration_ids: list[Annotated[int, not_bool]]


class TemplateIdRequest(BaseModel):
    """Request body of 4 endpoints (GET /incident/post-mortem/template/info, POST /incident/post-mortem/template/delete, ...)."""

    model_config = _REQUEST
    template_id: str


class ViewIdRequest(BaseModel):
    """Request body of POST /incident/card-view/delete, POST /alert/card-view/delete."""

    model_config = _REQUEST
    view_id: str


class CardView(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    view_id: str | None = None
    view_name: str | None = None
    priority: int | None = None
    created_at: str | None = None
    updated_at: str | None = None
    equals: list[str] | None = None


class CardViewListResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/card-view/list, POST /alert/card-view/list."""

    model_config = _RESPONSE
    items: list[CardView] | None = None


class ViewIdResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/card-view/create, POST /alert/card-view/create."""

    model_config = _RESPONSE
    view_id: str | None = None


class RuleIdResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/card-view/update, POST /alert/card-view/update."""

    model_config = _RESPONSE
    rule_id: str | None = None
