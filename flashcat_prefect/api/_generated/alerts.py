"""Request and response models of the alerts area."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import AlertEventItem as AlertEventItem
from flashcat_prefect.api._generated.entities import AlertImage as AlertImage
from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api._generated.entities import IncidentShort as IncidentShort
from flashcat_prefect.api.constraints import not_bool, time_span_at_most, unix_seconds

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class AlertListRequest(BaseModel):
    """Request body of POST /alert/list."""

    model_config = _REQUEST
    start_time: Annotated[int, not_bool, unix_seconds]
    end_time: Annotated[int, not_bool, unix_seconds]
    p: Annotated[int, not_bool] | None = None
    limit: Annotated[int, not_bool] | None = None
    search_after_ctx: str | None = None
    is_active: bool | None = None
    ever_muted: bool | None = None
    alert_severity: str | None = None
    channel_ids: list[Annotated[int, not_bool]] | None = None
    integration_ids: list[Annotated[int, not_bool]] | None = None
    alert_ids: list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]] | None = None
    alert_keys: list[str] | None = None
    orderby: Literal["created_at", "updated_at"] | None = None
    asc: bool | None = None
    by_updated_at: bool | None = None
    title: str | None = None
    labels: dict[str, Any] | None = None

    check_time_span: ClassVar[Any] = time_span_at_most(31, "start_time", "end_time")


class AlertItem(BaseModel):
    """Part of an answer. The ``data`` of the answer to POST /alert/info."""

    model_config = _RESPONSE
    alert_id: str | None = None
    integration_id: int | None = None
    data_source_id: int | None = None
    channel_id: int | None = None
    account_id: int | None = None
    title: str | None = None
    title_rule: str | None = None
    description: str | None = None
    alert_severity: str | None = None
    alert_status: str | None = None
    alert_key: str | None = None
    start_time: int | None = None
    last_time: int | None = None
    end_time: int | None = None
    labels: dict[str, str] | None = None
    ever_muted: bool | None = None
    created_at: int | None = None
    updated_at: int | None = None
    integration_name: str | None = None
    integration_type: str | None = None
    integration_ref_id: str | None = None
    channel_name: str | None = None
    channel_status: str | None = None
    responder_name: str | None = None
    responder_email: str | None = None
    event_cnt: int | None = None
    incident: IncidentShort | None = None
    events: list[AlertEventItem] | None = None
    images: list[AlertImage] | None = None
    data_source_name: str | None = None
    data_source_type: str | None = None
    data_source_ref_id: str | None = None


class AlertListResponse(BaseModel):
    """The ``data`` of the answer to POST /alert/list, POST /alert/list-by-ids."""

    model_config = _RESPONSE
    total: int | None = None
    has_next_page: bool | None = None
    search_after_ctx: str | None = None
    items: list[AlertItem] | None = None


class AlertIdRequest(BaseModel):
    """Request body of POST /alert/info, POST /alert/event/list."""

    model_config = _REQUEST
    alert_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class AlertIdsRequest(BaseModel):
    """Request body of POST /alert/list-by-ids, POST /alert/close."""

    model_config = _REQUEST
    alert_ids: list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]]


class AlertEventListResponse(BaseModel):
    """The ``data`` of the answer to POST /alert/event/list."""

    model_config = _RESPONSE
    items: list[AlertEventItem] | None = None


class AlertFeedRequest(BaseModel):
    """Request body of POST /alert/feed."""

    model_config = _REQUEST
    alert_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    p: Annotated[int, not_bool] | None = None
    limit: Annotated[int, not_bool] | None = None
    asc: bool | None = None
    types: list[str] | None = None


class FeedItemDetail(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    severity: str | None = None
    status: str | None = None
    comment: str | None = None


class FeedItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    ref_id: str | None = None
    type: str | None = None
    detail: FeedItemDetail | None = None
    account_id: int | None = None
    creator_id: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class AlertFeedResponse(BaseModel):
    """The ``data`` of the answer to POST /alert/feed."""

    model_config = _RESPONSE
    has_next_page: bool | None = None
    items: list[FeedItem] | None = None


class AlertMergeRequest(BaseModel):
    """Request body of POST /alert/merge."""

    model_config = _REQUEST
    alert_ids: list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]]
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    comment: str | None = None
    title: str | None = None
    owner_id: Annotated[int, not_bool] | None = None


class AlertListByCardRequest(BaseModel):
    """Request body of POST /alert/list-by-card."""

    model_config = _REQUEST
    view_id: str
    progress: str | None = None
    title: str | None = None
    channel_id: Annotated[int, not_bool] | None = None
    data_source_id: Annotated[int, not_bool] | None = None
    start_time: Annotated[int, not_bool]
    end_time: Annotated[int, not_bool]
    alert_severity: str | None = None
    is_my_channel: bool | None = None
    ever_muted: bool | None = None
    labels: dict[str, Any]


class AlertListByCardResponseItems(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    title: str | None = None
    total: int | None = None
    alert_severity: str | None = None
    alert_ids: list[str] | None = None


class AlertListByCardResponse(BaseModel):
    """The ``data`` of the answer to POST /alert/list-by-card."""

    model_config = _RESPONSE
    items: list[AlertListByCardResponseItems] | None = None
