"""Request and response models of the calendars area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class CalendarCreateRequest(BaseModel):
    """Request body of POST /calendar/create."""

    model_config = _REQUEST
    cal_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=499)] | None = None
    timezone: str | None = None
    team_id: Annotated[int, not_bool] | None = None
    workdays: list[Annotated[int, Field(ge=0, le=6), not_bool]] | None = None
    extra_cal_ids: list[str] | None = None


class CalendarCreateResponse(BaseModel):
    """The ``data`` of the answer to POST /calendar/create."""

    model_config = _RESPONSE
    cal_id: str | None = None
    cal_name: str | None = None


class CalendarUpdateRequest(BaseModel):
    """Request body of POST /calendar/update."""

    model_config = _REQUEST
    cal_id: str
    cal_name: Annotated[str, Field(min_length=1, max_length=39)] | None = None
    description: Annotated[str, Field(min_length=0, max_length=499)] | None = None
    timezone: str | None = None
    team_id: Annotated[int, not_bool] | None = None
    workdays: list[Annotated[int, Field(ge=0, le=6), not_bool]] | None = None
    extra_cal_ids: list[str] | None = None


class CalIdRequest(BaseModel):
    """Request body of POST /calendar/delete, POST /calendar/info."""

    model_config = _REQUEST
    cal_id: str


class CalendarItem(BaseModel):
    """The ``data`` of the answer to POST /calendar/info. Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    team_id: int | None = None
    cal_id: str | None = None
    cal_name: str | None = None
    description: str | None = None
    timezone: str | None = None
    kind: str | None = None
    workdays: list[int] | None = None
    extra_cal_ids: list[str] | None = None
    created_at: int | None = None
    updated_at: int | None = None
    creator_id: int | None = None
    updated_by: int | None = None
    status: str | None = None


class CalendarListRequest(BaseModel):
    """Request body of POST /calendar/list."""

    model_config = _REQUEST
    kind: Literal["region.official.holiday", "personal"] | None = None
    no_locale: bool | None = None


class CalendarListResponse(BaseModel):
    """The ``data`` of the answer to POST /calendar/list."""

    model_config = _RESPONSE
    items: list[CalendarItem] | None = None
    total: int | None = None


class CalendarEventUpsertRequest(BaseModel):
    """Request body of POST /calendar/event/upsert."""

    model_config = _REQUEST
    cal_id: str
    event_id: Annotated[str, Field(min_length=0, max_length=63)] | None = None
    summary: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=499)] | None = None
    start_at: Annotated[str, Field(pattern="^\\d{4}-\\d{2}-\\d{2}$")]
    end_at: Annotated[str, Field(pattern="^\\d{4}-\\d{2}-\\d{2}$")]
    is_off: bool


class CalendarEventUpsertResponse(BaseModel):
    """The ``data`` of the answer to POST /calendar/event/upsert."""

    model_config = _RESPONSE
    cal_id: str | None = None
    event_id: str | None = None
    summary: str | None = None


class CalendarEventDeleteRequest(BaseModel):
    """Request body of POST /calendar/event/delete."""

    model_config = _REQUEST
    cal_id: str
    event_id: str


class CalendarEventListRequest(BaseModel):
    """Request body of POST /calendar/event/list."""

    model_config = _REQUEST
    cal_id: str
    year: Annotated[int, Field(ge=2023), not_bool] | None = None
    month: Annotated[int, Field(ge=0, le=12), not_bool] | None = None
    day: Annotated[int, Field(ge=0, le=31), not_bool] | None = None


class CalEventItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    creator_id: int | None = None
    cal_id: str | None = None
    event_id: str | None = None
    summary: str | None = None
    description: str | None = None
    start_at: str | None = None
    end_at: str | None = None
    is_off: bool | None = None
    created_at: int | None = None
    updated_at: int | None = None


class CalendarEventListResponse(BaseModel):
    """The ``data`` of the answer to POST /calendar/event/list."""

    model_config = _RESPONSE
    items: list[CalEventItem] | None = None
    total: int | None = None
