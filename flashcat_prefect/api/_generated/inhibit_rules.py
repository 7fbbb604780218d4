"""Request and response models of the inhibit rules area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class ChannelInhibitRuleListRequest(BaseModel):
    """Request body of POST /channel/inhibit/rule/list."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]


class FilterCondition(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    key: str | None = None
    oper: str | None = None
    vals: list[str] | None = None


class InhibitRuleItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    channel_id: int | None = None
    priority: int | None = None
    rule_name: str | None = None
    description: str | None = None
    source_filters: list[list[FilterCondition]] | None = None
    target_filters: list[list[FilterCondition]] | None = None
    equals: list[str] | None = None
    is_directly_discard: bool | None = None
    status: str | None = None
    rule_id: str | None = None
    updated_by: int | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class ChannelInhibitRuleListResponse(BaseModel):
    """The ``data`` of a POST /channel/inhibit/rule/list answer."""

    model_config = _RESPONSE
    items: list[InhibitRuleItem] | None = None


class ChannelInhibitRuleCreateRequestSourceFilters(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str] | None


class ChannelInhibitRuleCreateRequestTargetFilters(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str] | None


class ChannelInhibitRuleCreateRequest(BaseModel):
    """Request body of POST /channel/inhibit/rule/create."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    priority: Annotated[int, not_bool] | None = None
    rule_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    equals: list[str]
    source_filters: list[list[ChannelInhibitRuleCreateRequestSourceFilters]] | None = None
    target_filters: list[list[ChannelInhibitRuleCreateRequestTargetFilters]] | None = None
    is_directly_discard: bool | None = None


class ChannelInhibitRuleCreateResponse(BaseModel):
    """The ``data`` of a POST /channel/inhibit/rule/create answer."""

    model_config = _RESPONSE
    rule_id: str | None = None
    rule_name: str | None = None


class ChannelInhibitRuleUpdateFilterCondition(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str] | None


class ChannelInhibitRuleUpdateRequest(BaseModel):
    """Request body of POST /channel/inhibit/rule/update."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    priority: Annotated[int, not_bool] | None = None
    rule_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    equals: list[str]
    source_filters: list[list[ChannelInhibitRuleUpdateFilterCondition]] | None = None
    target_filters: list[list[ChannelInhibitRuleUpdateFilterCondition]] | None = None
    is_directly_discard: bool | None = None


class ChannelInhibitRuleUpdateResponse(BaseModel):
    """The ``data`` of a POST /channel/inhibit/rule/update answer."""

    model_config = _RESPONSE


class ChannelInhibitRuleDeleteRequest(BaseModel):
    """Request body of POST /channel/inhibit/rule/delete."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class ChannelInhibitRuleDeleteResponse(BaseModel):
    """The ``data`` of a POST /channel/inhibit/rule/delete answer."""

    model_config = _RESPONSE


class ChannelInhibitRuleEnableRequest(BaseModel):
    """Request body of POST /channel/inhibit/rule/enable."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class ChannelInhibitRuleEnableResponse(BaseModel):
    """The ``data`` of a POST /channel/inhibit/rule/enable answer."""

    model_config = _RESPONSE


class ChannelInhibitRuleDisableRequest(BaseModel):
    """Request body of POST /channel/inhibit/rule/disable."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class ChannelInhibitRuleDisableResponse(BaseModel):
    """The ``data`` of a POST /channel/inhibit/rule/disable answer."""

    model_config = _RESPONSE
