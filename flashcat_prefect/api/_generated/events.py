"""Request and response models of the events area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api.constraints import not_bool, unix_seconds

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class AlertImageInput(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    src: Annotated[str, Field(min_length=1, max_length=256)]
    alt: Annotated[str, Field(max_length=128)] | None = None
    href: Annotated[str, Field(max_length=256)] | None = None


class EventPushAlertStandardRequest(BaseModel):
    """Request body of POST /event/push/alert/standard."""

    model_config = _REQUEST
    event_status: Literal["Critical", "Warning", "Info", "Ok"]
    title_rule: str
    alert_key: Annotated[str, Field(max_length=255)] | None = None
    description: str | None = None
    labels: Annotated[dict[str, str], Field(max_length=50)] | None = None
    images: list[AlertImageInput] | None = None
    event_time: Annotated[int, not_bool, unix_seconds] | None = None


class EventPushAlertStandardResponse(BaseModel):
    """The ``data`` of the answer to POST /event/push/alert/standard."""

    model_config = _RESPONSE
    alert_key: str | None = None


class EventPushChangeStandardRequest(BaseModel):
    """Request body of POST /event/push/change/standard."""

    model_config = _REQUEST
    change_status: Literal["Planned", "Ready", "Processing", "Canceled", "Done"]
    change_key: str
    title: str
    event_time: Annotated[int, not_bool, unix_seconds] | None = None
    description: Annotated[str, Field(max_length=2048)] | None = None
    link: str | None = None
    labels: Annotated[dict[str, str], Field(max_length=50)] | None = None
