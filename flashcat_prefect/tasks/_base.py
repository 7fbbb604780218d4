"""What every endpoint task shares: options, the retry rule and the call itself.

The generated modules beside this one hold one sync task and one async twin per catalog
entry; each is a thin wrapper over :func:`run_endpoint` / :func:`arun_endpoint`.
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from flashcat_prefect.api.catalog import Endpoint
from flashcat_prefect.client.errors import is_retryable, is_safe_to_resend
from flashcat_prefect.client.shared import shared_async_client, shared_client
from flashcat_prefect.credentials import FlashcatCredentials, FlashcatIntegration, require_block

if TYPE_CHECKING:
    from pydantic import BaseModel

TASK_RETRIES = 2
"""Prefect-level retries, on top of the client's own bounded retries for 429/5xx."""


async def _failure_of(state: Any) -> BaseException | None:
    """The exception a failed task run raised, or None.

    Read with the awaitable :meth:`State.aresult`, which never raises with
    ``raise_on_failure=False``: Prefect awaits an async retry condition in the async task
    engine and runs it to completion in the sync one, so the same condition serves both
    twins. (The sync ``state.result()`` dispatches to the async implementation inside an
    async task and hands back an un-awaited coroutine, which read as "no failure".)
    """
    outcome = await state.aresult(raise_on_failure=False)
    return outcome if isinstance(outcome, BaseException) else None


async def retry_if_retryable(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect ``retry_condition_fn`` for idempotent work: retry any transient failure."""
    failure = await _failure_of(state)
    return failure is not None and is_retryable(failure)


def retry_condition_for(endpoint: Endpoint) -> Callable[[Any, Any, Any], Awaitable[bool]]:
    """A Prefect ``retry_condition_fn`` for one endpoint (async, for both twins).

    Transient failures are retried, but a write is sent again only when the server cannot have
    applied it (429, 503, no connection): after a timeout or a 500 it might have, and resending
    could apply it twice. This is the same rule the client follows for its own retries.
    """

    async def should_retry(task: Any, task_run: Any, state: Any) -> bool:
        failure = await _failure_of(state)
        return failure is not None and is_safe_to_resend(failure, writes=endpoint.writes)

    should_retry.__name__ = f"retry_{endpoint.task_name}"
    return should_retry


def task_options(endpoint: Endpoint, *, asynchronous: bool = False) -> dict[str, Any]:
    """Keyword arguments for ``@task`` for one endpoint."""
    return {
        "name": endpoint.atask_name if asynchronous else endpoint.task_name,
        "description": f"{endpoint.summary} ({endpoint.method} {endpoint.path}).",
        "tags": ["flashcat", endpoint.area, *(["legacy"] if endpoint.legacy else [])],
        **_retry_options(TASK_RETRIES, retry_condition_for(endpoint)),
        # Reads must see fresh data and writes must always run: never serve from cache.
        "cache_policy": NO_CACHE,
    }


def routine_task_options(
    name: str,
    *,
    area: str,
    retries: int = 0,
    description: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Keyword arguments for ``@task`` for one coarse task of a ready-made routine.

    Tagged ``flashcat`` and ``area``, never cached. ``retries`` stays 0 for tasks that write
    (the client already resends what is safe to resend); a task safe to run again gets the
    same backoff and retry condition as the endpoint tasks. ``extra`` adds or overrides
    ``@task`` options.
    """
    options: dict[str, Any] = {
        "name": name,
        "tags": ["flashcat", area],
        "cache_policy": NO_CACHE,
        **_retry_options(retries, retry_if_retryable),
    }
    if description is not None:
        options["description"] = description
    return {**options, **extra}


def _retry_options(
    retries: int, condition: Callable[[Any, Any, Any], Awaitable[bool]]
) -> dict[str, Any]:
    """The retry keywords of ``@task``: none but ``retries=0`` when there are no retries."""
    if not retries:
        return {"retries": 0}
    return {
        "retries": retries,
        "retry_delay_seconds": exponential_backoff(backoff_factor=2),
        "retry_jitter_factor": 0.5,
        "retry_condition_fn": condition,
    }


def _warn_if_legacy(endpoint: Endpoint) -> None:
    if endpoint.legacy:
        warnings.warn(
            f"{endpoint.path} only appears in archived Flashduty specs; it may be removed.",
            DeprecationWarning,
            stacklevel=3,
        )


def _client_block(
    credentials: FlashcatCredentials | FlashcatIntegration, endpoint: Endpoint
) -> FlashcatCredentials | FlashcatIntegration:
    """The block a task was given, checked against the endpoint's kind of key before any
    request (a live client, a key string or an int gets a TypeError naming the parameter)."""
    if endpoint.auth == "integration_key":
        return require_block(credentials, FlashcatIntegration, "integration")
    return require_block(credentials, FlashcatCredentials, "credentials")


def run_endpoint(
    credentials: FlashcatCredentials | FlashcatIntegration,
    endpoint: Endpoint,
    body: BaseModel | Mapping[str, Any] | None,
    fields: Mapping[str, Any],
    extra_body: Mapping[str, Any] | None = None,
    timeout: float | None = None,
) -> Any:
    """Validate, send and decode one call with the process's client for the block's settings."""
    _warn_if_legacy(endpoint)
    return shared_client(_client_block(credentials, endpoint)).call(
        endpoint, body, extra_body=extra_body, timeout=timeout, **fields
    )


async def arun_endpoint(
    credentials: FlashcatCredentials | FlashcatIntegration,
    endpoint: Endpoint,
    body: BaseModel | Mapping[str, Any] | None,
    fields: Mapping[str, Any],
    extra_body: Mapping[str, Any] | None = None,
    timeout: float | None = None,
) -> Any:
    """Async twin of :func:`run_endpoint` (the client of the running event loop)."""
    _warn_if_legacy(endpoint)
    return await shared_async_client(_client_block(credentials, endpoint)).call(
        endpoint, body, extra_body=extra_body, timeout=timeout, **fields
    )
