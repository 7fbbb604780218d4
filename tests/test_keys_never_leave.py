"""Keys never leave through what we send or what we raise.

- A failed flow's message that quotes a key (as ``app_key=...`` in a URL, or the bare key a
  client of the process uses, or the integration key) reaches Flashduty masked: the alerts,
  alert events and incidents the emulator stored are read back over HTTP.
- The notification block masks keys in its subject and body likewise.
- The errors the clients raise, and every error and object reachable from them (``__cause__``,
  ``__context__``, their arguments and attributes: httpx errors keep the request, whose URL
  carries the key), hold no key.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from prefect import flow

from flashcat_prefect import AsyncFlashcatClient, FlashcatClient, FlashcatNotification
from flashcat_prefect.client.errors import FlashcatTransportError
from flashcat_prefect.hooks import alert_on_failure
from tests.loopback import free_port


def stored_texts(emulator: Any) -> str:
    """Everything the emulator holds about alerts and incidents of the last hour, as JSON text."""
    now = emulator.state.clock()
    window = {"start_time": now - 3600, "end_time": now + 3600}
    with emulator.credentials().get_client() as client:
        alerts = client.request("/alert/list", {**window, "limit": 100})
        incidents = client.request("/incident/list", {**window, "limit": 100})
        events = [
            client.request("/alert/event/list", {"alert_id": alert["alert_id"]})
            for alert in alerts["items"]
        ]
    return json.dumps([alerts, incidents, events])


@pytest.fixture
def sentinel() -> str:
    return f"SENTINELkey{uuid.uuid4().hex}"


def test_a_key_in_a_flow_error_never_reaches_flashduty(emulator, integration, sentinel):
    app_key = emulator.app_key
    integration_key = emulator.integration_key(2001)
    with emulator.credentials().get_client():
        pass  # the process uses the app key, as a flow of this project would

    @flow(name=f"leaky-{uuid.uuid4().hex[:6]}")
    def leaky() -> None:
        raise RuntimeError(
            f"GET https://api.flashcat.cloud/incident/list?app_key={sentinel}&p=1 failed; "
            f"retried with {app_key}; integration {integration_key} too"
        )

    state = leaky.with_options(on_failure=[alert_on_failure(integration)])(return_state=True)

    assert state.is_failed()
    stored = stored_texts(emulator)
    assert "app_key=***" in stored  # the message arrived, masked
    for key in (sentinel, app_key, integration_key):
        assert key not in stored


def test_the_notification_block_masks_keys(emulator, integration, sentinel):
    block = FlashcatNotification(integration=integration, alert_key=f"notify-{sentinel[-8:]}")
    integration_key = integration.integration_key.get_secret_value()

    block.notify(
        f"export failed: https://x/?integration_key={sentinel}\nkey {integration_key}",
        subject=f"app_key={sentinel}",
    )

    stored = stored_texts(emulator)
    assert "integration_key=***" in stored
    assert sentinel not in stored and integration_key not in stored


def reachable(root: BaseException) -> Iterator[Any]:
    """Every object reachable from an error through chains, arguments and attributes."""
    seen: set[int] = set()
    waiting: list[Any] = [root]
    while waiting:
        item = waiting.pop()
        if item is None or id(item) in seen or isinstance(item, int | float | bool):
            continue
        seen.add(id(item))
        yield item
        if isinstance(item, BaseException):
            waiting += [item.__cause__, item.__context__, *item.args, *vars(item).values()]
            for name in ("request", "response"):  # httpx properties (raise once stripped)
                with contextlib.suppress(RuntimeError):
                    waiting.append(getattr(item, name, None))
        elif isinstance(item, httpx.Request):
            waiting += [item.url, item.headers]
        elif isinstance(item, httpx.Response):
            waiting += [item.request] if item._request is not None else []
        elif isinstance(item, dict):
            waiting += [*item.keys(), *item.values()]
        elif isinstance(item, list | tuple | set):
            waiting += list(item)


def assert_no_key(error: BaseException, key: str) -> None:
    for item in reachable(error):
        assert key not in repr(item), (
            f"{type(item).__name__} reachable from the error holds the key"
        )


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers (reads time out)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


@pytest.mark.parametrize("fault", ["refused", "timeout"])
def test_client_errors_hold_no_key(sentinel, silent_port, fault):
    port = free_port() if fault == "refused" else silent_port
    base_url = f"http://127.0.0.1:{port}"
    options = {"base_url": base_url, "max_retries": 0, "timeout": 0.3}

    with (
        FlashcatClient(sentinel, **options) as client,
        pytest.raises(FlashcatTransportError) as caught,
    ):
        client.request("/incident/list", {"limit": 1})
    assert_no_key(caught.value, sentinel)
    assert caught.value.__context__ is not None  # the httpx error is still there, stripped

    async def call_async() -> None:
        async with AsyncFlashcatClient(sentinel, **options) as client:
            await client.request("/incident/list", {"limit": 1})

    with pytest.raises(FlashcatTransportError) as caught_async:
        asyncio.run(call_async())
    assert_no_key(caught_async.value, sentinel)
