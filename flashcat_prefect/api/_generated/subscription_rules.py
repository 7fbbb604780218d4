"""Request and response models of the subscription rules area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict

from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class ChannelSubscribeRuleEnableRequest(BaseModel):
    """Request body of POST /channel/subscribe/rule/enable."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: str


class ChannelSubscribeRuleEnableResponse(BaseModel):
    """The ``data`` of a POST /channel/subscribe/rule/enable answer."""

    model_config = _RESPONSE


class ChannelSubscribeRuleDisableRequest(BaseModel):
    """Request body of POST /channel/subscribe/rule/disable."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: str


class ChannelSubscribeRuleDisableResponse(BaseModel):
    """The ``data`` of a POST /channel/subscribe/rule/disable answer."""

    model_config = _RESPONSE


class ChannelSubscribeRuleDeleteRequest(BaseModel):
    """Request body of POST /channel/subscribe/rule/delete."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: str


class ChannelSubscribeRuleDeleteResponse(BaseModel):
    """The ``data`` of a POST /channel/subscribe/rule/delete answer."""

    model_config = _RESPONSE


class ChannelSubscribeRuleListRequest(BaseModel):
    """Request body of POST /channel/subscribe/rule/list."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]


class Filter(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    key: str | None = None
    oper: str | None = None
    vals: list[str] | None = None


class SubscribeRule(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    channel_id: int | None = None
    rule_id: str | None = None
    rule_name: str | None = None
    description: str | None = None
    filters: list[list[Filter]] | None = None
    status: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    updated_by: int | None = None


class ChannelSubscribeRuleListResponse(BaseModel):
    """The ``data`` of a POST /channel/subscribe/rule/list answer."""

    model_config = _RESPONSE
    items: list[SubscribeRule] | None = None


class ChannelSubscribeRuleCreateFilter(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str] | None


class ChannelSubscribeRuleCreateRequest(BaseModel):
    """Request body of POST /channel/subscribe/rule/create."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_name: str
    description: str
    filters: list[list[ChannelSubscribeRuleCreateFilter]]


class ChannelSubscribeRuleCreateResponse(BaseModel):
    """The ``data`` of a POST /channel/subscribe/rule/create answer."""

    model_config = _RESPONSE
    rule_id: str | None = None
    rule_name: str | None = None


class ChannelSubscribeRuleUpdateFilter(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str] | None


class ChannelSubscribeRuleUpdateRequest(BaseModel):
    """Request body of POST /channel/subscribe/rule/update."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: str | None = None
    rule_name: str
    description: str
    filters: list[list[ChannelSubscribeRuleUpdateFilter]]


class ChannelSubscribeRuleUpdateResponse(BaseModel):
    """The ``data`` of a POST /channel/subscribe/rule/update answer."""

    model_config = _RESPONSE
    rule_id: str | None = None
    rule_name: str | None = None
