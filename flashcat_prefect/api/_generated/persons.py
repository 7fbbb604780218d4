"""Request and response models of the persons area."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class PersonInfosRequest(BaseModel):
    """Request body of POST /person/infos."""

    model_config = _REQUEST
    person_ids: list[Annotated[int, not_bool]]


class PersonItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    person_id: int | None = None
    person_name: str | None = None
    avatar: str | None = None
    locale: str | None = None
    time_zone: str | None = None
    email: str | None = None
    phone: str | None = None
    phone_verified: bool | None = None
    email_verified: bool | None = None
    as_: str | None = Field(None, alias="as")
    status: str | None = None


class PersonInfosResponse(BaseModel):
    """The ``data`` of the answer to POST /person/infos."""

    model_config = _RESPONSE
    items: list[PersonItem] | None = None
