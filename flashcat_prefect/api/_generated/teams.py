"""Request and response models of the teams area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class TeamRequest(BaseModel):
    """Request body of POST /team/info, POST /team/delete."""

    model_config = _REQUEST
    team_id: Annotated[int, not_bool] | None = None
    team_name: str | None = None
    ref_id: str | None = None


class TeamItem(BaseModel):
    """The ``data`` of the answer to POST /team/info. Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    team_id: int | None = None
    team_name: str | None = None
    description: str | None = None
    status: str | None = None
    updated_by_name: str | None = None
    updated_by: int | None = None
    creator_id: int | None = None
    creator_name: str | None = None
    created_at: int | None = None
    updated_at: int | None = None
    person_ids: list[int] | None = None
    ref_id: str | None = None


class TeamInfosRequest(BaseModel):
    """Request body of POST /team/infos."""

    model_config = _REQUEST
    team_ids: list[Annotated[int, not_bool]]


class TeamBriefItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    team_id: int | None = None
    team_name: str | None = None
    person_ids: list[int] | None = None


class TeamInfosResponse(BaseModel):
    """The ``data`` of the answer to POST /team/infos."""

    model_config = _RESPONSE
    items: list[TeamBriefItem] | None = None


class TeamListRequest(BaseModel):
    """Request body of POST /team/list."""

    model_config = _REQUEST
    p: Annotated[int, Field(ge=1), not_bool] | None = None
    limit: Annotated[int, Field(ge=1, le=100), not_bool] | None = None
    orderby: Literal["created_at", "updated_at", "team_name"] | None = None
    asc: bool | None = None
    person_id: Annotated[int, not_bool] | None = None
    query: str | None = None


class TeamListResponse(BaseModel):
    """The ``data`` of the answer to POST /team/list."""

    model_config = _RESPONSE
    p: int | None = None
    limit: int | None = None
    total: int | None = None
    items: list[TeamItem] | None = None


class TeamUpsertRequest(BaseModel):
    """Request body of POST /team/upsert."""

    model_config = _REQUEST
    team_id: Annotated[int, not_bool] | None = None
    team_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    person_ids: list[Annotated[int, not_bool]] | None = None
    emails: list[str] | None = None
    phones: list[str] | None = None
    countryCode: str | None = None
    ref_id: str | None = None
    reset_if_name_exist: bool | None = None


class TeamUpsertResponse(BaseModel):
    """The ``data`` of the answer to POST /team/upsert."""

    model_config = _RESPONSE
    team_id: int | None = None
    team_name: str | None = None
