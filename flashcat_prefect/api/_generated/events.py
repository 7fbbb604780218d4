"""Request and response models of the events area."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class EventPushAlertStandardRequest(BaseModel):
    """Request body of POST /event/push/alert/standard."""

    model_config = _REQUEST
    event_status: Literal["Critical", "Warning", "Info", "Ok"]
    title_rule: str
    alert_key: str | None = None
    description: str | None = None
    labels: dict[str, str] | None = None
    images: list[dict[str, Any]] | None = None
    event_time: int | None = None


class EventPushAlertStandardResponse(BaseModel):
    """The ``data`` of a POST /event/push/alert/standard answer."""

    model_config = _RESPONSE
    alert_key: str | None = None


class EventPushChangeStandardRequest(BaseModel):
    """Request body of POST /event/push/change/standard."""

    model_config = _REQUEST
    change_status: Literal["Planned", "Ready", "Processing", "Canceled", "Done"]
    change_key: str
    title: str
    event_time: int | None = None
    description: str | None = None
    link: str | None = None
    labels: dict[str, str] | None = None


class EventPushChangeStandardResponse(BaseModel):
    """The ``data`` of a POST /event/push/change/standard answer."""

    model_config = _RESPONSE
