"""Request and response models of the alert views area."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class AlertCardViewDeleteRequest(BaseModel):
    """Request body of POST /alert/card-view/delete."""

    model_config = _REQUEST
    view_id: str


class AlertCardViewDeleteResponse(BaseModel):
    """The ``data`` of a POST /alert/card-view/delete answer."""

    model_config = _RESPONSE


class AlertCardViewListRequest(BaseModel):
    """Request body of POST /alert/card-view/list."""

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


class AlertCardViewListResponse(BaseModel):
    """The ``data`` of a POST /alert/card-view/list answer."""

    model_config = _RESPONSE
    items: list[CardView] | None = None


class AlertCardViewCreateRequest(BaseModel):
    """Request body of POST /alert/card-view/create."""

    model_config = _REQUEST
    view_name: str | None = None
    equals: list[str]


class AlertCardViewCreateResponse(BaseModel):
    """The ``data`` of a POST /alert/card-view/create answer."""

    model_config = _RESPONSE
    view_id: str | None = None


class AlertCardViewUpdateRequest(BaseModel):
    """Request body of POST /alert/card-view/update."""

    model_config = _REQUEST
    view_id: str | None = None
    view_name: str
    equals: list[str]


class AlertCardViewUpdateResponse(BaseModel):
    """The ``data`` of a POST /alert/card-view/update answer."""

    model_config = _RESPONSE
    rule_id: str | None = None
