"""Request and response models of the incident views area."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class IncidentCardViewDeleteRequest(BaseModel):
    """Request body of POST /incident/card-view/delete."""

    model_config = _REQUEST
    view_id: str


class IncidentCardViewDeleteResponse(BaseModel):
    """The ``data`` of a POST /incident/card-view/delete answer."""

    model_config = _RESPONSE


class IncidentCardViewListRequest(BaseModel):
    """Request body of POST /incident/card-view/list."""

    model_config = _REQUEST


class CardView(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    view_id: str | None = None
    view_name: str | None = None
    priority: int | None = None
    created_at: str | None = None
    updated_at: str | None = None
    equals: list[str] | None = None


class IncidentCardViewListResponse(BaseModel):
    """The ``data`` of a POST /incident/card-view/list answer."""

    model_config = _RESPONSE
    items: list[CardView] | None = None


class IncidentCardViewCreateRequest(BaseModel):
    """Request body of POST /incident/card-view/create."""

    model_config = _REQUEST
    view_name: str | None = None
    equals: list[
        Annotated[str, Field(pattern="^(title|incident_severity|incident_status|labels\\..+)$")]
    ]


class IncidentCardViewCreateResponse(BaseModel):
    """The ``data`` of a POST /incident/card-view/create answer."""

    model_config = _RESPONSE
    view_id: str | None = None


class IncidentCardViewUpdateRequest(BaseModel):
    """Request body of POST /incident/card-view/update."""

    model_config = _REQUEST
    view_id: str
    view_name: str
    equals: list[
        Annotated[str, Field(pattern="^(title|incident_severity|incident_status|labels\\..+)$")]
    ]


class IncidentCardViewUpdateResponse(BaseModel):
    """The ``data`` of a POST /incident/card-view/update answer."""

    model_config = _RESPONSE
    rule_id: str | None = None
