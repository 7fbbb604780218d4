"""Request and response models of the alert views area."""

from __future__ import annotations

from flashcat_prefect.api._generated.entities import CardView as CardView
from flashcat_prefect.api._generated.entities import CardViewCreateRequest as CardViewCreateRequest
from flashcat_prefect.api._generated.entities import CardViewListResponse as CardViewListResponse
from flashcat_prefect.api._generated.entities import CardViewUpdateRequest as CardViewUpdateRequest
from flashcat_prefect.api._generated.entities import EmptyRequest as EmptyRequest
from flashcat_prefect.api._generated.entities import EmptyResponse as EmptyResponse
from flashcat_prefect.api._generated.entities import RuleIdResponse as RuleIdResponse
from flashcat_prefect.api._generated.entities import ViewIdRequest as ViewIdRequest
from flashcat_prefect.api._generated.entities import ViewIdResponse as ViewIdResponse
