"""A write is sent once unless the server surely did not act on it.

Only 429, 503 and a failed connection say "not applied" (``client/errors.py``). After a 502
or a 504 a gateway may have passed the write on before giving up, so neither client nor
either task twin sends it again. The emulator's ``after_handler`` faults make that real:
the write is applied, then its answer fails, and the calendar shows whether it was applied
twice. A path the catalog does not know is treated as a write.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from prefect import flow

from flashcat_prefect.client import AsyncFlashcatClient, FlashcatClient
from flashcat_prefect.client.errors import InternalError, ServiceUnavailableError
from flashcat_prefect.emulator import FlashcatEmulator
from flashcat_prefect.emulator import seed as demo
from flashcat_prefect.tasks import aupsert_calendar_event, upsert_calendar_event

UPSERT = "/calendar/event/upsert"
LIST = "/calendar/event/list"
SUMMARY = "Written once"
EVENT = {
    "cal_id": demo.OPS_CALENDAR_ID,
    "summary": SUMMARY,
    "start_at": "2026-12-01",
    "end_at": "2026-12-02",
    "is_off": True,
}
GATEWAY_STATUSES = [502, 504]


def gateway_error(status: int, **options: Any) -> dict[str, Any]:
    """A gateway's 502 or 504 saying ``ServiceUnavailable``: the same class as a 503, so only
    the status tells them apart."""
    return {"kind": "http_error", "status": status, "code": "ServiceUnavailable", **options}


def copies_of_the_event(emulator: FlashcatEmulator) -> int:
    """How many times the test's event was written into the calendar."""
    with emulator.credentials().get_client() as client:
        items = client.request(LIST, {"cal_id": demo.OPS_CALENDAR_ID, "year": 2026})["items"]
    return sum(1 for item in items if item["summary"] == SUMMARY)


def lose_the_answer(emulator: FlashcatEmulator, path: str, status: int) -> None:
    """The next request to ``path`` runs, then its answer is replaced by ``status``."""
    emulator.faults.sequence(path, [gateway_error(status, after_handler=True)])


def upsert_with_client(emulator: FlashcatEmulator, mode: str, **settings: Any) -> Any:
    if mode == "sync":
        with FlashcatClient(emulator.app_key, base_url=emulator.url, **settings) as client:
            return client.calendars.upsert_event(**EVENT)

    async def send() -> Any:
        async with AsyncFlashcatClient(
            emulator.app_key, base_url=emulator.url, **settings
        ) as client:
            return await client.calendars.upsert_event(**EVENT)

    return asyncio.run(send())


# --- the emulator's after-handler faults -----------------------------------------------------


def lost_answer(answer: httpx.Response) -> str:
    """What the client got instead of the write's result."""
    try:
        envelope = answer.json()
    except ValueError:
        return f"{answer.status_code} not JSON"
    return f"{answer.status_code} {envelope['error']['code']}" if "error" in envelope else "ok"


@pytest.mark.parametrize(
    ("fault", "seen"),
    [
        ({"kind": "http_error", "status": 500}, "500 InternalError"),
        ({"kind": "malformed"}, "200 not JSON"),
        ({"kind": "error_in_200"}, "200 InternalError"),
        ({"kind": "drop"}, "connection dropped"),
    ],
    ids=["500", "malformed", "error-in-200", "drop"],
)
def test_after_handler_fault_applies_the_write_and_loses_the_answer(emulator, fault, seen):
    """Set through the control route, as a user of a served emulator would."""
    key = {"app_key": emulator.app_key}
    added = httpx.post(
        f"{emulator.url}/_emulator/faults/add",
        params=key,
        json={**fault, "path": UPSERT, "times": 1, "after_handler": True},
    )
    assert added.status_code == 200 and added.json()["data"]["after_handler"] is True
    try:
        got = lost_answer(httpx.post(f"{emulator.url}{UPSERT}", params=key, json=EVENT))
    except httpx.RemoteProtocolError:
        got = "connection dropped"
    assert got == seen
    assert copies_of_the_event(emulator) == 1, "the handler ran before the answer failed"
    assert emulator.request_log.count(UPSERT) == 1


def test_after_handler_is_refused_for_faults_that_cannot_follow_a_handler(emulator):
    answer = httpx.post(
        f"{emulator.url}/_emulator/faults/add",
        params={"app_key": emulator.app_key},
        json={"kind": "rate_limit", "path": UPSERT, "after_handler": True},
    )
    assert answer.status_code == 400
    assert "after_handler" in answer.json()["error"]["message"]


