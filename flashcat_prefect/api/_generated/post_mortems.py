"""Request and response models of the post mortems area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api._generated.entities import Responder as Responder
from flashcat_prefect.api._generated.entities import TemplateIdRequest as TemplateIdRequest
from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class PostMortemIdRequest(BaseModel):
    """Request body of GET /incident/post-mortem/info, POST /incident/post-mortem/delete."""

    model_config = _REQUEST
    post_mortem_id: str


class PostMortemMeta(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    title: str | None = None
    status: str | None = None
    post_mortem_id: str | None = None
    template_id: str | None = None
    incident_ids: list[str] | None = None
    media_count: int | None = None
    author_ids: list[int] | None = None
    team_id: int | None = None
    channel_id: int | None = None
    is_private: bool | None = None
    channel_name: str | None = None
    created_at_seconds: int | None = None
    updated_at_seconds: int | None = None


class IncidentPostMortemInfoResponseBasics(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    incidents_highest_severity: str | None = None
    incidents_earliest_start_seconds: int | None = None
    incidents_latest_close_seconds: int | None = None
    incidents_total_duration_seconds: int | None = None
    responders: list[Responder] | None = None


class IncidentPostMortemInfoResponseContent(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    content: str | None = None


class IncidentPostMortemInfoResponse(BaseModel):
    """The ``data`` of the answer to GET /incident/post-mortem/info."""

    model_config = _RESPONSE
    meta: PostMortemMeta | None = None
    basics: IncidentPostMortemInfoResponseBasics | None = None
    content: IncidentPostMortemInfoResponseContent | None = None
    follow_ups: str | None = None


class IncidentPostMortemListRequest(BaseModel):
    """Request body of POST /incident/post-mortem/list."""

    model_config = _REQUEST
    status: Literal["drafting", "published"] | None = None
    team_ids: list[Annotated[int, not_bool]] | None = None
    channel_ids: list[Annotated[int, not_bool]] | None = None
    created_at_start_seconds: Annotated[int, Field(ge=0), not_bool] | None = None
    created_at_end_seconds: Annotated[int, Field(ge=0), not_bool] | None = None
    order_by: Literal["created_at_seconds", "updated_at_seconds"] | None = None
    asc: bool | None = None
    p: Annotated[int, Field(ge=0), not_bool] | None = None
    limit: Annotated[int, Field(ge=0, le=100), not_bool] | None = None
    search_after_ctx: str | None = None
    orderby: str | None = None


class IncidentPostMortemListResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/post-mortem/list."""

    model_config = _RESPONSE
    items: list[PostMortemMeta] | None = None
    total: int | None = None
    has_next_page: bool | None = None
    search_after_ctx: str | None = None


class IncidentPostMortemContentResetRequest(BaseModel):
    """Request body of POST /incident/post-mortem/content/reset."""

    model_config = _REQUEST
    expected_revision: Annotated[int, Field(ge=0), not_bool]
    idempotency_key: str
    markdown: str
    post_mortem_id: str


class IncidentPostMortemContentResetResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/post-mortem/content/reset."""

    model_config = _RESPONSE
    generation: int | None = None
    markdown_bytes: int | None = None
    markdown_sha256: str | None = None
    post_mortem_id: str | None = None
    previous_generation: int | None = None
    previous_revision: int | None = None
    revision: int | None = None


class IncidentPostMortemTemplateListRequest(BaseModel):
    """Request body of POST /incident/post-mortem/template/list."""

    model_config = _REQUEST
    p: Annotated[int, Field(ge=0), not_bool] | None = None
    limit: Annotated[int, Field(ge=0, le=100), not_bool] | None = None
    search_after_ctx: str | None = None
    asc: bool | None = None
    order_by: Literal["created_at_seconds"] | None = None


class IncidentPostMortemTemplateResponse(BaseModel):
    """Part of an answer. The ``data`` of the answer to GET /incident/post-mortem/template/info, POST /incident/post-mortem/template/upsert."""

    model_config = _RESPONSE
    account_id: int | None = None
    content: str | None = None
    content_markdown: str | None = None
    created_at_seconds: int | None = None
    description: str | None = None
    name: str | None = None
    team_id: int | None = None
    template_id: str | None = None
    updated_at_seconds: int | None = None


class IncidentPostMortemTemplateListResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/post-mortem/template/list."""

    model_config = _RESPONSE
    has_next_page: bool | None = None
    items: list[IncidentPostMortemTemplateResponse] | None = None
    search_after_ctx: str | None = None
    total: int | None = None


