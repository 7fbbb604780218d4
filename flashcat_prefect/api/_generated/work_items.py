"""Request and response models of the work items area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyRequest as EmptyRequest
from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class IncidentWorkItemPostMortemBindRequest(BaseModel):
    """Request body of POST /incident/work-item/post-mortem/bind."""

    model_config = _REQUEST
    idempotency_key: Annotated[str, Field(max_length=128)]
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    post_mortem_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{32}$")]


class IncidentWorkItemListResponseItems(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    assignee_ids: list[int] | None = None
    converted_at_seconds: int | None = None
    converted_by: int | None = None
    created_at_seconds: int | None = None
    created_by: int | None = None
    description: str | None = None
    incident_id: str | None = None
    item_type: str | None = None
    legacy_source_id: str | None = None
    post_mortem_id: str | None = None
    priority: str | None = None
    source_kind: str | None = None
    status: str | None = None
    title: str | None = None
    updated_at_seconds: int | None = None
    updated_by: int | None = None
    version: int | None = None
    work_item_id: str | None = None


class IncidentWorkItemListResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/work-item/post-mortem/bind, POST /incident/work-item/list."""

    model_config = _RESPONSE
    has_more: bool | None = None
    idempotent_replay: bool | None = None
    items: list[IncidentWorkItemListResponseItems] | None = None
    next_cursor: str | None = None


class IncidentWorkItemCompleteRequest(BaseModel):
    """Request body of POST /incident/work-item/complete."""

    model_config = _REQUEST
    idempotency_key: Annotated[str, Field(max_length=128)]
    target_status: Annotated[str, Field(max_length=64)]
    version: Annotated[int, not_bool]
    work_item_id: Annotated[str, Field(max_length=128)]


class IncidentWorkItemResponse(BaseModel):
    """The ``data`` of the answer to 4 endpoints (POST /incident/work-item/complete, POST /incident/work-item/convert, ...)."""

    model_config = _RESPONSE
    added_assignee_ids: list[int] | None = None
    idempotent_replay: bool | None = None
    item: IncidentWorkItemListResponseItems | None = None
    removed_assignee_ids: list[int] | None = None


class IncidentWorkItemConvertRequest(BaseModel):
    """Request body of POST /incident/work-item/convert."""

    model_config = _REQUEST
    idempotency_key: Annotated[str, Field(max_length=128)]
    target_status: Annotated[str, Field(max_length=64)] | None = None
    version: Annotated[int, not_bool]
    work_item_id: Annotated[str, Field(max_length=128)]


class IncidentWorkItemCreateRequest(BaseModel):
    """Request body of POST /incident/work-item/create."""

    model_config = _REQUEST
    assignee_ids: list[Annotated[int, not_bool]] | None = None
    description: Annotated[str, Field(max_length=65535)] | None = None
    idempotency_key: Annotated[str, Field(max_length=128)]
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    item_type: Literal["action", "follow_up"]
    post_mortem_id: Annotated[str, Field(pattern="^(?:[0-9a-fA-F]{32})?$")] | None = None
    priority: Annotated[str, Field(max_length=64)] | None = None
    status: Annotated[str, Field(max_length=64)] | None = None
    title: Annotated[str, Field(max_length=512)]


class IncidentWorkItemCreateResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/work-item/create."""

    model_config = _RESPONSE
    added_assignee_ids: list[int] | None = None
    idempotent_replay: bool | None = None
    item: IncidentWorkItemListResponseItems | None = None


class IncidentWorkItemListRequest(BaseModel):
    """Request body of POST /incident/work-item/list."""

    model_config = _REQUEST
    assignee_id: Annotated[int, not_bool] | None = None
    cursor: str | None = None
    incident_id: Annotated[str, Field(pattern="^(?:[0-9a-fA-F]{24})?$")] | None = None
    item_type: Literal["action", "follow_up"] | None = None
    limit: Annotated[int, Field(ge=1, le=200), not_bool] | None = None
    post_mortem_id: Annotated[str, Field(pattern="^(?:[0-9a-fA-F]{32})?$")] | None = None


class IncidentWorkItemAssigneesResetRequest(BaseModel):
    """Request body of POST /incident/work-item/assignees/reset."""

    model_config = _REQUEST
    assignee_ids: list[Annotated[int, not_bool]] | None = None
    version: Annotated[int, not_bool]
    work_item_id: Annotated[str, Field(max_length=128)]


class IncidentWorkItemUpdateRequest(BaseModel):
    """Request body of POST /incident/work-item/update."""

    model_config = _REQUEST
    description: Annotated[str, Field(max_length=65535)] | None = None
    priority: Annotated[str, Field(max_length=64)] | None = None
    status: Annotated[str, Field(max_length=64)] | None = None
    title: Annotated[str, Field(max_length=512)] | None = None
    version: Annotated[int, not_bool]
    work_item_id: Annotated[str, Field(max_length=128)]
