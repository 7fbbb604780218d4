"""The emulator's outbound webhooks: body shape, custom headers, one retry on network errors
only, and delivery in the background (the emulator's API answer does not wait for it)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from flashcat_prefect.emulator.outbound import OutboundWebhooks
from flashcat_prefect.emulator.runner import BackgroundServer
from tests.loopback import free_port

WAIT_SECONDS = 60


class Receiver:
    """A loopback endpoint that records deliveries; it can hold answers until released."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.requests: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.arrived = threading.Event()
        """Set when a delivery reached the receiver, before it is held."""
        self.open = threading.Event()
        self.open.set()
        self.app = Starlette(routes=[Route("/hook", self._receive, methods=["POST"])])

    async def _receive(self, request: Request) -> JSONResponse:
        import anyio

        self.arrived.set()
        await anyio.to_thread.run_sync(self.open.wait, WAIT_SECONDS)
        self.requests.append((dict(request.headers), await request.json()))
        return JSONResponse({"ok": True}, status_code=self.status)


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    receiver = Receiver()
    with BackgroundServer(receiver.app) as server:
        yield receiver, f"{server.url}/hook"


@pytest.fixture
def webhooks_to(emulator) -> Iterator[Any]:
    """Add webhook URLs to the shared emulator for one test only."""
    added: list[str] = []

    def add(url: str, headers: dict[str, str] | None = None) -> None:
        emulator.add_webhook(url, headers)
        added.append(url)

    yield add
    emulator.outbound.wait_idle(WAIT_SECONDS)
    for url in added:
        emulator.outbound.remove(url)


def create_incident(emulator: Any, title: str) -> str:
    with emulator.credentials().get_client() as client:
        return client.incidents.create(
            title=title, incident_severity="Warning", channel_id=2001
        ).incident_id


def test_incident_webhook_body_and_custom_headers(emulator, receiver, webhooks_to):
    recorder, url = receiver
    webhooks_to(url, {"X-Flashcat-Secret": "hush"})
    incident_id = create_incident(emulator, "queue backlog growing")
    assert emulator.outbound.wait_idle(WAIT_SECONDS)

    ((headers, body),) = recorder.requests
    assert headers["x-flashcat-secret"] == "hush"
    assert headers["content-type"] == "application/json"
    assert set(body) == {"event_time", "event_type", "event_id", "person", "incident"}
    assert body["event_type"] == "i_new"
    assert re.fullmatch(r"[0-9a-f]{32}", body["event_id"])
    assert body["event_time"] // 1000 == pytest.approx(
        emulator.state.clock(), abs=120
    )  # milliseconds
    assert body["incident"]["incident_id"] == incident_id
    assert body["incident"]["title"] == "queue backlog growing"
    assert body["person"] == body["incident"]["creator"]  # a manual incident names its creator
    (delivery,) = [d for d in emulator.outbound.deliveries if d.event_id == body["event_id"]]
    assert (delivery.status, delivery.attempts, delivery.json()) == (200, 1, body)


def test_alert_pushes_send_alert_and_incident_webhooks(
    emulator, integration, receiver, webhooks_to
):
    recorder, url = receiver
    webhooks_to(url)
    integration.push_alert("Critical", "replica lag", alert_key="db-2-lag")
    integration.push_alert("Ok", "replica lag", alert_key="db-2-lag")
    assert emulator.outbound.wait_idle(WAIT_SECONDS)

    kinds = [body["event_type"] for _, body in recorder.requests]
    assert kinds == ["i_new", "a_new", "a_close", "i_rslv"]
    alert_bodies = [body for _, body in recorder.requests if body["event_type"].startswith("a_")]
    assert all("alert" in body and "incident" not in body for body in alert_bodies)
    assert all("person" not in body for _, body in recorder.requests)  # no human acted
    assert {body["alert"]["alert_key"] for body in alert_bodies} == {"db-2-lag"}
    assert alert_bodies[-1]["alert"]["alert_status"] == "Ok"
    assert len({body["event_id"] for _, body in recorder.requests}) == 4


def test_human_actions_carry_the_acting_person(emulator, receiver, webhooks_to):
    from flashcat_prefect.emulator.seed import OWNER_PERSON_ID

    recorder, url = receiver
    webhooks_to(url)
    incident_id = create_incident(emulator, "cache hit ratio dropped")
    with emulator.credentials().get_client() as client:
        client.incidents.ack(incident_ids=[incident_id])
        client.incidents.do_custom_action(incident_id=incident_id, integration_id=1)
    assert emulator.outbound.wait_idle(WAIT_SECONDS)

    by_type = {body["event_type"]: body for _, body in recorder.requests}
    assert list(by_type) == ["i_new", "i_ack", "i_custom"]
    assert {body["person"]["person_id"] for body in by_type.values()} == {OWNER_PERSON_ID}
    assert by_type["i_custom"]["person"]["email"].endswith("@example.com")


def test_the_api_answer_does_not_wait_for_delivery(emulator, receiver, webhooks_to):
    recorder, url = receiver
    webhooks_to(url)
    recorder.open.clear()  # the receiver holds every delivery
    try:
        create_incident(emulator, "answered before delivery")
        # The API has answered while the delivery has reached the receiver and is held
        # there: a delivery made inside the request would have ended (timed out) already.
        assert recorder.arrived.wait(WAIT_SECONDS)
        assert not emulator.outbound.wait_idle(0), "the delivery is still under way"
        assert recorder.requests == []
        assert not [d for d in emulator.outbound.deliveries if d.url == url], "none ended yet"
    finally:
        recorder.open.set()
    assert emulator.outbound.wait_idle(WAIT_SECONDS)
    assert len(recorder.requests) == 1


def test_network_errors_are_retried_once_http_errors_never():
    refusing = f"http://127.0.0.1:{free_port()}/hook"  # nothing listens there
    failing = Receiver(status=500)
    with BackgroundServer(failing.app) as server:
        url = server.url
        outbound = OutboundWebhooks([refusing, f"{url}/hook"])
        outbound("i_new", {"incident_id": "a" * 24, "title": "t"})
        assert outbound.wait_idle(WAIT_SECONDS)
    outbound.close()
    by_url = {delivery.url: delivery for delivery in outbound.deliveries}
    refused = by_url[refusing]
    assert (refused.status, refused.attempts) == (None, 2)
    assert "ConnectError" in refused.error
    answered = by_url[f"{url}/hook"]
    assert (answered.status, answered.attempts) == (500, 1)
    assert len(failing.requests) == 1


def test_targets_must_be_http_urls():
    with pytest.raises(ValueError, match="url: must start with http:// or https://"):
        OutboundWebhooks(["ftp://example.invalid/hook"])
