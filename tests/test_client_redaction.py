"""The app key and integration key never show up in logs (DEBUG, httpx/httpcore included),
exception text, tracebacks, reprs or ``str()`` of clients, blocks and errors."""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from flashcat_prefect import (
    AsyncFlashcatClient,
    FlashcatClient,
    FlashcatCredentials,
    FlashcatIntegration,
)
from flashcat_prefect.api import get_endpoint
from flashcat_prefect.client import FlashcatError
from tests import fake_api
from tests.fake_api import CLIENT_TIMEOUT, LATE, FakeFlashduty, Reply, error_body, free_port

fake_server, fake, new_key = fake_api.fake_server, fake_api.fake, fake_api.new_key

INCIDENT_ID = "0123456789abcdef01234567"


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


def _sync_scenarios(fake: FakeFlashduty, key: str) -> list[str]:
    texts: list[str] = []
    client = FlashcatClient(key, base_url=fake.url, max_retries=1, timeout=CLIENT_TIMEOUT)
    texts += [repr(client), str(client)]
    with client:
        client.request("/echo", {"note": "ok"})
        fake.script(
            "/echo", Reply(429, error_body("RequestTooFrequently"), headers={"Retry-After": "0"})
        )
        client.request("/echo", {})  # a retry logs a warning
        fake.script(
            "/echo", Reply(400, error_body("InvalidParameter", f"bad app_key={key} and {key}"))
        )
        fake.script("/incident/ack", Reply(delay=LATE))
        failures: list[Callable[[], Any]] = [
            lambda: client.request("/echo", {}),
            lambda: client.call(get_endpoint("/incident/ack"), incident_ids=[INCIDENT_ID]),
            lambda: client.members.list(limit=1000, query=key),
        ]
        for failing in failures:
            with pytest.raises(FlashcatError) as info:
                failing()
            texts.append(_failure_text(info.value))
    with (
        FlashcatClient(f"{key}-wrong", base_url=fake.url) as wrong,
        pytest.raises(FlashcatError) as info,
    ):
        wrong.request("/echo", {})  # the server echoes the wrong key in its message
    texts.append(_failure_text(info.value))
    with (
        FlashcatClient(key, base_url=f"http://127.0.0.1:{free_port()}", max_retries=0) as nowhere,
        pytest.raises(FlashcatError) as info,
    ):
        nowhere.request("/echo", {})
    texts.append(_failure_text(info.value))
    return texts


def test_sync_client_never_leaks_the_key(
    fake: FakeFlashduty, new_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    texts = _sync_scenarios(fake, new_key)
    _assert_clean(caplog, new_key, texts)
    assert any("RequestTooFrequentlyError" in r.getMessage() for r in caplog.records)


async def _async_scenarios(fake: FakeFlashduty, key: str) -> list[str]:
    texts: list[str] = []
    async with AsyncFlashcatClient(
        key, base_url=fake.url, max_retries=1, timeout=CLIENT_TIMEOUT
    ) as client:
        texts.append(repr(client))
        await client.request("/echo", {"note": "ok"})
        fake.script("/echo", Reply(400, error_body("InvalidParameter", f"bad app_key={key}")))
        fake.script("/incident/ack", Reply(delay=LATE))
        failures: list[Callable[[], Coroutine[Any, Any, Any]]] = [
            lambda: client.request("/echo", {}),
            lambda: client.call(get_endpoint("/incident/ack"), incident_ids=[INCIDENT_ID]),
        ]
        for failing in failures:
            with pytest.raises(FlashcatError) as info:
                await failing()
            texts.append(_failure_text(info.value))
    async with AsyncFlashcatClient(
        key, base_url=f"http://127.0.0.1:{free_port()}", max_retries=0
    ) as nowhere:
        with pytest.raises(FlashcatError) as info:
            await nowhere.request("/echo", {})
        texts.append(_failure_text(info.value))
    return texts


def test_async_client_never_leaks_the_key(
    fake: FakeFlashduty, new_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    texts = asyncio.run(_async_scenarios(fake, new_key))
    _assert_clean(caplog, new_key, texts)


def test_blocks_do_not_show_their_keys(fake: FakeFlashduty, new_key: str) -> None:
    integration_key = fake.new_integration_key()
    credentials = FlashcatCredentials(app_key=new_key, base_url=fake.url)
    integration = FlashcatIntegration(integration_key=integration_key, base_url=fake.url)
    for block, secret in ((credentials, new_key), (integration, integration_key)):
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
    new_key: str, logger_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    FlashcatClient(new_key).close()  # building a client registers the key and the filters
    caplog.set_level(logging.INFO)
    logging.getLogger(logger_name).warning(
        "push to https://x.test/p?integration_key=%s failed: %s", "int-secret-1", new_key
    )
    (record,) = [r for r in caplog.records if r.name == logger_name]
    assert record.getMessage() == "push to https://x.test/p?integration_key=*** failed: ***"
