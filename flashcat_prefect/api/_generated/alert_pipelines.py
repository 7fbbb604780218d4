"""Request and response models of the alert pipelines area."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api.constraints import settings_match_kind

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class AlertPipelineInfoRequest(BaseModel):
    """Request body of POST /alert/pipeline/info."""

    model_config = _REQUEST
    integration_id: int


class FilterCondition(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    key: str | None = None
    oper: str | None = None
    vals: list[str] | None = None


class AlertPipelineSettings(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    title: str | None = None
    description: str | None = None
    severity: str | None = None
    equals: list[str] | None = None
    source_filters: list[list[FilterCondition]] | None = None


class AlertPipeline(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    kind: str | None = None
    if_: list[list[FilterCondition]] | None = Field(None, alias="if")
    settings: AlertPipelineSettings | None = None


class AlertPipelineInfoResponse(BaseModel):
    """The ``data`` of a POST /alert/pipeline/info answer."""

    model_config = _RESPONSE
    integration_id: int | None = None
    rules: list[AlertPipeline] | None = None
    status: str | None = None
    creator_id: int | None = None
    updated_by: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class AlertPipelineListRequest(BaseModel):
    """Request body of POST /alert/pipeline/list."""

    model_config = _REQUEST
    integration_ids: list[int]


class AlertPipelineListAlertPipelineSettings(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    title: str | None = None
    description: str | None = None
    severity: str | None = None
    equals: list[str] | None = None
    source_filters: list[list[dict[str, Any]]] | None = None


class AlertPipelineListAlertPipeline(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    kind: str | None = None
    if_: list[list[FilterCondition]] | None = Field(None, alias="if")
    settings: AlertPipelineListAlertPipelineSettings | None = None


class AlertPipelineItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    integration_id: int | None = None
    rules: list[AlertPipelineListAlertPipeline] | None = None
    status: str | None = None
    creator_id: int | None = None
    updated_by: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class AlertPipelineListResponse(BaseModel):
    """The ``data`` of a POST /alert/pipeline/list answer."""

    model_config = _RESPONSE
    items: list[AlertPipelineItem] | None = None


class AlertPipelineUpsertFilterCondition(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    key: str
    oper: Literal["IN", "NOTIN"]
    vals: list[str] | None


class AlertPipelineUpsertAlertPipelineSettings(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    title: str | None = None
    description: str | None = None
    severity: Literal["Critical", "Warning", "Info"] | None = None
    equals: list[str] | None = None
    source_filters: list[list[AlertPipelineUpsertFilterCondition]] | None = None


class AlertPipelineUpsertAlertPipeline(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    kind: (
        Literal["title_reset", "description_reset", "severity_reset", "alert_drop", "alert_inhibit"]
        | None
    ) = None
    if_: list[list[AlertPipelineUpsertFilterCondition]] | None = Field(None, alias="if")
    settings: AlertPipelineUpsertAlertPipelineSettings | None = None
    SETTINGS_BY_KIND: ClassVar[dict[str, tuple[str, ...]]] = {
        "title_reset": ("title",),
        "description_reset": ("description",),
        "severity_reset": ("severity",),
        "alert_inhibit": ("equals", "source_filters"),
    }
    _settings_match_kind = settings_match_kind()


class AlertPipelineUpsertRequest(BaseModel):
    """Request body of POST /alert/pipeline/upsert."""

    model_config = _REQUEST
    integration_id: int
    rules: Annotated[list[AlertPipelineUpsertAlertPipeline], Field(min_length=0, max_length=50)]


class AlertPipelineUpsertResponse(BaseModel):
    """The ``data`` of a POST /alert/pipeline/upsert answer."""

    model_config = _RESPONSE
