"""Request and response models of the members area."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyRequest as EmptyRequest
from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class MemberInfoResponse(BaseModel):
    """The ``data`` of the answer to POST /member/info."""

    model_config = _RESPONSE
    account_id: int | None = None
    account_name: str | None = None
    account_avatar: str | None = None
    account_email: str | None = None
    account_role_ids: list[int] | None = None
    account_locale: str | None = None
    account_time_zone: str | None = None
    domain: str | None = None
    member_id: int | None = None
    member_name: str | None = None
    phone: str | None = None
    phone_verified: bool | None = None
    email: str | None = None
    email_verified: bool | None = None
    country_code: str | None = None
    avatar: str | None = None
    locale: str | None = None
    time_zone: str | None = None
    is_external: bool | None = None
    status: str | None = None


class MemberListRequest(BaseModel):
    """Request body of POST /member/list."""

    model_config = _REQUEST
    role_id: Annotated[int, not_bool] | None = None
    p: Annotated[int, Field(ge=1), not_bool] | None = None
    limit: Annotated[int, Field(ge=1, le=100), not_bool] | None = None
    orderby: Literal["created_at", "updated_at"] | None = None
    asc: bool | None = None
    query: str | None = None


class MemberItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    member_id: int | None = None
    member_name: str | None = None
    country_code: str | None = None
    phone: str | None = None
    email: str | None = None
    locale: str | None = None
    time_zone: str | None = None
    phone_verified: bool | None = None
    email_verified: bool | None = None
    avatar: str | None = None
    status: str | None = None
    account_role_ids: list[int] | None = None
    is_external: bool | None = None
    ref_id: str | None = None
    created_at: int | None = None
    updated_at: int | None = None


class MemberListResponse(BaseModel):
    """The ``data`` of the answer to POST /member/list."""

    model_config = _RESPONSE
    p: int | None = None
    limit: int | None = None
    total: int | None = None
    items: list[MemberItem] | None = None


class MemberDeleteRequest(BaseModel):
    """Request body of POST /member/delete."""

    model_config = _REQUEST
    member_id: Annotated[int, not_bool] | None = None
    member_name: str | None = None
    email: str | None = None
    phone: str | None = None
    country_code: str | None = None
    ref_id: str | None = None


class InviteMemberItem(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    member_name: Annotated[str, Field(min_length=2, max_length=39)] | None = None
    email: str | None = None
    phone: str | None = None
    country_code: str | None = None
    role_ids: list[Annotated[int, not_bool]] | None = None
    locale: Literal["zh-CN", "en-US"] | None = None
    time_zone: str | None = None
    ref_id: str | None = None


class MemberInviteRequest(BaseModel):
    """Request body of POST /member/invite."""

    model_config = _REQUEST
    members: list[InviteMemberItem]
    from_: str | None = Field(None, alias="from")


class NewMemberItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    member_id: int | None = None
    member_name: str | None = None


class MemberInviteResponse(BaseModel):
    """The ``data`` of the answer to POST /member/invite."""

    model_config = _RESPONSE
    items: list[NewMemberItem] | None = None


class MemberIdRoleIdsRequest(BaseModel):
    """Request body of POST /member/role/grant, POST /member/role/revoke, POST /member/role/update."""

    model_config = _REQUEST
    member_id: Annotated[int, not_bool]
    role_ids: list[Annotated[int, not_bool]]


class MemberInfoResetRequest(BaseModel):
    """Request body of POST /member/info/reset."""

    model_config = _REQUEST
    member_id: Annotated[int, not_bool]
    member_name: Annotated[str, Field(min_length=2, max_length=39)] | None = None
    email: str | None = None
    phone: str | None = None
    country_code: str | None = None
    avatar: str | None = None
    locale: Literal["zh-CN", "en-US"] | None = None
    time_zone: str | None = None
    ref_id: str | None = None
    updates: dict[str, Any] | None = None
