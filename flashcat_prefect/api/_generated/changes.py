"""Request and response models of the changes area."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api.constraints import not_bool, unix_seconds

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class ChangeListRequest(BaseModel):
    """Request body of POST /change/list."""

    model_config = _REQUEST
    p: Annotated[int, Field(ge=1), not_bool] | None = None
    limit: Annotated[int, Field(ge=1, le=100), not_bool] | None = None
    search_after_ctx: str | None = None
    asc: bool | None = None
    channel_ids: list[Annotated[int, not_bool]] | None = None
    end_time: Annotated[int, not_bool, unix_seconds] | None = None
    include_events: bool | None = None
    integration_ids: list[Annotated[int, not_bool]] | None = None
    orderby: Literal["start_time", "last_time"] | None = None
    query: str | None = None
    start_time: Annotated[int, not_bool, unix_seconds] | None = None


class ChangeListResponseItemsEvents(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    change_key: str | None = None
    change_status: str | None = None
    channel_id: int | None = None
    created_at: int | None = None
    deleted_at: int | None = None
    description: str | None = None
    event_id: str | None = None
    event_time: int | None = None
    integration_id: int | None = None
    labels: dict[str, Any] | None = None
    link: str | None = None
    title: str | None = None
    updated_at: int | None = None


class ChangeListResponseItems(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    change_id: str | None = None
    change_key: str | None = None
    change_status: str | None = None
    channel_id: int | None = None
    channel_name: str | None = None
    channel_status: str | None = None
    description: str | None = None
    end_time: int | None = None
    events: list[ChangeListResponseItemsEvents] | None = None
    integration_id: int | None = None
    integration_name: str | None = None
    labels: dict[str, Any] | None = None
    last_time: int | None = None
    link: str | None = None
    start_time: int | None = None
    title: str | None = None


class ChangeListResponse(BaseModel):
    """The ``data`` of the answer to POST /change/list."""

    model_config = _RESPONSE
    has_next_page: bool | None = None
    items: list[ChangeListResponseItems] | None = None
    total: int | None = None
