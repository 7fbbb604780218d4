"""Request and response models of the status pages area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api.constraints import not_bool, unix_seconds

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class PageIdChangeIdRequest(BaseModel):
    """Request body of GET /status-page/change/info, POST /status-page/change/delete."""

    model_config = _REQUEST
    page_id: Annotated[int, not_bool]
    change_id: Annotated[int, not_bool]


class AffectedStatusPageComponentItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    component_id: str | None = None
    section_id: str | None = None
    name: str | None = None
    description: str | None = None
    available_since_seconds: int | None = None
    order_id: int | None = None
    hide_uptime: bool | None = None
    hide_all: bool | None = None
    status: str | None = None


class StatusPageComponentChangeItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    component_id: str | None = None
    component_name: str | None = None
    status: str | None = None


class StatusPageChangeUpdateItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    update_id: str | None = None
    at_seconds: int | None = None
    status: str | None = None
    description: str | None = None
    component_changes: list[StatusPageComponentChangeItem] | None = None


class StatusPageChangeItem(BaseModel):
    """The ``data`` of the answer to GET /status-page/change/info. Part of an answer."""

    model_config = _RESPONSE
    change_id: int | None = None
    page_id: int | None = None
    type: str | None = None
    title: str | None = None
    description: str | None = None
    status: str | None = None
    affected_components: list[AffectedStatusPageComponentItem] | None = None
    responder_ids: list[int] | None = None
    linked_change_ids: list[str] | None = None
    start_at_seconds: int | None = None
    close_at_seconds: int | None = None
    is_retrospective: bool | None = None
    updates: list[StatusPageChangeUpdateItem] | None = None
    notify_subscribers: bool | None = None
    auto_update_by_schedule: bool | None = None


class StatusPageChangeListRequest(BaseModel):
    """Request body of GET /status-page/change/list."""

    model_config = _REQUEST
    page_id: Annotated[int, not_bool]
    start_at_seconds: Annotated[int, not_bool, unix_seconds] | None = None
    end_at_seconds: Annotated[int, not_bool, unix_seconds] | None = None
    type: Literal["incident", "maintenance"]
    status: Literal[
        "investigating", "identified", "monitoring", "resolved", "scheduled", "ongoing", "completed"
    ]


class StatusPageChangeListResponse(BaseModel):
    """The ``data`` of the answer to GET /status-page/change/list."""

    model_config = _RESPONSE
    items: list[StatusPageChangeItem] | None = None


class StatusPageChangeCreateRequestUpdatesComponentChanges(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    component_id: str
    status: (
        Literal["operational", "degraded", "partial_outage", "full_outage", "under_maintenance"]
        | None
    ) = None


class StatusPageChangeCreateRequestUpdates(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    update_id: str | None = None
    at_seconds: Annotated[int, not_bool, unix_seconds] | None = None
    status: (
        Literal[
            "investigating",
            "identified",
            "monitoring",
            "resolved",
            "scheduled",
            "ongoing",
            "completed",
        ]
        | None
    ) = None
    description: str | None = None
    component_changes: list[StatusPageChangeCreateRequestUpdatesComponentChanges] | None = None


class StatusPageChangeCreateRequest(BaseModel):
    """Request body of POST /status-page/change/create."""

    model_config = _REQUEST
    page_id: Annotated[int, not_bool]
    type: Literal["incident", "maintenance"]
    title: Annotated[str, Field(min_length=0, max_length=255)]
    description: str | None = None
    status: Literal[
        "investigating", "identified", "monitoring", "resolved", "scheduled", "ongoing", "completed"
    ]
    start_at_seconds: Annotated[int, not_bool, unix_seconds] | None = None
    responders: list[Annotated[int, not_bool]] | None = None
    linked_changes: list[str] | None = None
    close_at_seconds: Annotated[int, not_bool] | None = None
    updates: list[StatusPageChangeCreateRequestUpdates]
    notify_subscribers: bool | None = None
    auto_update_by_schedule: bool | None = None
    is_retrospective: bool | None = None


class StatusPageChangeCreateResponse(BaseModel):
    """The ``data`` of the answer to POST /status-page/change/create."""

    model_config = _RESPONSE
    change_id: int | None = None
    change_name: str | None = None


class StatusPageChangeUpdateRequest(BaseModel):
    """Request body of POST /status-page/change/update."""

    model_config = _REQUEST
    page_id: Annotated[int, not_bool]
    change_id: Annotated[int, not_bool]
    title: Annotated[str, Field(min_length=0, max_length=255)] | None = None
    responders: list[Annotated[int, not_bool]] | None = None
    linked_changes: list[str] | None = None


class StatusPageChangeTimelineCreateRequest(BaseModel):
    """Request body of POST /status-page/change/timeline/create."""

    model_config = _REQUEST
    page_id: Annotated[int, not_bool]
    change_id: Annotated[int, not_bool]
    at_seconds: Annotated[int, not_bool, unix_seconds] | None = None
    status: Literal[
        "investigating", "identified", "monitoring", "resolved", "scheduled", "ongoing", "completed"
    ]
    description: str | None = None
    component_changes: list[StatusPageChangeCreateRequestUpdatesComponentChanges] | None = None


class StatusPageChangeTimelineCreateResponse(BaseModel):
    """The ``data`` of the answer to POST /status-page/change/timeline/create."""

    model_config = _RESPONSE
    update_id: str | None = None


class StatusPageChangeTimelineUpdateRequest(BaseModel):
    """Request body of POST /status-page/change/timeline/update."""

    model_config = _REQUEST
    page_id: Annotated[int, not_bool]
    change_id: Annotated[int, not_bool]
    update_id: str
    at_seconds: Annotated[int, not_bool, unix_seconds] | None = None
    description: str | None = None


class StatusPageChangeTimelineDeleteRequest(BaseModel):
    """Request body of POST /status-page/change/timeline/delete."""

    model_config = _REQUEST
    page_id: Annotated[int, not_bool]
    change_id: Annotated[int, not_bool]
    update_id: str


class StatusPageSubscriberListRequest(BaseModel):
    """Request body of GET /status-page/subscriber/list."""

    model_config = _REQUEST
    page_id: Annotated[int, not_bool]
    component_ids: str | None = None
    p: Annotated[int, Field(ge=1), not_bool] | None = None
    limit: Annotated[int, Field(ge=1, le=100), not_bool] | None = None


class StatusPageComponentItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    component_id: str | None = None
    section_id: str | None = None
    name: str | None = None
    description: str | None = None
    available_since_seconds: int | None = None
    order_id: int | None = None
    hide_uptime: bool | None = None
    hide_all: bool | None = None


class ExportedStatusPageSubscriberItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    recipient: str | None = None
    method: str | None = None
    components: list[StatusPageComponentItem] | None = None
    all: bool | None = None
    locale: str | None = None


class StatusPageSubscriberListResponse(BaseModel):
    """The ``data`` of the answer to GET /status-page/subscriber/list."""

    model_config = _RESPONSE
    total: int | None = None
    has_next_page: bool | None = None
    items: list[ExportedStatusPageSubscriberItem] | None = None


class ImportStatusPageSubscriberItem(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    recipient: Annotated[str, Field(min_length=0, max_length=255)]
    component_ids: list[str] | None = None
    change_ids: list[Annotated[int, not_bool]] | None = None
    all: bool | None = None
    locale: str | None = None


class StatusPageSubscriberImportRequest(BaseModel):
    """Request body of POST /status-page/subscriber/import."""

    model_config = _REQUEST
    page_id: Annotated[int, not_bool]
    method: Literal["email", "im"]
    subscribers: list[ImportStatusPageSubscriberItem] | None = None


class StatusPageSubscriberExportRequest(BaseModel):
    """Request body of POST /status-page/subscriber/export."""

    model_config = _REQUEST
    page_id: Annotated[int, not_bool]
    component_ids: list[str] | None = None


class StatusPageMigrateStructureRequest(BaseModel):
    """Request body of POST /status-page/migrate-structure."""

    model_config = _REQUEST
    api_key: str
    source_page_id: str


class JobIdResponse(BaseModel):
    """The ``data`` of the answer to POST /status-page/migrate-structure, POST /status-page/migrate-email-subscribers."""

    model_config = _RESPONSE
    job_id: str | None = None


class StatusPageMigrateEmailSubscribersRequest(BaseModel):
    """Request body of POST /status-page/migrate-email-subscribers."""

    model_config = _REQUEST
    api_key: str
    source_page_id: str
    target_page_id: Annotated[int, not_bool]


class JobIdRequest(BaseModel):
    """Request body of GET /status-page/migration/status, POST /status-page/migration/cancel."""

    model_config = _REQUEST
    job_id: str


class StatusPageMigrationProgress(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    total_steps: int | None = None
    completed_steps: int | None = None
    components_imported: int | None = None
    sections_imported: int | None = None
    incidents_imported: int | None = None
    maintenances_imported: int | None = None
    subscribers_imported: int | None = None
    templates_imported: int | None = None
    subscribers_skipped: int | None = None
    warnings: list[str] | None = None


class StatusPageMigrationStatusResponse(BaseModel):
    """The ``data`` of the answer to GET /status-page/migration/status."""

    model_config = _RESPONSE
    job_id: str | None = None
    account_id: int | None = None
    source_page_id: str | None = None
    target_page_id: int | None = None
    phase: str | None = None
    status: str | None = None
    progress: StatusPageMigrationProgress | None = None
    error: str | None = None
    created_at: int | None = None
    updated_at: int | None = None
