"""Request and response models of the fields area."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class FieldInfoRequest(BaseModel):
    """Request body of POST /field/info."""

    model_config = _REQUEST
    field_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class FieldResponse(BaseModel):
    """The ``data`` of the answer to POST /field/info. Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    created_at: int | None = None
    creator_id: int | None = None
    default_value: Any | None = None
    deleted_at: int | None = None
    description: str | None = None
    display_name: str | None = None
    field_id: str | None = None
    field_name: str | None = None
    field_type: str | None = None
    options: Any | None = None
    status: str | None = None
    updated_at: int | None = None
    updated_by: int | None = None
    value_type: str | None = None


class FieldListRequest(BaseModel):
    """Request body of POST /field/list."""

    model_config = _REQUEST
    asc: bool | None = None
    creator_id: Annotated[int, not_bool] | None = None
    orderby: Literal["created_at", "updated_at"] | None = None
    query: str | None = None


class FieldListResponse(BaseModel):
    """The ``data`` of the answer to POST /field/list."""

    model_config = _RESPONSE
    items: list[FieldResponse] | None = None


class FieldCreateRequest(BaseModel):
    """Request body of POST /field/create."""

    model_config = _REQUEST
    description: Annotated[str, Field(max_length=499)] | None = None
    display_name: Annotated[str, Field(max_length=39)]
    field_name: Annotated[str, Field(max_length=39)]
    field_type: Literal["checkbox", "multi_select", "single_select", "text"]
    options: list[str] | None = None
    value_type: Literal["string", "bool", "float"]
    default_value: Any | None = None


class FieldCreateResponse(BaseModel):
    """The ``data`` of the answer to POST /field/create."""

    model_config = _RESPONSE
    field_id: str | None = None
    field_name: str | None = None


class FieldDeleteRequest(BaseModel):
    """Request body of POST /field/delete."""

    model_config = _REQUEST
    field_id: str


class FieldUpdateRequest(BaseModel):
    """Request body of POST /field/update."""

    model_config = _REQUEST
    field_id: str
    display_name: str | None = None
    description: str | None = None
    options: list[str] | None = None
    default_value: str | None = None