class IncidentIdsTemplateIdRequest(BaseModel):
    """Request body of POST /incident/post-mortem/init, POST /ai/post-mortem/generate."""

    model_config = _REQUEST
    incident_ids: list[Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]]
    template_id: str


class IncidentPostMortemInitResponseBasicsResponders(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    acknowledged_at: int | None = None
    as_: str | None = Field(None, alias="as")
    assigned_at: int | None = None
    email: str | None = None
    person_id: int | None = None
    person_name: str | None = None


class IncidentPostMortemInitResponseBasics(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    incidents_earliest_start_seconds: int | None = None
    incidents_highest_severity: str | None = None
    incidents_latest_close_seconds: int | None = None
    incidents_total_duration_seconds: int | None = None
    responders: list[IncidentPostMortemInitResponseBasicsResponders] | None = None


class IncidentPostMortemInitResponseMeta(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    author_ids: list[int] | None = None
    channel_id: int | None = None
    channel_name: str | None = None
    created_at_seconds: int | None = None
    generation: int | None = None
    incident_ids: list[str] | None = None
    is_private: bool | None = None
    media_count: int | None = None
    post_mortem_id: str | None = None
    revision: int | None = None
    status: str | None = None
    team_id: int | None = None
    template_id: str | None = None
    title: str | None = None
    updated_at_seconds: int | None = None


class IncidentPostMortemInitResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/post-mortem/init."""

    model_config = _RESPONSE
    basics: IncidentPostMortemInitResponseBasics | None = None
    content: IncidentPostMortemInfoResponseContent | None = None
    follow_ups: str | None = None
    meta: IncidentPostMortemInitResponseMeta | None = None


class IncidentPostMortemBasicsResetRequest(BaseModel):
    """Request body of POST /incident/post-mortem/basics/reset."""

    model_config = _REQUEST
    post_mortem_id: str
    incidents_highest_severity: str
    incidents_earliest_start_seconds: Annotated[int, not_bool]
    incidents_latest_close_seconds: Annotated[int, not_bool]
    incidents_total_duration_seconds: Annotated[int, not_bool]
    responder_ids: list[Annotated[int, not_bool]]


class IncidentPostMortemFollowUpsResetRequest(BaseModel):
    """Request body of POST /incident/post-mortem/follow-ups/reset."""

    model_config = _REQUEST
    post_mortem_id: str
    follow_ups: str | None = None


class IncidentPostMortemStatusResetRequest(BaseModel):
    """Request body of POST /incident/post-mortem/status/reset."""

    model_config = _REQUEST
    post_mortem_id: str
    status: Literal["drafting", "published"]


class IncidentPostMortemTitleResetRequest(BaseModel):
    """Request body of POST /incident/post-mortem/title/reset."""

    model_config = _REQUEST
    post_mortem_id: str
    title: Annotated[str, Field(min_length=0, max_length=256)]


class IncidentPostMortemTemplateUpsertRequest(BaseModel):
    """Request body of POST /incident/post-mortem/template/upsert."""

    model_config = _REQUEST
    content: str
    content_markdown: str | None = None
    description: str | None = None
    name: str
    team_id: Annotated[int, not_bool] | None = None
    template_id: str | None = None


class IncidentPostMortemMediaUploadRequest(BaseModel):
    """Request body of POST /incident/post-mortem/media/upload."""

    model_config = _REQUEST
    post_mortem_id: str
    file: str


class IncidentPostMortemMediaUploadResponse(BaseModel):
    """The ``data`` of the answer to POST /incident/post-mortem/media/upload."""

    model_config = _RESPONSE
    url: str | None = None
