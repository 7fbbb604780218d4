"""Request and response models of the alert events area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict

from flashcat_prefect.api._generated.entities import AlertEventItem as AlertEventItem
from flashcat_prefect.api._generated.entities import AlertImage as AlertImage
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


class ListAlertEventsResponse(BaseModel):
    """The ``data`` of the answer to POST /alert-event/list."""

    model_config = _RESPONSE
    total: int | None = None
    has_next_page: bool | None = None
    search_after_ctx: str | None = None
    items: list[AlertEventItem] | None = None
