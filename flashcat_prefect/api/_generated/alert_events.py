"""Request and response models of the alert events area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict

from flashcat_prefect.api.constraints import not_bool, unix_seconds

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class AlertEventListRequest(BaseModel):
    """Request body of POST /alert-event/list."""

    model_config = _REQUEST
    start_time: Annotated[int, not_bool, unix_seconds] | None = None
    end_time: Annotated[int, not_bool, unix_seconds] | None = None
    p: Annotated[int, not_bool] | None = None
    limit: Annotated[int, not_bool] | None = None
    search_after_ctx: str | None = None
    integration_ids: list[Annotated[int, not_bool]] | None = None
    integration_types: list[str] | None = None
    channel_ids: list[Annotated[int, not_bool]] | None = None
    severities: str | None = None
    orderby: Literal["event_time"] | None = None
    asc: bool | None = None


class AlertImage(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    href: str | None = None
    src: str | None = None
    alt: str | None = None


class AlertEventItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    event_id: str | None = None
    alert_id: str | None = None
    account_id: int | None = None
    channel_id: int | None = None
    integration_id: int | None = None
    integration_type: str | None = None
    data_source_id: int | None = None
    title: str | None = None
    title_rule: str | None = None
    description: str | None = None
    alert_key: str | None = None
    event_severity: str | None = None
    event_status: str | None = None
    event_time: int | None = None
    labels: dict[str, str] | None = None
    images: list[AlertImage] | None = None
    created_at: int | None = None
    updated_at: int | None = None
    deleted_at: int | None = None


class AlertEventListResponse(BaseModel):
    """The ``data`` of a POST /alert-event/list answer."""

    model_config = _RESPONSE
    total: int | None = None
    has_next_page: bool | None = None
    search_after_ctx: str | None = None
    items: list[AlertEventItem] | None = None
