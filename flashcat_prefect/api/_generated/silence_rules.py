"""Request and response models of the silence rules area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api.constraints import not_bool, unix_seconds

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class ChannelSilenceRuleListRequest(BaseModel):
    """Request body of POST /channel/silence/rule/list."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]


class TimeFilter(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start: str | None = None
    end: str | None = None
    repeat: list[int] | None = None
    cal_id: str | None = None
    is_off: bool | None = None


class OnceTimeFilter(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    start_time: int | None = None
    end_time: int | None = None


class FilterCondition(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    key: str | None = None
    oper: str | None = None
    vals: list[str] | None = None


class SilenceRuleItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    channel_id: int | None = None
    priority: int | None = None
    rule_name: str | None = None
    description: str | None = None
    from_incident_id: str | None = None
    time_filters: list[TimeFilter] | None = None
    time_filter: OnceTimeFilter | None = None
    filters: list[list[FilterCondition]] | None = None
    is_directly_discard: bool | None = None
    status: str | None = None
    rule_id: str | None = None
    updated_by: int | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    is_effective: bool | None = None


class ChannelSilenceRuleListResponse(BaseModel):
    """The ``data`` of a POST /channel/silence/rule/list answer."""

    model_config = _RESPONSE
    items: list[SilenceRuleItem] | None = None


class ChannelSilenceRuleCreateRequestTimeFilters(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    start: Annotated[str, Field(pattern="^([01]\\d|2[0-3]):[0-5]\\d$")] | None = None
    end: Annotated[str, Field(pattern="^([01]\\d|2[0-3]):[0-5]\\d$")] | None = None
    repeat: list[Annotated[int, not_bool]] | None = None
    cal_id: str | None = None
    is_off: bool | None = None


class ChannelSilenceRuleCreateRequestTimeFilter(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    start_time: Annotated[int, not_bool, unix_seconds]
    end_time: Annotated[int, not_bool, unix_seconds]


class ChannelSilenceRuleCreateRequestFilters(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str] | None


class ChannelSilenceRuleCreateRequest(BaseModel):
    """Request body of POST /channel/silence/rule/create."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    priority: Annotated[int, not_bool] | None = None
    rule_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    from_incident_id: Annotated[str, Field(pattern="^(?:[0-9a-fA-F]{24})?$")] | None = None
    time_filters: list[ChannelSilenceRuleCreateRequestTimeFilters] | None = None
    time_filter: ChannelSilenceRuleCreateRequestTimeFilter | None = None
    filters: list[list[ChannelSilenceRuleCreateRequestFilters]] | None = None
    is_directly_discard: bool | None = None


class ChannelSilenceRuleCreateResponse(BaseModel):
    """The ``data`` of a POST /channel/silence/rule/create answer."""

    model_config = _RESPONSE
    rule_id: str | None = None
    rule_name: str | None = None


class ChannelSilenceRuleUpdateTimeFilter(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    start: Annotated[str, Field(pattern="^([01]\\d|2[0-3]):[0-5]\\d$")] | None = None
    end: Annotated[str, Field(pattern="^([01]\\d|2[0-3]):[0-5]\\d$")] | None = None
    repeat: list[Annotated[int, not_bool]] | None = None
    cal_id: str | None = None
    is_off: bool | None = None


class ChannelSilenceRuleUpdateOnceTimeFilter(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    start_time: Annotated[int, not_bool, unix_seconds]
    end_time: Annotated[int, not_bool, unix_seconds]


class ChannelSilenceRuleUpdateFilterCondition(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str] | None


class ChannelSilenceRuleUpdateRequest(BaseModel):
    """Request body of POST /channel/silence/rule/update."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    priority: Annotated[int, not_bool] | None = None
    rule_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    time_filters: list[ChannelSilenceRuleUpdateTimeFilter] | None = None
    time_filter: ChannelSilenceRuleUpdateOnceTimeFilter | None = None
    filters: list[list[ChannelSilenceRuleUpdateFilterCondition]] | None = None
    is_directly_discard: bool | None = None


class ChannelSilenceRuleUpdateResponse(BaseModel):
    """The ``data`` of a POST /channel/silence/rule/update answer."""

    model_config = _RESPONSE


class ChannelSilenceRuleDeleteRequest(BaseModel):
    """Request body of POST /channel/silence/rule/delete."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class ChannelSilenceRuleDeleteResponse(BaseModel):
    """The ``data`` of a POST /channel/silence/rule/delete answer."""

    model_config = _RESPONSE


class ChannelSilenceRuleEnableRequest(BaseModel):
    """Request body of POST /channel/silence/rule/enable."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class ChannelSilenceRuleEnableResponse(BaseModel):
    """The ``data`` of a POST /channel/silence/rule/enable answer."""

    model_config = _RESPONSE


class ChannelSilenceRuleDisableRequest(BaseModel):
    """Request body of POST /channel/silence/rule/disable."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    rule_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class ChannelSilenceRuleDisableResponse(BaseModel):
    """The ``data`` of a POST /channel/silence/rule/disable answer."""

    model_config = _RESPONSE
