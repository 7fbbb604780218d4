"""Request and response models of the drop rules area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class ChannelUnsubscribeRuleListRequest(BaseModel):
    """Request body of POST /channel/unsubscribe/rule/list."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]


class FilterCondition(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    key: str | None = None
    oper: str | None = None
    vals: list[str] | None = None


class UnsubscribeRuleItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    channel_id: int | None = None
    priority: int | None = None
    rule_name: str | None = None
    description: str | None = None
    filters: list[list[FilterCondition]] | None = None
    status: str | None = None
    rule_id: str | None = None
    updated_by: int | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class ChannelUnsubscribeRuleListResponse(BaseModel):
    """The ``data`` of a POST /channel/unsubscribe/rule/list answer."""

    model_config = _RESPONSE
    items: list[UnsubscribeRuleItem] | None = None


class ChannelUnsubscribeRuleCreateRequestFilters(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str] | None


class ChannelUnsubscribeRuleCreateRequest(BaseModel):
    """Request body of POST /channel/unsubscribe/rule/create."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    priority: Annotated[int, not_bool] | None = None
    rule_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    filters: list[list[ChannelUnsubscribeRuleCreateRequestFilters]] | None = None


class ChannelUnsubscribeRuleCreateResponse(BaseModel):
    """The ``data`` of a POST /channel/unsubscribe/rule/create answer."""

    model_config = _RESPONSE
    rule_id: str | None = None
    rule_name: str | None = None


class ChannelUnsubscribeRuleUpdateFilterCondition(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str] | None


class ChannelUnsubscribeRuleUpdateRequest(BaseModel):
    """Request body of POST /channel/unsubscribe/rule/update."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    priority: Annotated[int, not_bool] | None = None
    rule_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    filters: list[list[ChannelUnsubscribeRuleUpdateFilterCondition]] | None = None


class ChannelUnsubscribeRuleUpdateResponse(BaseModel):
    """The ``data`` of a POST /channel/unsubscribe/rule/update answer."""

    model_config = _RESPONSE


class ChannelUnsubscribeRuleDeleteRequest(BaseModel):
    """Request body of POST /channel/unsubscribe/rule/delete."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class ChannelUnsubscribeRuleDeleteResponse(BaseModel):
    """The ``data`` of a POST /channel/unsubscribe/rule/delete answer."""

    model_config = _RESPONSE


class ChannelUnsubscribeRuleEnableRequest(BaseModel):
    """Request body of POST /channel/unsubscribe/rule/enable."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class ChannelUnsubscribeRuleEnableResponse(BaseModel):
    """The ``data`` of a POST /channel/unsubscribe/rule/enable answer."""

    model_config = _RESPONSE


class ChannelUnsubscribeRuleDisableRequest(BaseModel):
    """Request body of POST /channel/unsubscribe/rule/disable."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class ChannelUnsubscribeRuleDisableResponse(BaseModel):
    """The ``data`` of a POST /channel/unsubscribe/rule/disable answer."""

    model_config = _RESPONSE
