"""Request and response models of the drop rules area."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import ChannelIdRequest as ChannelIdRequest
from flashcat_prefect.api._generated.entities import (
    ChannelIdRuleIdRequest as ChannelIdRuleIdRequest,
)
from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api._generated.entities import FilterCondition as FilterCondition
from flashcat_prefect.api._generated.entities import FilterConditionOutput as FilterConditionOutput
from flashcat_prefect.api._generated.entities import (
    RuleIdRuleNameResponse as RuleIdRuleNameResponse,
)
from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class UnsubscribeRuleItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    channel_id: int | None = None
    priority: int | None = None
    rule_name: str | None = None
    description: str | None = None
    filters: list[list[FilterConditionOutput]] | None = None
    status: str | None = None
    rule_id: str | None = None
    updated_by: int | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class ChannelUnsubscribeRuleListResponse(BaseModel):
    """The ``data`` of the answer to POST /channel/unsubscribe/rule/list."""

    model_config = _RESPONSE
    items: list[UnsubscribeRuleItem] | None = None


class ChannelUnsubscribeRuleCreateRequest(BaseModel):
    """Request body of POST /channel/unsubscribe/rule/create."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    priority: Annotated[int, not_bool] | None = None
    rule_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    filters: list[list[FilterCondition]] | None = None


class ChannelUnsubscribeRuleUpdateRequest(BaseModel):
    """Request body of POST /channel/unsubscribe/rule/update."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    priority: Annotated[int, not_bool] | None = None
    rule_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    filters: list[list[FilterCondition]] | None = None
