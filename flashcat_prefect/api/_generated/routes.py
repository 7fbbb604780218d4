"""Request and response models of the routes area."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class RouteInfoRequest(BaseModel):
    """Request body of POST /route/info."""

    model_config = _REQUEST
    integration_id: int


class RouteMatchCondition(BaseModel):
    """Part of a response (RouteCase)."""

    model_config = _RESPONSE
    key: str | None = None
    oper: str | None = None
    vals: list[str] | None = None


class RouteCase(BaseModel):
    """Part of a response (RouteInfoResponse)."""

    model_config = _RESPONSE
    if_: list[RouteMatchCondition] | None = Field(None, alias="if")
    channel_ids: list[int] | None = None
    fallthrough: bool | None = None
    routing_mode: str | None = None
    name_mapping_label: str | None = None


class RouteSection(BaseModel):
    """Part of a response (RouteInfoResponse)."""

    model_config = _RESPONSE
    name: str | None = None
    position: int | None = None


class RouteDefault(BaseModel):
    """Part of a response (RouteInfoResponse)."""

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


class RouteCase2(BaseModel):
    """Part of a response (RouteItem)."""

    model_config = _RESPONSE
    if_: list[RouteMatchCondition] | None = Field(None, alias="if")
    channel_ids: list[int] | None = None
    fallthrough: bool | None = None
    routing_mode: str | None = None
    name_mapping_label: str | None = None


class RouteSection2(BaseModel):
    """Part of a response (RouteItem)."""

    model_config = _RESPONSE
    name: str | None = None
    position: int | None = None


class RouteDefault2(BaseModel):
    """Part of a response (RouteItem)."""

    model_config = _RESPONSE
    channel_ids: list[int] | None = None


class RouteItem(BaseModel):
    """Part of a response (RouteListResponse)."""

    model_config = _RESPONSE
    integration_id: int | None = None
    cases: list[RouteCase2] | None = None
    sections: list[RouteSection2] | None = None
    default: RouteDefault2 | None = None
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


class RouteMatchCondition2(BaseModel):
    """Part of a request (RouteCase)."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str]


class RouteCase3(BaseModel):
    """Part of a request (RouteUpsertRequest)."""

    model_config = _REQUEST
    if_: list[RouteMatchCondition2] = Field(..., alias="if")
    channel_ids: list[int] | None = None
    fallthrough: bool
    routing_mode: Literal["standard", "name_mapping"] | None = None
    name_mapping_label: str | None = None


class RouteSection3(BaseModel):
    """Part of a request (RouteUpsertRequest)."""

    model_config = _REQUEST
    name: str
    position: int


class RouteDefault3(BaseModel):
    """Part of a request (RouteUpsertRequest)."""

    model_config = _REQUEST
    channel_ids: list[int] | None = None


class RouteUpsertRequest(BaseModel):
    """Request body of POST /route/upsert."""

    model_config = _REQUEST
    integration_id: int
    cases: list[RouteCase3] | None = None
    sections: list[RouteSection3] | None = None
    default: RouteDefault3 | None = None
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
    """Part of a response (RouteCase)."""

    model_config = _RESPONSE
    key: str | None = None
    oper: str | None = None
    vals: list[str] | None = None


class RouteCase4(BaseModel):
    """Part of a response (RouteHistory)."""

    model_config = _RESPONSE
    if_: list[Filter] | None = Field(None, alias="if")
    channel_ids: list[int] | None = None
    fallthrough: bool | None = None
    routing_mode: str | None = None
    name_mapping_label: str | None = None


class RouteSection4(BaseModel):
    """Part of a response (RouteHistory)."""

    model_config = _RESPONSE
    name: str | None = None
    position: int | None = None


class RouteHistoryDefault(BaseModel):
    """Part of a response (RouteHistory)."""

    model_config = _RESPONSE
    channel_ids: list[int] | None = None


class RouteHistory(BaseModel):
    """Part of a response (RouteHistoryListResponse)."""

    model_config = _RESPONSE
    cases: list[RouteCase4] | None = None
    sections: list[RouteSection4] | None = None
    default: RouteHistoryDefault | None = None
    version: int | None = None
    updated_by: int | None = None
    updated_at: int | None = None


class RouteHistoryListResponse(BaseModel):
    """The ``data`` of a POST /route/history/list answer."""

    model_config = _RESPONSE
    items: list[RouteHistory] | None = None


class Filter2(BaseModel):
    """Part of a request (RouteCase)."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str]


class RouteCase5(BaseModel):
    """Part of a request (RoutePreviewRequestRoute)."""

    model_config = _REQUEST
    if_: list[Filter2] = Field(..., alias="if")
    channel_ids: list[int] | None = None
    fallthrough: bool | None = None
    routing_mode: Literal["standard", "name_mapping"] | None = None
    name_mapping_label: str | None = None


class RoutePreviewRequestRouteDefault(BaseModel):
    """Part of a request (RoutePreviewRequestRoute)."""

    model_config = _REQUEST
    channel_ids: list[int]


class RoutePreviewRequestRoute(BaseModel):
    """Part of a request (RoutePreviewRequest)."""

    model_config = _REQUEST
    cases: list[RouteCase5] | None = None
    default: RoutePreviewRequestRouteDefault | None = None


class RoutePreviewRequest(BaseModel):
    """Request body of POST /route/preview."""

    model_config = _REQUEST
    alert_ids: list[str]
    route: RoutePreviewRequestRoute


class RoutePreviewResponseItems(BaseModel):
    """Part of a response (RoutePreviewResponse)."""

    model_config = _RESPONSE
    alert_id: str | None = None
    alert_title: str | None = None
    start_time: int | None = None
    matched_cases: list[str] | None = None


class RoutePreviewResponse(BaseModel):
    """The ``data`` of a POST /route/preview answer."""

    model_config = _RESPONSE
    items: list[RoutePreviewResponseItems] | None = None
