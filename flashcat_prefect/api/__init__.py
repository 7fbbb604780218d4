"""Facts of the Flashduty API: the endpoint catalog and its pydantic models.

This layer knows the API and nothing else: no httpx, no Prefect. The catalog and models are
generated from the spec snapshot in ``flashcat_prefect/api/spec/`` by ``tools/generate_api.py``.
"""

from __future__ import annotations

from flashcat_prefect.api._generated.catalog_data import CATALOG
from flashcat_prefect.api.catalog import (
    DEFAULT_RATE_LIMIT,
    EVENT_RATE_LIMIT,
    EXPORT_RATE_LIMIT,
    Endpoint,
    RateLimit,
)

_BY_PATH: dict[str, Endpoint] = {e.path: e for e in CATALOG if e.is_http}


def get_endpoint(path: str) -> Endpoint:
    """Return the catalog entry for an HTTP path such as ``/incident/list``."""
    try:
        return _BY_PATH[path]
    except KeyError:
        raise KeyError(f"{path!r} is not a known Flashduty endpoint") from None


def find_endpoint(path: str) -> Endpoint | None:
    """Like :func:`get_endpoint` but answers ``None`` for unknown paths."""
    return _BY_PATH.get(path)


def endpoints_by_area() -> dict[str, list[Endpoint]]:
    """Group the catalog by client namespace, keeping catalog order."""
    grouped: dict[str, list[Endpoint]] = {}
    for entry in CATALOG:
        grouped.setdefault(entry.area, []).append(entry)
    return grouped


__all__ = [
    "CATALOG",
    "DEFAULT_RATE_LIMIT",
    "EVENT_RATE_LIMIT",
    "EXPORT_RATE_LIMIT",
    "Endpoint",
    "RateLimit",
    "endpoints_by_area",
    "find_endpoint",
    "get_endpoint",
]
