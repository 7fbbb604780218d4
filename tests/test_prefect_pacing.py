"""Account-wide pacing (``pacing="prefect"``): block settings, the Prefect rate limits it
creates and takes (sync and async), and what happens when the Prefect API goes away."""

from __future__ import annotations

import asyncio
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from prefect.blocks.core import Block
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import (
    GlobalConcurrencyLimitCreate,
    GlobalConcurrencyLimitUpdate,
)
from prefect.exceptions import ObjectNotFound
from prefect.settings import PREFECT_API_URL
from pydantic import ValidationError

from flashcat_prefect import FlashcatCredentials, FlashcatIntegration
from flashcat_prefect.client.prefect_pacing import (
    SLOTS_PER_REQUEST,
    account_fingerprint,
    limits_for_class,
)
from flashcat_prefect.emulator import FlashcatEmulator
from tests.test_bridge_durability import FlakyPrefectProxy
from tests.test_real_server import Background, clean_env

SECRET = "sk-do-not-show-0123456789"


# -- the block ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pacing", "global"),
        ("pacing", ""),
        ("when_prefect_unreachable", "burst"),
        ("requests_per_second", 0),
        ("requests_per_minute", -1),
    ],
)
def test_bad_pacing_settings_fail_when_the_block_is_built(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        FlashcatCredentials(app_key=SECRET, **{field: value})
    assert caught.value.errors()[0]["loc"] == (field,)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize("block_class", [FlashcatCredentials, FlashcatIntegration])
def test_unknown_block_field_is_refused_naming_it(block_class: type[Block]) -> None:
    key_field = "app_key" if block_class is FlashcatCredentials else "integration_key"
    with pytest.raises(ValidationError, match=r"unknown field.*pacnig") as caught:
        block_class(**{key_field: SECRET, "pacnig": "prefect"})
    assert SECRET not in str(caught.value)
    with pytest.raises(ValidationError, match="pacing"):
        block_class(**{key_field: SECRET, "pacing": "everywhere"})


def test_pacing_settings_survive_save_and_load() -> None:
    block = FlashcatCredentials(
        app_key=SECRET, pacing="prefect", when_prefect_unreachable="process", requests_per_second=20
    )
    block.save("pacing-round-trip", overwrite=True)
    for loaded in (
        FlashcatCredentials.load("pacing-round-trip"),
        Block.load("flashcat-credentials/pacing-round-trip"),
    ):
        assert isinstance(loaded, FlashcatCredentials)
        assert (loaded.pacing, loaded.when_prefect_unreachable, loaded.requests_per_second) == (
            "prefect",
            "process",
            20,
        )
    integration = FlashcatIntegration(integration_key=SECRET, pacing="prefect")
    integration.save("pacing-round-trip", overwrite=True)
    assert FlashcatIntegration.load("pacing-round-trip").pacing == "prefect"


def test_limits_keep_every_window_within_the_budget() -> None:
    """A bucket lets a window of T seconds see its burst plus T seconds of refill, minus one."""
    for budget_per_second, budget_per_minute in ((50, 1000), (1, 10), (100, 1000)):
        from flashcat_prefect.api import RateLimit

        second, minute = limits_for_class(
            "fp", "account", "", RateLimit(budget_per_second, budget_per_minute)
        )
        for limit, window, budget in (
            (second, 1, budget_per_second),
            (minute, 60, budget_per_minute),
        ):
            assert limit.limit >= SLOTS_PER_REQUEST
            most = (limit.limit + limit.slot_decay_per_second * window) / SLOTS_PER_REQUEST - 1
            assert most <= budget + 1e-6, (limit, most, budget)
            assert limit.slot_decay_per_second * window / SLOTS_PER_REQUEST >= budget / 2 - 1


# -- against the session's Prefect API ----------------------------------------------------


def read_limit(name: str) -> object | None:
    with get_client(sync_client=True) as client:
        try:
            return client.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            return None


def delete_limits(prefix: str) -> None:
    with get_client(sync_client=True) as client:
        for limit in client.read_global_concurrency_limits(limit=200):
            if limit.name.startswith(prefix):
                client.delete_global_concurrency_limit_by_name(limit.name)


@pytest.fixture
def paced(emulator: FlashcatEmulator) -> FlashcatCredentials:
    """Prefect-paced credentials for the emulator, with none of its limits on the server and a
    fresh pacer: slots left from an earlier test's grant (same account) are not spent here."""
    from flashcat_prefect.client import prefect_pacing

    fingerprint = account_fingerprint(emulator.url, emulator.app_key)
    delete_limits(f"flashcat-account-{fingerprint}")
    prefect_pacing._created.clear()
    prefect_pacing._pacers.clear()
    return emulator.credentials(pacing="prefect")


def test_first_call_creates_readable_limits_keyed_by_a_hash_of_the_key(
    emulator: FlashcatEmulator, paced: FlashcatCredentials
) -> None:
    with paced.get_client() as client:
        client.request("/member/list", {"limit": 5})
        client.request(
            "/insight/incident/export",
            {"start_time": emulator.state.now - 3600, "end_time": emulator.state.now},
        )
    fingerprint = account_fingerprint(emulator.url, emulator.app_key)
    with get_client(sync_client=True) as prefect:
        ours = {
            limit.name: limit
            for limit in prefect.read_global_concurrency_limits(limit=200)
            if fingerprint in limit.name
        }
    assert sorted(ours) == [
        f"flashcat-account-{fingerprint}-{suffix}"
        for suffix in ("export-per-minute", "export-per-second", "per-minute", "per-second")
    ]
    assert all(emulator.app_key not in name for name in ours)
    second = ours[f"flashcat-account-{fingerprint}-per-second"]
    minute = ours[f"flashcat-account-{fingerprint}-per-minute"]
    export_minute = ours[f"flashcat-account-{fingerprint}-export-per-minute"]
    assert (second.limit, second.slot_decay_per_second) == (4 * SLOTS_PER_REQUEST, 44_000)
    assert (minute.limit, round(minute.slot_decay_per_second)) == (500 * SLOTS_PER_REQUEST, 8333)
    assert (export_minute.limit, round(export_minute.slot_decay_per_second)) == (
        5 * SLOTS_PER_REQUEST,
        100,
    )


NO_REFILL = 0.001
"""Slot decay of a tuned limit that refills one request's slots in about 12 days."""


def tune_limit(emulator: FlashcatEmulator, suffix: str) -> str:
    """Create the account's limit ``suffix`` as an operator would (``prefect gcl create``):
    room for two requests, and no refill while the test runs."""
    name = f"flashcat-account-{account_fingerprint(emulator.url, emulator.app_key)}-{suffix}"
    with get_client(sync_client=True) as prefect:
        prefect.create_global_concurrency_limit(
            GlobalConcurrencyLimitCreate(
                name=name, limit=2 * SLOTS_PER_REQUEST, slot_decay_per_second=NO_REFILL
            )
        )
    return name


def check_the_tuned_limit_paces(
    emulator: FlashcatEmulator, name: str, send_one: Callable[[], object]
) -> None:
    """Two calls fill the tuned limit; a third goes only after Prefect grants its slot.

    Read back from the Prefect server, not timed: the slots taken, and when the limit last
    changed against when the emulator answered the call.
    """
    send_one()
    send_one()
    full = read_limit(name)
    # Kept as tuned (not overwritten by the default of 6 requests), and each call took one
    # request's slots of it (the pacer's grants of 3 requests do not fit, so it asks for 1).
    assert (full.limit, full.slot_decay_per_second, full.active_slots) == (
        2 * SLOTS_PER_REQUEST,
        NO_REFILL,
        2 * SLOTS_PER_REQUEST,
    )
    with get_client(sync_client=True) as prefect:  # now 4 requests a second get through
        prefect.update_global_concurrency_limit(
            name, GlobalConcurrencyLimitUpdate(slot_decay_per_second=4 * SLOTS_PER_REQUEST)
        )
    opened = read_limit(name).updated
    send_one()
    granted = read_limit(name).updated
    third = emulator.request_log.for_path("/member/list")[-1]
    assert granted > opened, "Prefect granted (changed the limit) after the operator's update"
    assert third.time >= granted.timestamp(), "the call was sent only after its grant"
    assert emulator.request_log.count("/member/list") == 3


def test_a_limit_tuned_on_the_server_is_kept_and_paces_sync_calls(
    emulator: FlashcatEmulator, paced: FlashcatCredentials
) -> None:
    """An operator gave this app 2 requests per second of the account (``prefect gcl``)."""
    name = tune_limit(emulator, "per-second")
    with paced.get_client() as client:
        check_the_tuned_limit_paces(
            emulator, name, lambda: client.request("/member/list", {"limit": 1})
        )


def test_async_calls_take_their_slots_through_prefect_too(
    emulator: FlashcatEmulator, paced: FlashcatCredentials
) -> None:
    name = tune_limit(emulator, "per-minute")

    async def one_call() -> None:
        async with paced.get_async_client() as client:
            await client.request("/member/list", {"limit": 1})

    check_the_tuned_limit_paces(emulator, name, lambda: asyncio.run(one_call()))


def test_process_pacing_never_touches_prefect(emulator: FlashcatEmulator) -> None:
    fingerprint = account_fingerprint(emulator.url, emulator.app_key)
    delete_limits(f"flashcat-account-{fingerprint}")
    with emulator.credentials().get_client() as client:
        client.request("/member/list", {"limit": 1})
    assert read_limit(f"flashcat-account-{fingerprint}-per-second") is None


# -- the Prefect API going away mid-run (a real server subprocess) --------------------------

CHILD = textwrap.dedent("""
    import logging, sys
    from flashcat_prefect import FlashcatCredentials
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    url, key, mode = sys.argv[1:4]
    block = FlashcatCredentials(app_key=key, base_url=url, pacing="prefect",
                                when_prefect_unreachable=mode, requests_per_second=5)
    with block.get_client() as client:
        for number in range(40):
            client.request("/member/list", {"limit": 1})
            print("sent", number + 1, flush=True)
    print("done", flush=True)
""")


def wait_for_line(log: Path, text: str, process: Background, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in log.read_text(errors="replace"):
        assert process.process.poll() is None, log.read_text(errors="replace")
        assert time.monotonic() < deadline, log.read_text(errors="replace")
        time.sleep(0.2)


def test_prefect_api_stopped_mid_run_fails_clearly_or_falls_back_as_the_block_says(
    emulator: FlashcatEmulator, tmp_path: Path
) -> None:
    # The children reach the session's Prefect API through a proxy that is really stopped
    # mid-run (connections refused), as a stopped server is; none of the account's limits
    # are there when they start.
    delete_limits(f"flashcat-account-{account_fingerprint(emulator.url, emulator.app_key)}")
    server = FlakyPrefectProxy(PREFECT_API_URL.value())
    server.up()
    api_url = server.url
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    children = {}
    for mode in ("fail", "process"):
        env = clean_env(tmp_path / "home", api_url, PREFECT_CLIENT_MAX_RETRIES="1")
        children[mode] = Background(
            [sys.executable, str(script), emulator.url, emulator.app_key, mode],
            env,
            tmp_path / f"{mode}.log",
            tmp_path,
        )
    try:
        for child in children.values():
            wait_for_line(child.log, "sent 3\n", child)
        server.down()  # mid-run
        for child in children.values():
            child.process.wait(timeout=240)
    finally:
        for child in children.values():
            child.stop()
        server.down()
    failed = children["fail"].log.read_text()
    assert children["fail"].process.returncode != 0
    assert "done" not in failed
    assert "FlashcatPacingError" in failed and "Start the Prefect server" in failed
    assert "when_prefect_unreachable='process'" in failed
    fell_back = children["process"].log.read_text()
    assert children["process"].process.returncode == 0, fell_back
    assert "sent 40" in fell_back and "pacing this process alone" in fell_back
    assert emulator.app_key not in failed + fell_back
    sent_by_fail_child = int(failed.rsplit("sent ", 1)[1].split()[0])
    assert emulator.request_log.count("/member/list") == 40 + sent_by_fail_child
