"""Request and response models of the routes area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class RouteInfoRequest(BaseModel):
    """Request body of POST /route/info."""

    model_config = _REQUEST
    integration_id: int


class RouteMatchCondition(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    key: str | None = None
    oper: str | None = None
    vals: list[str] | None = None


class RouteCase(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    if_: list[RouteMatchCondition] | None = Field(None, alias="if")
    channel_ids: list[int] | None = None
    fallthrough: bool | None = None
    routing_mode: str | None = None
    name_mapping_label: str | None = None


class RouteSection(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    name: str | None = None
    position: int | None = None


class RouteDefault(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    channel_ids: list[int] | None = None


class RouteInfoResponse(BaseModel):
    """The ``data`` of a POST /route/info answer."""

    model_config = _RESPONSE
    integration_id: int | None = None
    cases: list[RouteCase] | None = None
    sections: list[RouteSection] | None = None
    default: RouteDefault | None = None
    status: str | None = None
    version: int | None = None
    updated_by: int | None = None
    creator_id: int | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class RouteListRequest(BaseModel):
    """Request body of POST /route/list."""

    model_config = _REQUEST
    integration_ids: list[int]


class RouteItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    integration_id: int | None = None
    cases: list[RouteCase] | None = None
    sections: list[RouteSection] | None = None
    default: RouteDefault | None = None
    status: str | None = None
    version: int | None = None
    updated_by: int | None = None
    creator_id: int | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class RouteListResponse(BaseModel):
    """The ``data`` of a POST /route/list answer."""

    model_config = _RESPONSE
    items: list[RouteItem] | None = None


class RouteUpsertRouteMatchCondition(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str] | None


class RouteUpsertRouteCase(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    if_: list[RouteUpsertRouteMatchCondition] | None = Field(..., alias="if")
    channel_ids: list[int] | None = None
    fallthrough: bool
    routing_mode: Literal["standard", "name_mapping"] | None = None
    name_mapping_label: str | None = None


class RouteUpsertRouteSection(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    name: str
    position: int


class RouteUpsertRouteDefault(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    channel_ids: list[int] | None = None


class RouteUpsertRequest(BaseModel):
    """Request body of POST /route/upsert."""

    model_config = _REQUEST
    integration_id: int
    cases: list[RouteUpsertRouteCase] | None = None
    sections: list[RouteUpsertRouteSection] | None = None
    default: RouteUpsertRouteDefault | None = None
    version: int | None = None


class RouteUpsertResponse(BaseModel):
    """The ``data`` of a POST /route/upsert answer."""

    model_config = _RESPONSE


class RouteHistoryListRequest(BaseModel):
    """Request body of POST /route/history/list."""

    model_config = _REQUEST
    p: int | None = None
    limit: int | None = None
    asc: bool | None = None
    orderby: Literal["updated_at"] | None = None
    integration_id: str


class Filter(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    key: str | None = None
    oper: str | None = None
    vals: list[str] | None = None


class RouteHistoryListRouteCase(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    if_: list[Filter] | None = Field(None, alias="if")
    channel_ids: list[int] | None = None
    fallthrough: bool | None = None
    routing_mode: str | None = None
    name_mapping_label: str | None = None


class RouteHistoryDefault(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    channel_ids: list[int] | None = None


class RouteHistory(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    cases: list[RouteHistoryListRouteCase] | None = None
    sections: list[RouteSection] | None = None
    default: RouteHistoryDefault | None = None
    version: int | None = None
    updated_by: int | None = None
    updated_at: int | None = None


class RouteHistoryListResponse(BaseModel):
    """The ``data`` of a POST /route/history/list answer."""

    model_config = _RESPONSE
    items: list[RouteHistory] | None = None


class RoutePreviewFilter(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str] | None


class RoutePreviewRouteCase(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    if_: list[RoutePreviewFilter] | None = Field(..., alias="if")
    channel_ids: list[int] | None = None
    fallthrough: bool | None = None
    routing_mode: Literal["standard", "name_mapping"] | None = None
    name_mapping_label: str | None = None


class RoutePreviewRequestRouteDefault(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    channel_ids: list[int] | None


class RoutePreviewRequestRoute(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    cases: list[RoutePreviewRouteCase] | None = None
    default: RoutePreviewRequestRouteDefault | None = None


class RoutePreviewRequest(BaseModel):
    """Request body of POST /route/preview."""

    model_config = _REQUEST
    alert_ids: list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]]
    route: RoutePreviewRequestRoute


class RoutePreviewResponseItems(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    alert_id: str | None = None
    alert_title: str | None = None
    start_time: int | None = None
    matched_cases: list[str] | None = None


class RoutePreviewResponse(BaseModel):
    """The ``data`` of a POST /route/preview answer."""

    model_config = _RESPONSE
    items: list[RoutePreviewResponseItems] | None = None
