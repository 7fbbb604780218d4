"""Request and response models of the routes area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api._generated.entities import FilterCondition as FilterCondition
from flashcat_prefect.api._generated.entities import FilterConditionOutput as FilterConditionOutput
from flashcat_prefect.api._generated.entities import IntegrationIdRequest as IntegrationIdRequest
from flashcat_prefect.api._generated.entities import IntegrationIdsRequest as IntegrationIdsRequest
from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class RouteCase(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    if_: list[FilterConditionOutput] | None = Field(None, alias="if")
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


class RouteItem(BaseModel):
    """The ``data`` of the answer to POST /route/info. Part of an answer."""

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
    """The ``data`` of the answer to POST /route/list."""

    model_config = _RESPONSE
    items: list[RouteItem] | None = None


class RouteCaseInput(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    if_: list[FilterCondition] | None = Field(..., alias="if")
    channel_ids: list[Annotated[int, not_bool]] | None = None
    fallthrough: bool
    routing_mode: Literal["standard", "name_mapping"] | None = None
    name_mapping_label: str | None = None


class RouteSectionInput(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    name: str
    position: Annotated[int, not_bool]


class RouteDefaultInput(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    channel_ids: list[Annotated[int, not_bool]] | None = None


class RouteUpsertRequest(BaseModel):
    """Request body of POST /route/upsert."""

    model_config = _REQUEST
    integration_id: Annotated[int, not_bool]
    cases: list[RouteCaseInput] | None = None
    sections: list[RouteSectionInput] | None = None
    default: RouteDefaultInput | None = None
    version: Annotated[int, not_bool] | None = None


class RouteHistoryListRequest(BaseModel):
    """Request body of POST /route/history/list."""

    model_config = _REQUEST
    p: Annotated[int, not_bool] | None = None
    limit: Annotated[int, not_bool] | None = None
    asc: bool | None = None
    orderby: Literal["updated_at"] | None = None
    integration_id: str


class RouteHistory(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    cases: list[RouteCase] | None = None
    sections: list[RouteSection] | None = None
    default: RouteDefault | None = None
    version: int | None = None
    updated_by: int | None = None
    updated_at: int | None = None


class RouteHistoryListResponse(BaseModel):
    """The ``data`` of the answer to POST /route/history/list."""

    model_config = _RESPONSE
    items: list[RouteHistory] | None = None


class RoutePreviewRouteCase(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    if_: list[FilterCondition] | None = Field(..., alias="if")
    channel_ids: list[Annotated[int, not_bool]] | None = None
    fallthrough: bool | None = None
    routing_mode: Literal["standard", "name_mapping"] | None = None
    name_mapping_label: str | None = None


class RoutePreviewRequestRouteDefault(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    channel_ids: list[Annotated[int, not_bool]] | None


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
    """The ``data`` of the answer to POST /route/preview."""

    model_config = _RESPONSE
    items: list[RoutePreviewResponseItems] | None = None
