"""Request and response models of the war rooms area."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api._generated.entities import IncidentIdRequest as IncidentIdRequest
from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class IncidentWarRoomDetailRequest(BaseModel):
    """Request body of POST /incident/war-room/detail."""

    model_config = _REQUEST
    integration_id: Annotated[int, not_bool]
    chat_id: str


class IncidentWarRoomResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/war-room/detail, POST /incident/war-room/create."""

    model_config = _RESPONSE
    chat_id: str | None = None
    chat_name: str | None = None
    share_link: str | None = None


class IncidentWarRoomListRequest(BaseModel):
    """Request body of POST /incident/war-room/list."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    integration_id: Annotated[int, not_bool] | None = None


class WarRoomItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    integration_id: int | None = None
    created_by: int | None = None
    chat_id: str | None = None
    incident_id: str | None = None
    status: str | None = None
    created_at: int | None = None
    plugin_type: str | None = None


class IncidentWarRoomListResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/war-room/list."""

    model_config = _RESPONSE
    items: list[WarRoomItem] | None = None


class IncidentWarRoomCreateRequest(BaseModel):
    """Request body of POST /incident/war-room/create."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    integration_id: Annotated[int, not_bool]
    member_ids: list[Annotated[int, not_bool]] | None = None
    add_observers: bool | None = None


class IncidentWarRoomDeleteRequest(BaseModel):
    """Request body of POST /incident/war-room/delete."""

    model_config = _REQUEST
    incident_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    integration_id: Annotated[int, not_bool]
    chat_id: str | None = None


class IncidentWarRoomDefaultObserversResponseObservers(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    as_: str | None = Field(None, alias="as")
    avatar: str | None = None
    email: str | None = None
    locale: str | None = None
    person_id: int | None = None
    person_name: str | None = None
    phone: str | None = None
    status: str | None = None
    time_zone: str | None = None


class IncidentWarRoomDefaultObserversResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/war-room/default-observers."""

    model_config = _RESPONSE
    observers: list[IncidentWarRoomDefaultObserversResponseObservers] | None = None


class IncidentWarRoomAddMemberRequest(BaseModel):
    """Request body of POST /incident/war-room/add-member."""

    model_config = _REQUEST
    integration_id: Annotated[int, not_bool]
    chat_id: str
    member_ids: list[Annotated[int, not_bool]]
