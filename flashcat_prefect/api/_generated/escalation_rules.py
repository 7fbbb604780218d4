"""Request and response models of the escalation rules area."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import ChannelIdRequest as ChannelIdRequest
from flashcat_prefect.api._generated.entities import (
    ChannelIdRuleIdRequest as ChannelIdRuleIdRequest,
)
from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api._generated.entities import EscalateTarget as EscalateTarget
from flashcat_prefect.api._generated.entities import EscalateTargetBy as EscalateTargetBy
from flashcat_prefect.api._generated.entities import (
    EscalateTargetWebhooks as EscalateTargetWebhooks,
)
from flashcat_prefect.api._generated.entities import FilterCondition as FilterCondition
from flashcat_prefect.api._generated.entities import FilterConditionOutput as FilterConditionOutput
from flashcat_prefect.api._generated.entities import (
    RuleIdRuleNameResponse as RuleIdRuleNameResponse,
)
from flashcat_prefect.api._generated.entities import ScheduleImNotify as ScheduleImNotify
from flashcat_prefect.api._generated.entities import TimeFilter as TimeFilter
from flashcat_prefect.api._generated.entities import TimeFilterOutput as TimeFilterOutput
from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class ChannelEscalateRuleInfoEscalateTargetBy(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    follow_preference: bool | None = None
    critical: list[str] | None = None
    warning: list[str] | None = None
    info: list[str] | None = None


class EscalateTargetOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    person_ids: list[int] | None = None
    team_ids: list[int] | None = None
    schedule_to_role_ids: dict[str, Any] | None = None
    emails: list[str] | None = None
    by: ChannelEscalateRuleInfoEscalateTargetBy | None = None
    webhooks: list[ScheduleImNotify] | None = None


class EscalateLayerOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    max_times: int | None = None
    notify_step: float | None = None
    target: EscalateTargetOutput | None = None
    escalate_window: int | None = None
    force_escalate: bool | None = None


class ChannelEscalateRuleInfoResponse(BaseModel):
    """The ``data`` of the answer to POST /channel/escalate/rule/info."""

    model_config = _RESPONSE
    account_id: int | None = None
    channel_id: int | None = None
    priority: int | None = None
    aggr_window: int | None = None
    rule_name: str | None = None
    description: str | None = None
    layers: list[EscalateLayerOutput] | None = None
    time_filters: list[TimeFilterOutput] | None = None
    filters: list[list[FilterConditionOutput]] | None = None
    status: str | None = None
    template_id: str | None = None
    rule_id: str | None = None
    updated_by: int | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    channel_name: str | None = None


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
    time_filters: list[TimeFilterOutput] | None = None
    filters: list[list[FilterConditionOutput]] | None = None
    status: str | None = None
    template_id: str | None = None
    rule_id: str | None = None
    updated_by: int | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    channel_name: str | None = None


class ChannelEscalateRuleListResponse(BaseModel):
    """The ``data`` of the answer to POST /channel/escalate/rule/list."""

    model_config = _RESPONSE
    items: list[EscalateRuleItem] | None = None


class EscalateLayer(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    max_times: Annotated[int, Field(ge=0, le=6), not_bool] | None = None
    notify_step: Annotated[float, Field(ge=0.5, le=120), not_bool] | None = None
    target: EscalateTarget | None
    escalate_window: Annotated[int, Field(ge=0, le=720), not_bool] | None = None
    force_escalate: bool | None = None


class ChannelEscalateRuleCreateRequest(BaseModel):
    """Request body of POST /channel/escalate/rule/create."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    priority: Annotated[int, Field(ge=0, le=200), not_bool] | None = None
    aggr_window: Annotated[int, Field(ge=0, le=3600), not_bool] | None = None
    template_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    rule_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    layers: list[EscalateLayer]
    time_filters: list[TimeFilter] | None = None
    filters: list[list[FilterCondition]] | None = None


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
    layers: list[EscalateLayer]
    time_filters: list[TimeFilter] | None = None
    filters: list[list[FilterCondition]] | None = None
