"""FlashcatCredentials and FlashcatIntegration: settings, persistence, clients, event pushes."""

from __future__ import annotations

import asyncio
import typing

import pytest
from pydantic import ValidationError

from flashcat_prefect import (
    AsyncFlashcatClient,
    FlashcatClient,
    FlashcatCredentials,
    FlashcatIntegration,
)
from flashcat_prefect.client import ClientSettings, ConnectionSettings, FlashcatValidationError
from flashcat_prefect.client.settings import ClientSettingsArgs
from tests.loopback import Wire


def test_saved_block_loads_and_builds_working_clients(wire: Wire) -> None:
    FlashcatCredentials.register_type_and_schema()
    FlashcatCredentials(
        app_key=wire.app_key,
        base_url=wire.url,
        timeout=5,
        max_retries=1,
        requests_per_second=20,
        accept_language="zh-CN",
    ).save("test-flashcat-credentials", overwrite=True)
    loaded = FlashcatCredentials.load("test-flashcat-credentials")
    assert loaded.app_key.get_secret_value() == wire.app_key
    assert (loaded.base_url, loaded.timeout, loaded.max_retries, loaded.requests_per_second) == (
        wire.url,
        5,
        1,
        20,
    )
    client = loaded.get_client()
    assert isinstance(client, FlashcatClient)
    with client:
        assert len(client.request("/member/list", {"limit": 1})["items"]) == 1
    (seen,) = wire.requests_to("/member/list")
    assert seen.body == {"limit": 1} and seen.query == {"app_key": wire.app_key}
    assert seen.headers["accept-language"] == "zh-CN"

    async def use_async() -> object:
        async_client = loaded.get_async_client()
        assert isinstance(async_client, AsyncFlashcatClient)
        async with async_client:
            return await async_client.request("/member/list", {"limit": 2})

    assert len(asyncio.run(use_async())["items"]) == 2  # type: ignore[index]
    assert wire.requests_to("/member/list")[1].body == {"limit": 2}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("requests_per_second", 0),
        ("requests_per_minute", -5),
        ("timeout", 0),
        ("max_retries", -1),
    ],
)
def test_block_refuses_bad_settings_naming_the_field(field: str, value: float) -> None:
    with pytest.raises(ValidationError) as info:
        FlashcatCredentials(app_key="k" * 12, **{field: value})
    assert field in str(info.value)


def test_blocks_and_clients_take_their_settings_from_one_model() -> None:
    """A setting added to ClientSettings reaches both blocks' fields and the client keywords."""
    assert list(FlashcatCredentials.model_fields) == ["app_key", *ClientSettings.model_fields]
    assert list(FlashcatIntegration.model_fields) == [
        "integration_key",
        *ConnectionSettings.model_fields,
    ]
    keyword_types = typing.get_type_hints(ClientSettingsArgs)
    assert keyword_types == {
        name: field.annotation for name, field in ClientSettings.model_fields.items()
    }
    block = FlashcatCredentials(app_key="k" * 12, timeout=7, pacing="prefect")
    with block.get_client() as client:
        assert (client._core.timeout, client._core.pacer is not None) == (7.0, True)


@pytest.mark.parametrize("block_class", [FlashcatCredentials, FlashcatIntegration])
def test_blocks_refuse_a_base_url_that_is_not_http(block_class: type) -> None:
    key_field = next(iter(block_class.model_fields))
    with pytest.raises(ValidationError, match=r"base_url\n.*must be an http\(s\) URL"):
        block_class(**{key_field: "k" * 12, "base_url": "api.flashcat.cloud"})


def test_integration_pushes_alert_with_the_integration_key(wire: Wire) -> None:
    key = wire.integration_key()
    integration = FlashcatIntegration(integration_key=key, base_url=wire.url)
    assert (
        integration.push_alert(
            "Critical",
            "Disk full",
            alert_key="disk-1",
            labels={"host": "db-1"},
            images=[{"src": "https://x.test/a.png"}],
        )
        == "disk-1"
    )
    generated = integration.push_alert("Info", "No key given")
    assert generated and generated != "disk-1"  # the server made one up
    first, second = wire.requests_to("/event/push/alert/standard")
    assert first.query == {"integration_key": key}
    assert first.body == {
        "event_status": "Critical",
        "title_rule": "Disk full",
        "alert_key": "disk-1",
        "labels": {"host": "db-1"},
        "images": [{"src": "https://x.test/a.png"}],
    }
    assert second.body == {"event_status": "Info", "title_rule": "No key given"}


def test_integration_async_pushes(wire: Wire) -> None:
    integration = FlashcatIntegration(integration_key=wire.integration_key(), base_url=wire.url)

    async def push() -> str | None:
        await integration.apush_change("Done", "deploy-7", "Deploy v7", link="https://ci.test/7")
        return await integration.apush_alert("Ok", "Disk full", alert_key="disk-1")

    assert asyncio.run(push()) == "disk-1"
    (change,) = wire.requests_to("/event/push/change/standard")
    assert change.body == {
        "change_status": "Done",
        "change_key": "deploy-7",
        "title": "Deploy v7",
        "link": "https://ci.test/7",
    }


def test_bad_events_are_refused_before_sending(wire: Wire) -> None:
    integration = FlashcatIntegration(integration_key=wire.integration_key(), base_url=wire.url)
    with pytest.raises(FlashcatValidationError) as info:
        integration.push_alert("Broken", "title")  # type: ignore[arg-type]
    assert [field for field, _ in info.value.problems] == ["event_status"]
    with pytest.raises(FlashcatValidationError, match="labels"):
        integration.push_alert("Info", "too many labels", labels={f"k{i}": "v" for i in range(51)})
    with pytest.raises(FlashcatValidationError, match="change_status"):
        integration.push_change("Whenever", "k", "t")  # type: ignore[arg-type]
    assert wire.seen == []


def test_integration_client_refuses_app_key_endpoints(wire: Wire) -> None:
    integration = FlashcatIntegration(integration_key=wire.integration_key(), base_url=wire.url)
    with (
        integration.get_client() as client,
        pytest.raises(FlashcatValidationError, match="app_key"),
    ):
        client.members.list()
    credentials = FlashcatCredentials(app_key="k" * 12, base_url=wire.url)
    with (
        credentials.get_client() as client,
        pytest.raises(FlashcatValidationError, match="integration_key"),
    ):
        client.events.push_alert(event_status="Info", title_rule="x")
    assert wire.seen == []
