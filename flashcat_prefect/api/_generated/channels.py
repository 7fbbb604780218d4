"""Request and response models of the channels area."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import ChannelIdRequest as ChannelIdRequest
from flashcat_prefect.api._generated.entities import EmptyRequest as EmptyRequest
from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api._generated.entities import EscalateTarget as EscalateTarget
from flashcat_prefect.api._generated.entities import EscalateTargetBy as EscalateTargetBy
from flashcat_prefect.api._generated.entities import (
    EscalateTargetWebhooks as EscalateTargetWebhooks,
)
from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class GroupOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    method: str | None = None
    equals: list[list[str]] | None = None
    cases: list[dict[str, Any]] | None = None
    all_equals_required: bool | None = None
    time_window: int | None = None
    window_type: str | None = None
    storm_threshold: int | None = None
    storm_thresholds: list[int] | None = None
    i_keys: list[str] | None = None
    i_score_threshold: float | None = None


class FlappingOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    is_disabled: bool | None = None
    max_changes: int | None = None
    in_mins: int | None = None
    mute_mins: int | None = None


class IncProgressCnts(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    Triggered: int | None = None
    Processing: int | None = None


class ChannelItem(BaseModel):
    """The ``data`` of the answer to POST /channel/info. Part of an answer."""

    model_config = _RESPONSE
    channel_id: int | None = None
    team_id: int | None = None
    managing_team_ids: list[int] | None = None
    creator_id: int | None = None
    account_id: int | None = None
    channel_name: str | None = None
    description: str | None = None
    status: str | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    auto_resolve_timeout: int | None = None
    auto_resolve_mode: str | None = None
    is_private: bool | None = None
    disable_outlier_detection: bool | None = None
    disable_auto_close: bool | None = None
    group: GroupOutput | None = None
    flapping: FlappingOutput | None = None
    progress_to_incident_cnts: IncProgressCnts | None = None
    is_starred: bool | None = None
    active_incident_highest_severity: str | None = None
    last_incident_at: int | None = None
    is_external_report_enabled: bool | None = None
    external_report_token: str | None = None


class ChannelListRequest(BaseModel):
    """Request body of POST /channel/list."""

    model_config = _REQUEST
    p: Annotated[int, Field(ge=1), not_bool] | None = None
    limit: Annotated[int, Field(ge=1, le=100), not_bool] | None = None
    orderby: (
        Literal["ranking", "created_at", "updated_at", "channel_name", "last_incident_at"] | None
    ) = None
    asc: bool | None = None
    is_my_managed: bool | None = None
    is_my_starred: bool | None = None
    is_brief: bool | None = None
    is_my_team: bool | None = None
    team_ids: list[Annotated[int, not_bool]] | None = None
    query: str | None = None
    channel_ids: list[Annotated[int, not_bool]] | None = None
    channel_name: str | None = None


class ChannelListResponse(BaseModel):
    """The ``data`` of the answer to POST /channel/list."""

    model_config = _RESPONSE
    items: list[ChannelItem] | None = None
    total: int | None = None
    has_next_page: bool | None = None


class ChannelInfosRequest(BaseModel):
    """Request body of POST /channel/infos."""

    model_config = _REQUEST
    channel_ids: Annotated[list[Annotated[int, not_bool]], Field(min_length=0, max_length=1000)]


class ChannelShort(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    channel_id: int | None = None
    channel_name: str | None = None
    status: str | None = None


class ChannelInfosResponse(BaseModel):
    """The ``data`` of the answer to POST /channel/infos."""

    model_config = _RESPONSE
    items: list[ChannelShort] | None = None


class ChannelCreateRequestEscalateRule(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    aggr_window: Annotated[int, Field(ge=0, le=3600), not_bool] | None = None
    template_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    target: EscalateTarget | None


class Group(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    method: Literal["i", "p", "n"]
    equals: Annotated[list[list[str]], Field(min_length=0, max_length=5)] | None = None
    cases: Annotated[list[dict[str, Any]], Field(min_length=0, max_length=100)] | None = None
    all_equals_required: bool | None = None
    time_window: Annotated[int, Field(ge=0), not_bool] | None = None
    window_type: Literal["tumbling", "sliding"] | None = None
    storm_threshold: Annotated[int, Field(ge=0, le=10000), not_bool] | None = None
    storm_thresholds: (
        Annotated[list[Annotated[int, not_bool]], Field(min_length=0, max_length=5)] | None
    ) = None
    i_keys: Annotated[list[str], Field(min_length=0, max_length=10)] | None = None
    i_score_threshold: Annotated[float, Field(ge=0.5, le=1), not_bool] | None = None


class Flapping(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    is_disabled: bool | None = None
    max_changes: Annotated[int, Field(ge=2, le=100), not_bool] | None = None
    in_mins: Annotated[int, Field(ge=1, le=1440), not_bool] | None = None
    mute_mins: Annotated[int, Field(ge=0, le=1440), not_bool] | None = None


class ChannelCreateRequest(BaseModel):
    """Request body of POST /channel/create."""

    model_config = _REQUEST
    team_id: Annotated[int, not_bool]
    managing_team_ids: (
        Annotated[list[Annotated[int, not_bool]], Field(min_length=0, max_length=3)] | None
    ) = None
    channel_name: Annotated[str, Field(min_length=1, max_length=59)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    escalate_rule: ChannelCreateRequestEscalateRule | None = None
    group: Group | None = None
    flapping: Flapping | None = None
    auto_resolve_timeout: Annotated[int, Field(ge=0, le=2592000), not_bool] | None = None
    auto_resolve_mode: Literal["trigger", "update"] | None = None
    plugin_ids: list[Annotated[int, not_bool]] | None = None
    is_private: bool | None = None
    disable_outlier_detection: bool | None = None
    disable_auto_close: bool | None = None
    is_external_report_enabled: bool | None = None


class ChannelCreateResponse(BaseModel):
    """The ``data`` of the answer to POST /channel/create."""

    model_config = _RESPONSE
    channel_id: int | None = None
    channel_name: str | None = None
    external_report_token: str | None = None


class ChannelUpdateRequest(BaseModel):
    """Request body of POST /channel/update."""

    model_config = _REQUEST
    channel_id: Annotated[int, not_bool]
    team_id: Annotated[int, not_bool] | None = None
    managing_team_ids: (
        Annotated[list[Annotated[int, not_bool]], Field(min_length=0, max_length=3)] | None
    ) = None
    channel_name: Annotated[str, Field(min_length=1, max_length=59)] | None = None
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    auto_resolve_timeout: Annotated[int, Field(ge=0, le=2592000), not_bool] | None = None
    auto_resolve_mode: Literal["trigger", "update"] | None = None
    is_private: bool | None = None
    group: Group | None = None
    flapping: Flapping | None = None
    disable_outlier_detection: bool | None = None
    disable_auto_close: bool | None = None
    is_external_report_enabled: bool | None = None


class ChannelUpdateResponse(BaseModel):
    """The ``data`` of the answer to POST /channel/update."""

    model_config = _RESPONSE
    external_report_token: str | None = None


class ChannelReorderRequest(BaseModel):
    """Request body of POST /channel/reorder."""

    model_config = _REQUEST
    drag_channel_id: Annotated[int, not_bool]
    target_channel_id: Annotated[int, not_bool]


class ChannelEscalateWebhookRobotListResponseListSettings(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    alias: str | None = None
    token: str | None = None
    verify_token: str | None = None
    disable_at: bool | None = None
    reply_event_types: list[str] | None = None


class ChannelEscalateWebhookRobotListResponseList(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    type: str | None = None
    settings: ChannelEscalateWebhookRobotListResponseListSettings | None = None


class ChannelEscalateWebhookRobotListResponse(BaseModel):
    """The ``data`` of the answer to POST /channel/escalate/webhook/robot/list."""

    model_config = _RESPONSE
    list_: list[ChannelEscalateWebhookRobotListResponseList] | None = Field(None, alias="list")


class ChannelListByIntegrationRequest(BaseModel):
    """Request body of POST /channel/list-by-integration."""

    model_config = _REQUEST
    query: str | None = None
    channel_ids: list[Annotated[int, not_bool]] | None = None
    member_id: Annotated[int, not_bool] | None = None
    member_name: str | None = None
    email: str | None = None
    phone: str | None = None
    country_code: str | None = None


class ChannelListByIntegrationResponse(BaseModel):
    """The ``data`` of the answer to POST /channel/list-by-integration."""

    model_config = _RESPONSE
    items: list[ChannelShort] | None = None
    total: int | None = None
