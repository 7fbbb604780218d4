"""Request and response models of the silence rules area."""

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
from flashcat_prefect.api._generated.entities import TimeFilter as TimeFilter
from flashcat_prefect.api._generated.entities import TimeFilterOutput as TimeFilterOutput
from flashcat_prefect.api.constraints import not_bool, unix_seconds

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class OnceTimeFilterOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start_time: int | None = None
    end_time: int | None = None


class SilenceRuleItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    channel_id: int | None = None
    priority: int | None = None
    rule_name: str | None = None
    description: str | None = None
    from_incident_id: str | None = None
    time_filters: list[TimeFilterOutput] | None = None
    time_filter: OnceTimeFilterOutput | None = None
    filters: list[list[FilterConditionOutput]] | None = None
    is_directly_discard: bool | None = None
    status: str | None = None
    rule_id: str | None = None
    updated_by: int | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    is_effective: bool | None = None


class ChannelSilenceRuleListResponse(BaseModel):
    """The ``data`` of the answer to POST /channel/silence/rule/list."""

    model_config = _RESPONSE
    items: list[SilenceRuleItem] | None = None


class OnceTimeFilter(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    start_time: Annotated[int, not_bool, unix_seconds]
    end_time: Annotated[int, not_bool, unix_seconds]


class ChannelSilenceRuleCreateRequest(BaseModel):
    """Request body of POST /channel/silence/rule/create."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    priority: Annotated[int, not_bool] | None = None
    rule_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    from_incident_id: Annotated[str, Field(pattern="^(?:[0-9a-fA-F]{24})?$")] | None = None
    time_filters: list[TimeFilter] | None = None
    time_filter: OnceTimeFilter | None = None
    filters: list[list[FilterCondition]] | None = None
    is_directly_discard: bool | None = None


class ChannelSilenceRuleUpdateRequest(BaseModel):
    """Request body of POST /channel/silence/rule/update."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    priority: Annotated[int, not_bool] | None = None
    rule_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    time_filters: list[TimeFilter] | None = None
    time_filter: OnceTimeFilter | None = None
    filters: list[list[FilterCondition]] | None = None
    is_directly_discard: bool | None = None
