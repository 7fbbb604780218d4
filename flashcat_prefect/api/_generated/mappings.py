"""Request and response models of the mappings area."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.api._generated.entities import EmptyRequest as EmptyRequest
from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class MappingSchemaItem(BaseModel):
    """Part of an answer. The ``data`` of the answer to POST /enrichment/mapping/schema/info."""

    model_config = _RESPONSE
    schema_id: str | None = None
    schema_name: str | None = None
    description: str | None = None
    source_labels: list[str] | None = None
    result_labels: list[str] | None = None
    status: str | None = None
    team_id: int | None = None
    creator_id: int | None = None
    updated_by: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class EnrichmentMappingSchemaListResponse(BaseModel):
    """The ``data`` of the answer to POST /enrichment/mapping/schema/list."""

    model_config = _RESPONSE
    total: int | None = None
    items: list[MappingSchemaItem] | None = None


class SchemaIdRequest(BaseModel):
    """Request body of 4 endpoints (POST /enrichment/mapping/schema/info, POST /enrichment/mapping/schema/delete, ...)."""

    model_config = _REQUEST
    schema_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class EnrichmentMappingSchemaCreateRequest(BaseModel):
    """Request body of POST /enrichment/mapping/schema/create."""

    model_config = _REQUEST
    schema_name: Annotated[str, Field(min_length=0, max_length=39)]
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    team_id: Annotated[int, not_bool] | None = None
    source_labels: Annotated[list[str], Field(min_length=0, max_length=3)]
    result_labels: Annotated[list[str], Field(min_length=0, max_length=10)]


class EnrichmentMappingSchemaCreateResponse(BaseModel):
    """The ``data`` of the answer to POST /enrichment/mapping/schema/create."""

    model_config = _RESPONSE
    schema_id: str | None = None
    schema_name: str | None = None


class EnrichmentMappingSchemaUpdateRequest(BaseModel):
    """Request body of POST /enrichment/mapping/schema/update."""

    model_config = _REQUEST
    schema_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    schema_name: Annotated[str, Field(min_length=0, max_length=39)] | None = None
    description: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    team_id: Annotated[int, not_bool] | None = None


class EnrichmentMappingDataListRequest(BaseModel):
    """Request body of POST /enrichment/mapping/data/list."""

    model_config = _REQUEST
    schema_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    query: dict[str, str] | None = None
    orderby: Literal["created_at", "updated_at"] | None = None
    asc: bool | None = None
    p: Annotated[int, not_bool] | None = None
    limit: Annotated[int, not_bool] | None = None
    search_after_ctx: str | None = None


class MappingDataItem(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    key: str | None = None
    fields_: dict[str, str] | None = Field(None, alias="fields")
    created_at: int | None = None
    updated_at: int | None = None


class EnrichmentMappingDataListResponse(BaseModel):
    """The ``data`` of the answer to POST /enrichment/mapping/data/list."""

    model_config = _RESPONSE
    items: list[MappingDataItem] | None = None
    total: int | None = None
    has_next_page: bool | None = None
    search_after_ctx: str | None = None


class EnrichmentMappingDataUpsertRequest(BaseModel):
    """Request body of POST /enrichment/mapping/data/upsert."""

    model_config = _REQUEST
    schema_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    docs: Annotated[list[dict[str, str]], Field(min_length=0, max_length=1000)]


class EnrichmentMappingDataUpsertResponse(BaseModel):
    """The ``data`` of the answer to POST /enrichment/mapping/data/upsert."""

    model_config = _RESPONSE
    keys: list[str] | None = None


class EnrichmentMappingDataDeleteRequest(BaseModel):
    """Request body of POST /enrichment/mapping/data/delete."""

    model_config = _REQUEST
    schema_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    keys: Annotated[list[str], Field(min_length=0, max_length=100)]


class EnrichmentMappingDataUploadRequest(BaseModel):
    """Request body of POST /enrichment/mapping/data/upload."""

    model_config = _REQUEST
    schema_id: str | None = None
    file: str | None = None


class MappingAPIItem(BaseModel):
    """Part of an answer. The ``data`` of the answer to POST /enrichment/mapping/api/info."""

    model_config = _RESPONSE
    api_id: str | None = None
    api_name: str | None = None
    description: str | None = None
    url: str | None = None
    headers: dict[str, str] | None = None
    timeout: int | None = None
    retry_count: int | None = None
    insecure_skip_verify: bool | None = None
    status: str | None = None
    team_id: int | None = None
    creator_id: int | None = None
    updated_by: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class EnrichmentMappingApiListResponse(BaseModel):
    """The ``data`` of the answer to POST /enrichment/mapping/api/list."""

    model_config = _RESPONSE
    total: int | None = None
    items: list[MappingAPIItem] | None = None


class ApiIdRequest(BaseModel):
    """Request body of POST /enrichment/mapping/api/info, POST /enrichment/mapping/api/delete."""

    model_config = _REQUEST
    api_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]


class EnrichmentMappingApiCreateRequest(BaseModel):
    """Request body of POST /enrichment/mapping/api/create."""

    model_config = _REQUEST
    api_name: Annotated[str, Field(min_length=0, max_length=199)]
    description: str | None = None
    url: Annotated[str, Field(min_length=0, max_length=500)]
    insecure_skip_verify: bool | None = None
    headers: dict[str, str] | None = None
    timeout_: Annotated[int, not_bool] | None = Field(None, alias="timeout")
    retry_count: Annotated[int, not_bool] | None = None
    team_id: Annotated[int, not_bool] | None = None


class EnrichmentMappingApiCreateResponse(BaseModel):
    """The ``data`` of the answer to POST /enrichment/mapping/api/create."""

    model_config = _RESPONSE
    api_id: str | None = None
    api_name: str | None = None


class EnrichmentMappingApiUpdateRequest(BaseModel):
    """Request body of POST /enrichment/mapping/api/update."""

    model_config = _REQUEST
    api_id: Annotated[str, Field(pattern="^[0-9a-fA-F]{24}$")]
    api_name: Annotated[str, Field(min_length=0, max_length=199)] | None = None
    description: str | None = None
    url: Annotated[str, Field(min_length=0, max_length=500)] | None = None
    insecure_skip_verify: bool | None = None
    headers: dict[str, str] | None = None
    timeout_: Annotated[int, not_bool] | None = Field(None, alias="timeout")
    retry_count: Annotated[int, not_bool] | None = None
    team_id: Annotated[int, not_bool] | None = None
