"""The app key and integration key never show up in logs (DEBUG, httpx/httpcore included),
exception text, tracebacks, reprs or ``str()`` of clients, blocks and errors."""

from __future__ import annotations

import asyncio
import logging
import secrets
import traceback
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
import respx

from flashcat_prefect import (
    AsyncFlashcatClient,
    FlashcatClient,
    FlashcatCredentials,
    FlashcatIntegration,
)
from flashcat_prefect.api import get_endpoint
from flashcat_prefect.client import FlashcatError
from tests.loopback import CLIENT_TIMEOUT, LATE, Wire, free_port

MOCK_URL = "http://flashduty.test"


def _failure_text(exc: BaseException) -> str:
    return "\n".join([str(exc), repr(exc), *traceback.format_exception(exc)])


def _assert_clean(caplog: pytest.LogCaptureFixture, secret: str, texts: list[str]) -> None:
    for record in caplog.records:
        formatted = logging.Formatter("%(name)s %(message)s").format(record)
        assert secret not in formatted, f"{record.name} leaked the key: {formatted}"
    for text in texts:
        assert secret not in text
    # The capture really saw httpx's request lines (with the key masked), so the check can fail.
    httpx_lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert any("app_key=***" in line or "integration_key=***" in line for line in httpx_lines)
    assert any(r.name.startswith("httpcore") for r in caplog.records)


def _echo_key_in(wire: Wire, message: str) -> None:
    """The next answer of ``/member/list`` is a 400 whose message carries ``message``."""
    wire.app.faults.add(
        "http_error",
        path="/member/list",
        status=400,
        code="InvalidParameter",
        message=message,
        times=1,
    )


def _sync_scenarios(wire: Wire) -> list[str]:
    key = wire.app_key
    texts: list[str] = []
    client = FlashcatClient(key, base_url=wire.url, max_retries=1, timeout=CLIENT_TIMEOUT)
    texts += [repr(client), str(client)]
    with client:
        client.request("/member/list", {"limit": 1})
        wire.app.faults.add("rate_limit", path="/member/list", retry_after=0, times=1)
        client.request("/member/list", {})  # a retry logs a warning
        _echo_key_in(wire, f"bad app_key={key} and {key}")
        wire.app.faults.add("latency", path="/incident/ack", seconds=LATE, times=1)
        incident_id = wire.open_incident()
        failures: list[Callable[[], Any]] = [
            lambda: client.request("/member/list", {}),
            lambda: client.call(get_endpoint("/incident/ack"), incident_ids=[incident_id]),
            lambda: client.members.list(limit=1000, query=key),
        ]
        for failing in failures:
            with pytest.raises(FlashcatError) as info:
                failing()
            texts.append(_failure_text(info.value))
    with (
        FlashcatClient(f"{key}-wrong", base_url=wire.url) as wrong,
        pytest.raises(FlashcatError) as info,
    ):
        wrong.request("/member/list", {})
    texts.append(_failure_text(info.value))
    # Real servers may echo the key they got; the emulator does not, so respx plays one.
    with respx.mock(assert_all_called=True) as mock:
        mock.post(f"{MOCK_URL}/member/list").respond(
            401,
            json={
                "request_id": "r",
                "error": {"code": "Unauthorized", "message": f"app_key {key}-wrong is invalid"},
            },
        )
        with (
            FlashcatClient(f"{key}-wrong", base_url=MOCK_URL) as wrong,
            pytest.raises(FlashcatError) as info,
        ):
            wrong.request("/member/list", {})
    texts.append(_failure_text(info.value))
    with (
        FlashcatClient(key, base_url=f"http://127.0.0.1:{free_port()}", max_retries=0) as nowhere,
        pytest.raises(FlashcatError) as info,
    ):
        nowhere.request("/member/list", {})
    texts.append(_failure_text(info.value))
    return texts


def test_sync_client_never_leaks_the_key(wire: Wire, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    texts = _sync_scenarios(wire)
    _assert_clean(caplog, wire.app_key, texts)
    assert any("RequestTooFrequentlyError" in r.getMessage() for r in caplog.records)


async def _async_scenarios(wire: Wire) -> list[str]:
    key = wire.app_key
    texts: list[str] = []
    async with AsyncFlashcatClient(
        key, base_url=wire.url, max_retries=1, timeout=CLIENT_TIMEOUT
    ) as client:
        texts.append(repr(client))
        await client.request("/member/list", {"limit": 1})
        _echo_key_in(wire, f"bad app_key={key}")
        wire.app.faults.add("latency", path="/incident/ack", seconds=LATE, times=1)
        incident_id = wire.open_incident()
        failures: list[Callable[[], Coroutine[Any, Any, Any]]] = [
            lambda: client.request("/member/list", {}),
            lambda: client.call(get_endpoint("/incident/ack"), incident_ids=[incident_id]),
        ]
        for failing in failures:
            with pytest.raises(FlashcatError) as info:
                await failing()
            texts.append(_failure_text(info.value))
    async with AsyncFlashcatClient(
        key, base_url=f"http://127.0.0.1:{free_port()}", max_retries=0
    ) as nowhere:
        with pytest.raises(FlashcatError) as info:
            await nowhere.request("/member/list", {})
        texts.append(_failure_text(info.value))
    return texts


def test_async_client_never_leaks_the_key(wire: Wire, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    texts = asyncio.run(_async_scenarios(wire))
    _assert_clean(caplog, wire.app_key, texts)


def test_blocks_do_not_show_their_keys(wire: Wire) -> None:
    integration_key = wire.integration_key()
    credentials = FlashcatCredentials(app_key=wire.app_key, base_url=wire.url)
    integration = FlashcatIntegration(integration_key=integration_key, base_url=wire.url)
    for block, secret in ((credentials, wire.app_key), (integration, integration_key)):
        shown = [
            repr(block),
            str(block),
            block.model_dump_json(),
            repr(block.get_client()),
            repr(block.get_async_client()),
        ]
        assert all(secret not in text for text in shown)


@pytest.mark.parametrize("logger_name", ["flashcat_prefect.hooks", "flashcat_prefect.bridge"])
def test_our_other_loggers_mask_keys_too(
    logger_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    new_key = f"sentinel-app-{secrets.token_hex(8)}"
    FlashcatClient(new_key).close()  # building a client registers the key and the filters
    caplog.set_level(logging.INFO)
    logging.getLogger(logger_name).warning(
        "push to https://x.test/p?integration_key=%s failed: %s", "int-secret-1", new_key
    )
    (record,) = [r for r in caplog.records if r.name == logger_name]
    assert record.getMessage() == "push to https://x.test/p?integration_key=*** failed: ***"
