"""Request and response models of the templates area."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api._generated.entities import TemplateIdRequest as TemplateIdRequest
from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class TemplateRequest(BaseModel):
    """Request body of POST /template/info, POST /template/delete."""

    model_config = _REQUEST
    template_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class TemplateItem(BaseModel):
    """The ``data`` of the answer to POST /template/info. Part of an answer."""

    model_config = _RESPONSE
    account_id: int | None = None
    team_id: int | None = None
    template_id: str | None = None
    template_name: str | None = None
    description: str | None = None
    email: str | None = None
    sms: str | None = None
    voice: str | None = None
    dingtalk: str | None = None
    wecom: str | None = None
    feishu: str | None = None
    feishu_app: str | None = None
    dingtalk_app: str | None = None
    wecom_app: str | None = None
    slack_app: str | None = None
    teams_app: str | None = None
    telegram: str | None = None
    slack: str | None = None
    zoom: str | None = None
    status: str | None = None
    creator_id: int | None = None
    updated_by: int | None = None
    deleted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class TemplateListRequest(BaseModel):
    """Request body of POST /template/list."""

    model_config = _REQUEST
    p: Annotated[int, Field(ge=1), not_bool] | None = None
    limit: Annotated[int, Field(ge=1, le=100), not_bool] | None = None
    orderby: Literal["created_at", "updated_at"] | None = None
    asc: bool | None = None
    is_my_team: bool | None = None
    team_ids: list[Annotated[int, not_bool]] | None = None
    creator_id: Annotated[int, not_bool] | None = None
    query: str | None = None


class TemplateListResponse(BaseModel):
    """The ``data`` of the answer to POST /template/list."""

    model_config = _RESPONSE
    total: int | None = None
    has_next_page: bool | None = None
    items: list[TemplateItem] | None = None


class TemplateCreateRequest(BaseModel):
    """Request body of POST /template/create."""

    model_config = _REQUEST
    team_id: Annotated[int, not_bool] | None = None
    template_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    email: str | None = None
    sms: str | None = None
    voice: str | None = None
    dingtalk: str | None = None
    wecom: str | None = None
    feishu: str | None = None
    feishu_app: str | None = None
    dingtalk_app: str | None = None
    wecom_app: str | None = None
    slack_app: str | None = None
    teams_app: str | None = None
    telegram: str | None = None
    slack: str | None = None
    zoom: str | None = None


class TemplateCreateResponse(BaseModel):
    """The ``data`` of the answer to POST /template/create."""

    model_config = _RESPONSE
    template_id: str | None = None
    template_name: str | None = None


class TemplateUpdateRequest(BaseModel):
    """Request body of POST /template/update."""

    model_config = _REQUEST
    template_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    team_id: Annotated[int, not_bool] | None = None
    template_name: Annotated[str, Field(min_length=1, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    email: str | None = None
    sms: str | None = None
    voice: str | None = None
    dingtalk: str | None = None
    wecom: str | None = None
    feishu: str | None = None
    feishu_app: str | None = None
    dingtalk_app: str | None = None
    wecom_app: str | None = None
    slack_app: str | None = None
    teams_app: str | None = None
    telegram: str | None = None
    slack: str | None = None
    zoom: str | None = None


class TemplatePreviewRequest(BaseModel):
    """Request body of POST /template/preview."""

    model_config = _REQUEST
    content: str
    incident_id: Annotated[str, Field(pattern="^(?:[0-9a-fA-F]{24})?$")] | None = None
    type: Literal[
        "dingtalk_app",
        "feishu_app",
        "wecom_app",
        "slack_app",
        "teams_app",
        "feishu",
        "dingtalk",
        "wecom",
        "telegram",
        "zoom",
        "email",
        "sms",
    ]
    incident_card_hidden_fields: dict[str, Any] | None = None


class TemplatePreviewResponseFixedFields(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    field: str | None = None
    value: str | None = None


class TemplatePreviewResponse(BaseModel):
    """The ``data`` of the answer to POST /template/preview."""

    model_config = _RESPONSE
    content: str | None = None
    fixed_fields: list[TemplatePreviewResponseFixedFields] | None = None
    message: str | None = None
    success: bool | None = None
