"""Request and response models of the escalation rules area."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class ChannelEscalateRuleInfoRequest(BaseModel):
    """Request body of POST /channel/escalate/rule/info."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class EscalateTargetBy(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    follow_preference: bool | None = None
    critical: list[str] | None = None
    warning: list[str] | None = None
    info: list[str] | None = None


class EscalateTargetWebhooks(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    type: str | None = None
    settings: dict[str, Any] | None = None


class EscalateTarget(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    person_ids: list[int] | None = None
    team_ids: list[int] | None = None
    schedule_to_role_ids: dict[str, Any] | None = None
    emails: list[str] | None = None
    by: EscalateTargetBy | None = None
    webhooks: list[EscalateTargetWebhooks] | None = None


class EscalateLayer(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    max_times: int | None = None
    notify_step: float | None = None
    target: EscalateTarget | None = None
    escalate_window: int | None = None
    force_escalate: bool | None = None


class TimeFilter(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: str | None = None
    end: str | None = None
    repeat: list[int] | None = None
    cal_id: str | None = None
    is_off: bool | None = None


class FilterCondition(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    key: str | None = None
    oper: str | None = None
    vals: list[str] | None = None


class ChannelEscalateRuleInfoResponse(BaseModel):
    """The ``data`` of a POST /channel/escalate/rule/info answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    channel_id: int | None = None
    priority: int | None = None
    aggr_window: int | None = None
    rule_name: str | None = None
    description: str | None = None
    layers: list[EscalateLayer] | None = None
    time_filters: list[TimeFilter] | None = None
    filters: list[list[FilterCondition]] | None = None
    status: str | None = None
    template_id: str | None = None
    rule_id: str | None = None
    updated_by: int | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    channel_name: str | None = None


class ChannelEscalateRuleListRequest(BaseModel):
    """Request body of POST /channel/escalate/rule/list."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]


class ChannelEscalateRuleListEscalateTarget(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    person_ids: list[int] | None = None
    team_ids: list[int] | None = None
    schedule_to_role_ids: dict[str, Any] | None = None
    emails: list[str] | None = None
    by: dict[str, Any] | None = None
    webhooks: list[dict[str, Any]] | None = None


class ChannelEscalateRuleListEscalateLayer(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    max_times: int | None = None
    notify_step: float | None = None
    target: ChannelEscalateRuleListEscalateTarget | None = None
    escalate_window: int | None = None
    force_escalate: bool | None = None


class EscalateRuleItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    channel_id: int | None = None
    priority: int | None = None
    aggr_window: int | None = None
    rule_name: str | None = None
    description: str | None = None
    layers: list[ChannelEscalateRuleListEscalateLayer] | None = None
    time_filters: list[TimeFilter] | None = None
    filters: list[list[FilterCondition]] | None = None
    status: str | None = None
    template_id: str | None = None
    rule_id: str | None = None
    updated_by: int | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    channel_name: str | None = None


class ChannelEscalateRuleListResponse(BaseModel):
    """The ``data`` of a POST /channel/escalate/rule/list answer."""

    model_config = _RESPONSE
    items: list[EscalateRuleItem] | None = None


class ChannelEscalateRuleCreateRequestLayersTargetBy(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    follow_preference: bool | None = None
    critical: list[str] | None = None
    warning: list[str] | None = None
    info: list[str] | None = None


class ChannelEscalateRuleCreateRequestLayersTargetWebhooks(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    type: str
    settings: dict[str, Any] | None


class ChannelEscalateRuleCreateRequestLayersTarget(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    person_ids: list[Annotated[int, not_bool]] | None = None
    team_ids: list[Annotated[int, not_bool]] | None = None
    schedule_to_role_ids: dict[str, Any] | None = None
    emails: list[str] | None = None
    by: ChannelEscalateRuleCreateRequestLayersTargetBy | None = None
    webhooks: list[ChannelEscalateRuleCreateRequestLayersTargetWebhooks] | None = None


class ChannelEscalateRuleCreateRequestLayers(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    max_times: Annotated[int, Field(ge=0, le=6), not_bool] | None = None
    notify_step: Annotated[float, Field(ge=0.5, le=120), not_bool] | None = None
    target: ChannelEscalateRuleCreateRequestLayersTarget | None
    escalate_window: Annotated[int, Field(ge=0, le=720), not_bool] | None = None
    force_escalate: bool | None = None


class ChannelEscalateRuleCreateRequestTimeFilters(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    start: Annotated[str, Field(pattern="^([01]\\d|2[0-3]):[0-5]\\d$")] | None = None
    end: Annotated[str, Field(pattern="^([01]\\d|2[0-3]):[0-5]\\d$")] | None = None
    repeat: list[Annotated[int, not_bool]] | None = None
    cal_id: str | None = None
    is_off: bool | None = None


class ChannelEscalateRuleCreateRequestFilters(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str] | None


class ChannelEscalateRuleCreateRequest(BaseModel):
    """Request body of POST /channel/escalate/rule/create."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    priority: Annotated[int, Field(ge=0, le=200), not_bool] | None = None
    aggr_window: Annotated[int, Field(ge=0, le=3600), not_bool] | None = None
    template_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    rule_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    layers: list[ChannelEscalateRuleCreateRequestLayers]
    time_filters: list[ChannelEscalateRuleCreateRequestTimeFilters] | None = None
    filters: list[list[ChannelEscalateRuleCreateRequestFilters]] | None = None


class ChannelEscalateRuleCreateResponse(BaseModel):
    """The ``data`` of a POST /channel/escalate/rule/create answer."""

    model_config = _RESPONSE
    rule_id: str | None = None
    rule_name: str | None = None


class ChannelEscalateRuleUpdateEscalateTargetBy(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    follow_preference: bool | None = None
    critical: list[str] | None = None
    warning: list[str] | None = None
    info: list[str] | None = None


class ChannelEscalateRuleUpdateEscalateTargetWebhooks(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    type: str
    settings: dict[str, Any] | None


class ChannelEscalateRuleUpdateEscalateTarget(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    person_ids: list[Annotated[int, not_bool]] | None = None
    team_ids: list[Annotated[int, not_bool]] | None = None
    schedule_to_role_ids: dict[str, Any] | None = None
    emails: list[str] | None = None
    by: ChannelEscalateRuleUpdateEscalateTargetBy | None = None
    webhooks: list[ChannelEscalateRuleUpdateEscalateTargetWebhooks] | None = None


class ChannelEscalateRuleUpdateEscalateLayer(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    max_times: Annotated[int, Field(ge=0, le=6), not_bool] | None = None
    notify_step: Annotated[float, Field(ge=0.5, le=120), not_bool] | None = None
    target: ChannelEscalateRuleUpdateEscalateTarget | None
    escalate_window: Annotated[int, Field(ge=0, le=720), not_bool] | None = None
    force_escalate: bool | None = None


class ChannelEscalateRuleUpdateTimeFilter(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    start: Annotated[str, Field(pattern="^([01]\\d|2[0-3]):[0-5]\\d$")] | None = None
    end: Annotated[str, Field(pattern="^([01]\\d|2[0-3]):[0-5]\\d$")] | None = None
    repeat: list[Annotated[int, not_bool]] | None = None
    cal_id: str | None = None
    is_off: bool | None = None


class ChannelEscalateRuleUpdateFilterCondition(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str] | None


class ChannelEscalateRuleUpdateRequest(BaseModel):
    """Request body of POST /channel/escalate/rule/update."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    priority: Annotated[int, not_bool] | None = None
    aggr_window: Annotated[int, not_bool] | None = None
    template_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    rule_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    layers: list[ChannelEscalateRuleUpdateEscalateLayer]
    time_filters: list[ChannelEscalateRuleUpdateTimeFilter] | None = None
    filters: list[list[ChannelEscalateRuleUpdateFilterCondition]] | None = None


class ChannelEscalateRuleUpdateResponse(BaseModel):
    """The ``data`` of a POST /channel/escalate/rule/update answer."""

    model_config = _RESPONSE


class ChannelEscalateRuleDeleteRequest(BaseModel):
    """Request body of POST /channel/escalate/rule/delete."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class ChannelEscalateRuleDeleteResponse(BaseModel):
    """The ``data`` of a POST /channel/escalate/rule/delete answer."""

    model_config = _RESPONSE


class ChannelEscalateRuleEnableRequest(BaseModel):
    """Request body of POST /channel/escalate/rule/enable."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class ChannelEscalateRuleEnableResponse(BaseModel):
    """The ``data`` of a POST /channel/escalate/rule/enable answer."""

    model_config = _RESPONSE


class ChannelEscalateRuleDisableRequest(BaseModel):
    """Request body of POST /channel/escalate/rule/disable."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class ChannelEscalateRuleDisableResponse(BaseModel):
    """The ``data`` of a POST /channel/escalate/rule/disable answer."""

    model_config = _RESPONSE
