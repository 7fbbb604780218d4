"""Request and response models of the subscription rules area."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict

from flashcat_prefect.api._generated.entities import ChannelIdRequest as ChannelIdRequest
from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api._generated.entities import FilterCondition as FilterCondition
from flashcat_prefect.api._generated.entities import FilterConditionOutput as FilterConditionOutput
from flashcat_prefect.api._generated.entities import (
    RuleIdRuleNameResponse as RuleIdRuleNameResponse,
)
from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class ChannelSubscribeRuleRequest(BaseModel):
    """Request body of POST /channel/subscribe/rule/enable, POST /channel/subscribe/rule/disable, POST /channel/subscribe/rule/delete."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: str


class SubscribeRule(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    channel_id: int | None = None
    rule_id: str | None = None
    rule_name: str | None = None
    description: str | None = None
    filters: list[list[FilterConditionOutput]] | None = None
    status: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    updated_by: int | None = None


class ChannelSubscribeRuleListResponse(BaseModel):
    """The ``data`` of the answer to POST /channel/subscribe/rule/list."""

    model_config = _RESPONSE
    items: list[SubscribeRule] | None = None


class ChannelSubscribeRuleCreateRequest(BaseModel):
    """Request body of POST /channel/subscribe/rule/create."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_name: str
    description: str
    filters: list[list[FilterCondition]]


class ChannelSubscribeRuleUpdateRequest(BaseModel):
    """Request body of POST /channel/subscribe/rule/update."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: str | None = None
    rule_name: str
    description: str
    filters: list[list[FilterCondition]]
