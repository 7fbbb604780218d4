"""What every endpoint task shares: options, the retry rule and the call itself.

The generated modules beside this one hold one sync task and one async twin per catalog
entry; each is a thin wrapper over :func:`run_endpoint` / :func:`arun_endpoint`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from flashcat_prefect.api.catalog import Endpoint
from flashcat_prefect.client.errors import is_retryable

if TYPE_CHECKING:
    from pydantic import BaseModel

    from flashcat_prefect.credentials import FlashcatCredentials

TASK_RETRIES = 2
"""Prefect-level retries, on top of the client's own bounded retries for 429/5xx."""


def retry_if_retryable(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect ``retry_condition_fn``: retry only errors the API marks as transient."""
    try:
        state.result()
    except Exception as exc:  # the failed state re-raises the task's exception
        return is_retryable(exc)
    return False


def task_options(endpoint: Endpoint, *, asynchronous: bool = False) -> dict[str, Any]:
    """Keyword arguments for ``@task`` for one endpoint."""
    return {
        "name": endpoint.atask_name if asynchronous else endpoint.task_name,
        "description": f"{endpoint.summary} ({endpoint.method} {endpoint.path}).",
        "tags": ["flashcat", endpoint.area, *(["legacy"] if endpoint.legacy else [])],
        "retries": TASK_RETRIES,
        "retry_delay_seconds": exponential_backoff(backoff_factor=2),
        "retry_jitter_factor": 0.5,
        "retry_condition_fn": retry_if_retryable,
        # Reads must see fresh data and writes must always run: never serve from cache.
        "cache_policy": NO_CACHE,
    }


def _warn_if_legacy(endpoint: Endpoint) -> None:
    if endpoint.legacy:
        warnings.warn(
            f"{endpoint.path} only appears in archived Flashduty specs; it may be removed.",
            DeprecationWarning,
            stacklevel=3,
        )


def run_endpoint(
    credentials: FlashcatCredentials,
    endpoint: Endpoint,
    body: BaseModel | Mapping[str, Any] | None,
    fields: Mapping[str, Any],
) -> Any:
    """Validate, send and decode one call with a client built from the block."""
    _warn_if_legacy(endpoint)
    with credentials.get_client() as client:
        return client.call(endpoint, body, **fields)


async def arun_endpoint(
    credentials: FlashcatCredentials,
    endpoint: Endpoint,
    body: BaseModel | Mapping[str, Any] | None,
    fields: Mapping[str, Any],
) -> Any:
    """Async twin of :func:`run_endpoint`."""
    _warn_if_legacy(endpoint)
    async with credentials.get_async_client() as client:
        return await client.call(endpoint, body, **fields)
