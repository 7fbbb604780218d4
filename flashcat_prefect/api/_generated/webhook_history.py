"""Request and response models of the webhook history area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class WebhookHistoryListRequest(BaseModel):
    """Request body of POST /webhook/history/list."""

    model_config = _REQUEST
    search_after_ctx: str | None = None
    limit: Annotated[int, Field(ge=1, le=100), not_bool]
    asc: bool | None = None
    orderby: Literal["event_time"] | None = None
    ref_id: Annotated[str, Field(min_length=0, max_length=128)] | None = None
    integration_id: Annotated[int, Field(ge=0), not_bool] | None = None
    event_types: list[str] | None = None
    status: Literal["success", "failed"] | None = None
    start_time: Annotated[int, Field(ge=1000000000000, le=9999999999999), not_bool]
    end_time: Annotated[int, Field(ge=1000000000000, le=9999999999999), not_bool]


class WebhookHistoryItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    integration_id: int | None = None
    event_id: str | None = None
    webhook_type: str | None = None
    event_type: str | None = None
    channel_id: int | None = None
    ref_id: str | None = None
    request_headers: str | None = None
    request_body: str | None = None
    endpoint: str | None = None
    attempt: int | None = None
    duration: int | None = None
    status: str | None = None
    status_code: int | None = None
    error_message: str | None = None
    response_headers: str | None = None
    response_body: str | None = None
    event_time: str | None = None


class WebhookHistoryListResponse(BaseModel):
    """The ``data`` of the answer to POST /webhook/history/list."""

    model_config = _RESPONSE
    items: list[WebhookHistoryItem] | None = None
    total: int | None = None
    search_after_ctx: str | None = None


class WebhookHistoryDetailRequest(BaseModel):
    """Request body of POST /webhook/history/detail."""

    model_config = _REQUEST
    event_id: str
    integration_id: Annotated[int, Field(ge=1), not_bool]


class WebhookHistoryDetailResponse(BaseModel):
    """The ``data`` of the answer to POST /webhook/history/detail."""

    model_config = _RESPONSE
    integration_id: int | None = None
    event_id: str | None = None
    webhook_type: str | None = None
    event_type: str | None = None
    channel_id: int | None = None
    ref_id: str | None = None
    request_headers: str | None = None
    request_body: str | None = None
    endpoint: str | None = None
    attempt: int | None = None
    duration: int | None = None
    status: str | None = None
    status_code: int | None = None
    error_message: str | None = None
    response_headers: str | None = None
    response_body: str | None = None
    event_time: str | None = None
    ref_title: str | None = None
    channel_name: str | None = None
