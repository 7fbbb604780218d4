"""Request and response models of the inhibit rules area."""

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


class InhibitRuleItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    channel_id: int | None = None
    priority: int | None = None
    rule_name: str | None = None
    description: str | None = None
    source_filters: list[list[FilterConditionOutput]] | None = None
    target_filters: list[list[FilterConditionOutput]] | None = None
    equals: list[str] | None = None
    is_directly_discard: bool | None = None
    status: str | None = None
    rule_id: str | None = None
    updated_by: int | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class ChannelInhibitRuleListResponse(BaseModel):
    """The ``data`` of the answer to POST /channel/inhibit/rule/list."""

    model_config = _RESPONSE
    items: list[InhibitRuleItem] | None = None


class ChannelInhibitRuleCreateRequest(BaseModel):
    """Request body of POST /channel/inhibit/rule/create."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    priority: Annotated[int, not_bool] | None = None
    rule_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    equals: list[str]
    source_filters: list[list[FilterCondition]] | None = None
    target_filters: list[list[FilterCondition]] | None = None
    is_directly_discard: bool | None = None


class ChannelInhibitRuleUpdateRequest(BaseModel):
    """Request body of POST /channel/inhibit/rule/update."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    priority: Annotated[int, not_bool] | None = None
    rule_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    equals: list[str]
    source_filters: list[list[FilterCondition]] | None = None
    target_filters: list[list[FilterCondition]] | None = None
    is_directly_discard: bool | None = None
