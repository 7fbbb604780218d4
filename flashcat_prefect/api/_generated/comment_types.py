"""Request and response models of the comment types area."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyRequest as EmptyRequest
from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class IncidentCommentTypeCreateRequest(BaseModel):
    """Request body of POST /incident/comment-type/create."""

    model_config = _REQUEST
    color: str
    name: Annotated[str, Field(max_length=40)]


class IncidentCommentTypeListResponseItems(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    color: str | None = None
    comment_type_id: str | None = None
    created_at: int | None = None
    creator_id: int | None = None
    name: str | None = None
    position: int | None = None
    updated_at: int | None = None
    updated_by: int | None = None


class IncidentCommentTypeCreateResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/comment-type/create."""

    model_config = _RESPONSE
    comment_type_id: str | None = None
    item: IncidentCommentTypeListResponseItems | None = None


class IncidentCommentTypeListResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/comment-type/list."""

    model_config = _RESPONSE
    items: list[IncidentCommentTypeListResponseItems] | None = None
