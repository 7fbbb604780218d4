"""The synchronous Flashduty client."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from flashcat_prefect.client._core import Body, ClientBase, RequestPlan
from flashcat_prefect.client._generated_resources import SyncResources
from flashcat_prefect.client.errors import FlashcatError
from flashcat_prefect.client.pagination import items_of
from flashcat_prefect.client.ratelimit import confirm_delay, pacing_delay

if TYPE_CHECKING:
    from flashcat_prefect.api.catalog import Endpoint


class FlashcatClient(ClientBase, SyncResources):
    """Calls the Flashduty Open API: validated, paced, retried, with typed errors.

    Takes the arguments of :class:`~flashcat_prefect.client._core.ClientBase` (``app_key``,
    ``base_url``, ``timeout``, ``max_retries``, ``requests_per_second``,
    ``requests_per_minute``, ``accept_language``, ``transport``: an ``httpx.BaseTransport``,
    ``auth_param``). Use it as a context manager or call :meth:`close`.

    Examples:
        >>> with FlashcatClient("my-app-key") as client:  # doctest: +SKIP
        ...     for incident in client.iter_items("/incident/list", start_time=t0, end_time=t1):
        ...         print(incident["title"])
    """

    def _open_http(self, transport: httpx.BaseTransport | None) -> httpx.Client:
        return httpx.Client(**self._core.http_options(), transport=transport)

    def __enter__(self) -> FlashcatClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def request(
        self,
        path: str,
        body: Any = None,
        *,
        method: str | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Any:
        """Send ``body`` to any path and return the envelope's ``data`` (CSV exports: the text).

        ``method`` defaults to the catalog's method for known paths, else POST; for GET the
        body goes into the query string.
        """
        return self._send(
            self._core.plan(path, body, method=method, params=params, timeout=timeout)
        )

    def call(
        self,
        endpoint: Endpoint,
        body: Body = None,
        /,
        *,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        **fields: Any,
    ) -> Any:
        """Validate ``body``/``fields`` with the endpoint's request model, send, parse the answer.

        Raises :class:`FlashcatValidationError` before sending when the input breaks a rule.
        Returns the response model, None for empty answers, or text for CSV exports.
        """
        payload = self._core.validated_body(endpoint, body, fields, extra_body)
        data = self._send(
            self._core.plan(endpoint.path, payload, endpoint=endpoint, timeout=timeout)
        )
        return self._core.parse(endpoint, data)

    def iter_pages(
        self,
        endpoint_or_path: Endpoint | str,
        body: Body = None,
        /,
        *,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        **fields: Any,
    ) -> Iterator[Any]:
        """Yield the ``data`` of every page of a list, first to last."""
        walker, endpoint = self._core.page_walker(endpoint_or_path, body, fields, extra_body)
        page_body: dict[str, Any] | None = walker.first()
        while page_body is not None:
            data = self._send(
                self._core.plan(walker.path, page_body, endpoint=endpoint, timeout=timeout)
            )
            yield data
            page_body = walker.next(data)

    def iter_items(
        self,
        endpoint_or_path: Endpoint | str,
        body: Body = None,
        /,
        *,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        **fields: Any,
    ) -> Iterator[Any]:
        """Yield every item (raw dict) of every page of a list."""
        for data in self.iter_pages(
            endpoint_or_path, body, extra_body=extra_body, timeout=timeout, **fields
        ):
            yield from items_of(data)

    def _send(self, plan: RequestPlan) -> Any:
        retries_done = 0
        while True:
            _sleep_if_needed(pacing_delay(plan.limiters))
            _sleep_if_needed(confirm_delay(plan.limiters))  # only after the first wait
            self._core.take_shared_slot(plan)
            started = time.monotonic()
            try:
                response = self._http.send(self._core.build_request(self._http, plan))
                self._core.log_response(response, plan, started)
                return self._core.decode(response, plan)
            except (FlashcatError, httpx.HTTPError) as exc:
                error = self._core.as_error(exc, plan)
                delay = self._core.retry_delay(error, retries_done, plan)
                if delay is None:
                    raise error from None
            self._core.log_retry(error, delay, retries_done, plan)
            time.sleep(delay)
            retries_done += 1


def _sleep_if_needed(seconds: float) -> None:
    """Sleep only for a real wait: a zero sleep still gives up the GIL on every request."""
    if seconds > 0:
        time.sleep(seconds)
