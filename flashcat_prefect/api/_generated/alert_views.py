"""Request and response models of the alert views area."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from flashcat_prefect.api._generated.entities import CardView as CardView
from flashcat_prefect.api._generated.entities import CardViewListResponse as CardViewListResponse
from flashcat_prefect.api._generated.entities import EmptyRequest as EmptyRequest
from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api._generated.entities import RuleIdResponse as RuleIdResponse
from flashcat_prefect.api._generated.entities import ViewIdRequest as ViewIdRequest
from flashcat_prefect.api._generated.entities import ViewIdResponse as ViewIdResponse

_REQUEST = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
_RESPONSE = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class AlertCardViewCreateRequest(BaseModel):
    """Request body of POST /alert/card-view/create."""

    model_config = _REQUEST
    view_name: str | None = None
    equals: list[str]


class AlertCardViewUpdateRequest(BaseModel):
    """Request body of POST /alert/card-view/update."""

    model_config = _REQUEST
    view_id: str | None = None
    view_name: str
    equals: list[str]
