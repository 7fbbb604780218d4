"""The asyncio Flashduty client, the twin of :mod:`flashcat_prefect.client.sync_client`.

Only the I/O differs: settings, decoding, errors, retry decisions and pacing come from the
same :class:`~flashcat_prefect.client._core.ClientCore`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from flashcat_prefect.client._core import Body, ClientBase, RequestPlan
from flashcat_prefect.client._generated_resources import AsyncResources
from flashcat_prefect.client.errors import FlashcatError
from flashcat_prefect.client.pagination import items_of
from flashcat_prefect.client.ratelimit import pacing_delay, wait_for_send_slot

if TYPE_CHECKING:
    from flashcat_prefect.api.catalog import Endpoint


class AsyncFlashcatClient(ClientBase, AsyncResources):
    """Async twin of :class:`~flashcat_prefect.client.FlashcatClient` (same arguments,
    ``transport`` is an ``httpx.AsyncBaseTransport``); use ``async with`` / ``aclose()``.

    Examples:
        >>> async with AsyncFlashcatClient("my-app-key") as client:  # doctest: +SKIP
        ...     async for page in client.iter_pages("/member/list"):
        ...         print(page["total"])
    """

    def _open_http(self, transport: httpx.AsyncBaseTransport | None) -> httpx.AsyncClient:
        return httpx.AsyncClient(**self._core.http_options(), transport=transport)

    async def __aenter__(self) -> AsyncFlashcatClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def request(
        self,
        path: str,
        body: Any = None,
        *,
        method: str | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Any:
        """Send ``body`` to any path and return the envelope's ``data`` (CSV exports: the text)."""
        return await self._send(
            self._core.plan(path, body, method=method, params=params, timeout=timeout)
        )

    async def call(
        self,
        endpoint: Endpoint,
        body: Body = None,
        /,
        *,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        **fields: Any,
    ) -> Any:
        """Validate with the endpoint's request model, send, parse (see ``FlashcatClient.call``)."""
        payload = self._core.validated_body(endpoint, body, fields, extra_body)
        data = await self._send(
            self._core.plan(endpoint.path, payload, endpoint=endpoint, timeout=timeout)
        )
        return self._core.parse(endpoint, data)

    async def iter_pages(
        self,
        endpoint_or_path: Endpoint | str,
        body: Body = None,
        /,
        *,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        **fields: Any,
    ) -> AsyncIterator[Any]:
        """Yield the ``data`` of every page of a list, first to last."""
        walker, endpoint = self._core.page_walker(endpoint_or_path, body, fields, extra_body)
        page_body: dict[str, Any] | None = walker.first()
        while page_body is not None:
            data = await self._send(
                self._core.plan(walker.path, page_body, endpoint=endpoint, timeout=timeout)
            )
            yield data
            page_body = walker.next(data)

    async def iter_items(
        self,
        endpoint_or_path: Endpoint | str,
        body: Body = None,
        /,
        *,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        **fields: Any,
    ) -> AsyncIterator[Any]:
        """Yield every item (raw dict) of every page of a list."""
        async for data in self.iter_pages(
            endpoint_or_path, body, extra_body=extra_body, timeout=timeout, **fields
        ):
            for item in items_of(data):
                yield item

    async def _send(self, plan: RequestPlan) -> Any:
        retries_done = 0
        while True:
            await asyncio.sleep(pacing_delay(plan.limiters))
            await wait_for_send_slot(plan.limiters)
            await self._core.atake_shared_slot(plan)
            started = time.monotonic()
            try:
                response = await self._http.send(self._core.build_request(self._http, plan))
                self._core.log_response(response, plan, started)
                return self._core.decode(response, plan)
            except (FlashcatError, httpx.HTTPError) as exc:
                error = self._core.as_error(exc, plan)
                delay = self._core.retry_delay(error, retries_done, plan)
                if delay is None:
                    raise error from None
            self._core.log_retry(error, delay, retries_done, plan)
            await asyncio.sleep(delay)
            retries_done += 1
