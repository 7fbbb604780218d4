"""Request and response models of the enrichment area."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api._generated.entities import FilterCondition as FilterCondition
from flashcat_prefect.api._generated.entities import FilterConditionOutput as FilterConditionOutput
from flashcat_prefect.api._generated.entities import IntegrationIdsRequest as IntegrationIdsRequest
from flashcat_prefect.api.constraints import not_bool, settings_match_kind

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class EnrichmentInfoRequest(BaseModel):
    """Request body of POST /enrichment/info."""

    model_config = _REQUEST
    integration_id: Annotated[int, Field(ge=1), not_bool]


class EnrichmentInfoEnrichRuleSettings(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    source_field: str | None = None
    result_label: str | None = None
    pattern: str | None = None
    g_json: str | None = None
    override: bool | None = None
    template: str | None = None
    result_labels: list[str] | None = None
    mapping_type: str | None = None
    schema_id: str | None = None
    api_id: str | None = None
    drop_labels: list[str] | None = None


class EnrichRuleOutput(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    kind: str | None = None
    if_: list[FilterConditionOutput] | None = Field(None, alias="if")
    settings: EnrichmentInfoEnrichRuleSettings | None = None


class EnrichmentItem(BaseModel):
    """The ``data`` of the answer to POST /enrichment/info. Part of an answer."""

    model_config = _RESPONSE
    integration_id: int | None = None
    rules: list[EnrichRuleOutput] | None = None
    status: str | None = None
    updated_by: int | None = None
    creator_id: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class EnrichmentListResponse(BaseModel):
    """The ``data`` of the answer to POST /enrichment/list."""

    model_config = _RESPONSE
    items: list[EnrichmentItem] | None = None


class EnrichRuleSettings(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    source_field: str | None = None
    result_label: str | None = None
    pattern: str | None = None
    g_json: str | None = None
    override: bool | None = None
    template: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    result_labels: list[str] | None = None
    mapping_type: Literal["schema", "api"] | None = None
    schema_id: Annotated[str, Field(pattern="^(?:[0-9a-fA-F]{24})?$")] | None = None
    api_id: Annotated[str, Field(pattern="^(?:[0-9a-fA-F]{24})?$")] | None = None
    drop_labels: list[str] | None = None


class EnrichRule(BaseModel):
    """Part of a request body."""

    model_config = _REQUEST
    kind: Literal["extraction", "composition", "mapping", "drop"]
    if_: list[FilterCondition] | None = Field(None, alias="if")
    settings: EnrichRuleSettings
    SETTINGS_BY_KIND: ClassVar[dict[str, tuple[str, ...]]] = {
        "extraction": ("source_field", "result_label"),
        "composition": ("result_label", "template"),
        "mapping": ("result_labels",),
        "drop": ("drop_labels",),
    }
    _settings_match_kind = settings_match_kind()


class EnrichmentUpsertRequest(BaseModel):
    """Request body of POST /enrichment/upsert."""

    model_config = _REQUEST
    integration_id: Annotated[int, not_bool]
    rules: list[EnrichRule]
