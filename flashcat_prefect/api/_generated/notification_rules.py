"""Request and response models of the notification rules area."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class ChannelNotifyRuleListRequest(BaseModel):
    """Request body of POST /channel/notify/rule/list."""

    model_config = _REQUEST


class ChannelNotifyRuleListResponse(BaseModel):
    """The ``data`` of a POST /channel/notify/rule/list answer."""

    model_config = _RESPONSE


class ChannelNotifyRuleCreateRequest(BaseModel):
    """Request body of POST /channel/notify/rule/create."""

    model_config = _REQUEST


class ChannelNotifyRuleCreateResponse(BaseModel):
    """The ``data`` of a POST /channel/notify/rule/create answer."""

    model_config = _RESPONSE


class ChannelNotifyRuleUpdateRequest(BaseModel):
    """Request body of POST /channel/notify/rule/update."""

    model_config = _REQUEST


class ChannelNotifyRuleUpdateResponse(BaseModel):
    """The ``data`` of a POST /channel/notify/rule/update answer."""

    model_config = _RESPONSE


class ChannelNotifyRuleDeleteRequest(BaseModel):
    """Request body of POST /channel/notify/rule/delete."""

    model_config = _REQUEST


class ChannelNotifyRuleDeleteResponse(BaseModel):
    """The ``data`` of a POST /channel/notify/rule/delete answer."""

    model_config = _RESPONSE


class ChannelNotifyRuleEnableRequest(BaseModel):
    """Request body of POST /channel/notify/rule/enable."""

    model_config = _REQUEST


class ChannelNotifyRuleEnableResponse(BaseModel):
    """The ``data`` of a POST /channel/notify/rule/enable answer."""

    model_config = _RESPONSE


class ChannelNotifyRuleDisableRequest(BaseModel):
    """Request body of POST /channel/notify/rule/disable."""

    model_config = _REQUEST


class ChannelNotifyRuleDisableResponse(BaseModel):
    """The ``data`` of a POST /channel/notify/rule/disable answer."""

    model_config = _RESPONSE