# --- both clients ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", GATEWAY_STATUSES)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_client_does_not_resend_a_write_after_a_gateway_error(emulator, mode, status):
    lose_the_answer(emulator, UPSERT, status)
    with pytest.raises(ServiceUnavailableError) as caught:
        upsert_with_client(emulator, mode, max_retries=3)
    assert caught.value.status == status and caught.value.retryable
    assert emulator.request_log.count(UPSERT) == 1
    assert copies_of_the_event(emulator) == 1


@pytest.mark.parametrize("status", GATEWAY_STATUSES)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_client_resends_a_read_after_a_gateway_error(emulator, mode, status):
    """The control: the same answer on a read is retried, so the write's single send is
    the write rule at work, not a client that never retries."""
    emulator.faults.sequence(LIST, [gateway_error(status)])
    body = {"cal_id": demo.OPS_CALENDAR_ID, "year": 2026}
    if mode == "sync":
        with FlashcatClient(emulator.app_key, base_url=emulator.url, max_retries=3) as client:
            assert client.request(LIST, body)["items"]
    else:

        async def read() -> Any:
            async with AsyncFlashcatClient(
                emulator.app_key, base_url=emulator.url, max_retries=3
            ) as client:
                return await client.request(LIST, body)

        assert asyncio.run(read())["items"]
    assert emulator.request_log.count(LIST) == 2


# --- both task twins -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", GATEWAY_STATUSES)
@pytest.mark.parametrize("twin", ["sync", "async"])
def test_write_task_is_not_resent_after_a_gateway_error(emulator, twin, status):
    """The client is told not to retry at all, so any second send would be Prefect's.

    The async twin must hold the same line; that it does not retry *reads* either until
    its retry condition awaits the state's result is another matter (tasks/_base.py).
    """
    credentials = emulator.credentials(max_retries=0)
    lose_the_answer(emulator, UPSERT, status)
    task = upsert_calendar_event if twin == "sync" else aupsert_calendar_event
    task = task.with_options(retry_delay_seconds=0, retry_jitter_factor=None)

    @flow
    def write_sync() -> Any:
        return task(credentials, **EVENT)

    @flow
    async def write_async() -> Any:
        return await task(credentials, **EVENT)

    with pytest.raises(ServiceUnavailableError, match=f"HTTP {status}"):
        write_sync() if twin == "sync" else asyncio.run(write_async())
    assert emulator.request_log.count(UPSERT) == 1
    assert copies_of_the_event(emulator) == 1


def test_write_task_is_resent_after_a_503(emulator):
    """The control for the task rule: a 503 means "not applied", so Prefect sends it again."""
    credentials = emulator.credentials(max_retries=0)
    emulator.faults.sequence(UPSERT, [{"kind": "http_error", "status": 503}])
    task = upsert_calendar_event.with_options(retry_delay_seconds=0, retry_jitter_factor=None)

    @flow
    def write() -> Any:
        return task(credentials, **EVENT)

    assert write().event_id
    assert emulator.request_log.count(UPSERT) == 2
    assert copies_of_the_event(emulator) == 1


# --- a path the catalog does not know ----------------------------------------------------------


class Gateway:
    """An httpx transport that answers every request with one status (the emulator answers
    RouteNotFound to a path it does not know before any fault could play)."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.paths: list[str] = []

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        return httpx.Response(
            self.status,
            json={
                "request_id": "r",
                "error": {"code": "InternalError", "message": "gateway says no"},
            },
        )

    async def aanswer(self, request: httpx.Request) -> httpx.Response:
        return self.answer(request)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_path_missing_from_the_catalog_is_treated_as_a_write(mode):
    gateway = Gateway(500)

    def send(path: str) -> None:
        if mode == "sync":
            with FlashcatClient(
                "sentinel-key",
                base_url="http://gateway.invalid",
                max_retries=2,
                transport=httpx.MockTransport(gateway.answer),
            ) as client:
                client.request(path, {})
            return

        async def asend() -> None:
            async with AsyncFlashcatClient(
                "sentinel-key",
                base_url="http://gateway.invalid",
                max_retries=2,
                transport=httpx.MockTransport(gateway.aanswer),
            ) as client:
                await client.request(path, {})

        asyncio.run(asend())

    for path in ("/member/list", "/not/in/the/catalog"):
        with pytest.raises(InternalError):
            send(path)
    # The known read is sent 1 + max_retries times; the unknown path once.
    assert gateway.paths.count("/member/list") == 3
    assert gateway.paths.count("/not/in/the/catalog") == 1
