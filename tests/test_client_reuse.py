"""Endpoint tasks borrow shared clients: one per block settings and process (sync) or event
loop (async), never shared across different keys or settings."""

from __future__ import annotations

import asyncio
import threading
from unittest.mock import patch

from prefect import flow

from flashcat_prefect import FlashcatCredentials
from flashcat_prefect.client.shared import shared_async_client, shared_client
from flashcat_prefect.emulator import FlashcatEmulator
from flashcat_prefect.tasks.members import alist_members, list_members


def test_same_settings_share_a_sync_client_across_threads(emulator: FlashcatEmulator) -> None:
    first = shared_client(emulator.credentials())
    seen: list[object] = []
    threads = [
        threading.Thread(target=lambda: seen.append(shared_client(emulator.credentials())))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(client is first for client in seen)
    assert first.members.list({"limit": 1}) is not None


def test_blocks_that_differ_get_different_clients(emulator: FlashcatEmulator) -> None:
    base = shared_client(emulator.credentials())
    assert shared_client(emulator.credentials(app_key="another-key")) is not base
    assert shared_client(emulator.credentials(timeout=7)) is not base
    assert shared_client(emulator.credentials(pacing="prefect")) is not base
    integration = emulator.integration(2001)
    assert shared_client(integration) is not base
    assert shared_client(integration) is shared_client(emulator.integration(2001))


def test_async_clients_belong_to_their_event_loop(emulator: FlashcatEmulator) -> None:
    credentials = emulator.credentials()

    async def borrow_twice_and_call() -> object:
        client = shared_async_client(credentials)
        assert shared_async_client(emulator.credentials()) is client
        await client.members.list({"limit": 1})
        return client

    first = asyncio.run(borrow_twice_and_call())
    second = asyncio.run(borrow_twice_and_call())  # the first loop is closed: a new client
    assert second is not first


def test_endpoint_tasks_reuse_one_client_in_a_flow(emulator: FlashcatEmulator) -> None:
    credentials = emulator.credentials(timeout=13)  # settings no other test uses

    @flow
    def three_calls() -> list[object]:
        return [list_members(credentials, {"limit": 1}) for _ in range(3)]

    @flow
    async def three_async_calls() -> list[object]:
        return [await alist_members(credentials, {"limit": 1}) for _ in range(3)]

    with (
        patch.object(
            FlashcatCredentials,
            "get_client",
            autospec=True,
            side_effect=FlashcatCredentials.get_client,
        ) as built,
        patch.object(
            FlashcatCredentials,
            "get_async_client",
            autospec=True,
            side_effect=FlashcatCredentials.get_async_client,
        ) as built_async,
    ):
        assert len(three_calls()) == 3
        assert len(asyncio.run(three_async_calls())) == 3
    assert (built.call_count, built_async.call_count) == (1, 1)
    assert emulator.request_log.count("/member/list") == 6
