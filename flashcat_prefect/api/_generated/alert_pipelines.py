"""Request and response models of the alert pipelines area."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api._generated.entities import FilterCondition as FilterCondition
from flashcat_prefect.api._generated.entities import FilterConditionOutput as FilterConditionOutput
from flashcat_prefect.api._generated.entities import IntegrationIdRequest as IntegrationIdRequest
from flashcat_prefect.api._generated.entities import IntegrationIdsRequest as IntegrationIdsRequest
from flashcat_prefect.api.constraints import not_bool, settings_match_kind

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class AlertPipelineInfoAlertPipelineSettings(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    title: str | None = None
    description: str | None = None
    severity: str | None = None
    equals: list[str] | None = None
    source_filters: list[list[FilterConditionOutput]] | None = None


class AlertPipelineOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    kind: str | None = None
    if_: list[list[FilterConditionOutput]] | None = Field(None, alias="if")
    settings: AlertPipelineInfoAlertPipelineSettings | None = None


class AlertPipelineInfoResponse(BaseModel):
    """The ``data`` of the answer to POST /alert/pipeline/info."""

    model_config = _RESPONSE
    integration_id: int | None = None
    rules: list[AlertPipelineOutput] | None = None
    status: str | None = None
    creator_id: int | None = None
    updated_by: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


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
    if_: list[list[FilterConditionOutput]] | None = Field(None, alias="if")
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
    """The ``data`` of the answer to POST /alert/pipeline/list."""

    model_config = _RESPONSE
    items: list[AlertPipelineItem] | None = None


class AlertPipelineSettings(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    title: str | None = None
    description: str | None = None
    severity: Literal["Critical", "Warning", "Info"] | None = None
    equals: list[str] | None = None
    source_filters: list[list[FilterCondition]] | None = None


class AlertPipeline(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    kind: (
        Literal["title_reset", "description_reset", "severity_reset", "alert_drop", "alert_inhibit"]
        | None
    ) = None
    if_: list[list[FilterCondition]] | None = Field(None, alias="if")
    settings: AlertPipelineSettings | None = None
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
    integration_id: Annotated[int, not_bool]
    rules: Annotated[list[AlertPipeline], Field(min_length=0, max_length=50)]
