"""Request and response models of the licenses area."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict

from flashcat_prefect.api._generated.entities import EmptyRequest as EmptyRequest
from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api.constraints import not_bool

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class OncallLicenseListResponseItems(BaseModel):
    """Part of an answer."""

    model_config = _RESPONSE
    created_at: int | None = None
    person_id: int | None = None
    person_name: str | None = None
    type: str | None = None
    updated_at: int | None = None
    updated_by: int | None = None


class OncallLicenseListResponse(BaseModel):
    """The ``data`` of the answer to POST /oncall/license/list."""

    model_config = _RESPONSE
    items: list[OncallLicenseListResponseItems] | None = None
    total: int | None = None


class ResourceTransferLicenseRequest(BaseModel):
    """Request body of POST /resource/transfer/license."""

    model_config = _REQUEST
    person_id: Annotated[int, not_bool]
