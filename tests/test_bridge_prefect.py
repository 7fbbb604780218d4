"""The webhook bridge over HTTP against the real Prefect API of the session test harness.

Webhooks go through the bridge's ASGI app (Starlette's TestClient, in process); the routed
work creates real flow runs of a real deployment and emits real Prefect events, which the
tests read back through the Prefect client.
"""

from __future__ import annotations

import asyncio
import copy
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
from prefect.client.schemas.objects import FlowRun
from prefect.client.schemas.sorting import FlowRunSort

from flashcat_prefect.bridge import Dispatcher, WebhookBridge, parse_routes
from flashcat_prefect.emulator.runner import BackgroundServer

WAIT_SECONDS = 60


@flow(name="bridge-remediate")
def remediate(
    incident_id: str, channel_id: int = 0, severity: str = "", failed_run: str = ""
) -> str:
    """The flow the routes start (created as flow runs; never executed in these tests)."""
    return incident_id


def incident_webhook(event_type: str = "i_new", **incident: Any) -> dict[str, Any]:
    """A Flashduty incident webhook body with a fresh event_id."""
    body = {
        "event_time": int(time.time() * 1000),
        "event_type": event_type,
        "event_id": uuid.uuid4().hex,
        "incident": {
            "incident_id": uuid.uuid4().hex[:24],
            "title": "checkout 5xx rate above 5%",
            "incident_severity": "Critical",
            "incident_status": "Critical",
            "progress": "Triggered",
            "channel_id": 2001,
            "channel_name": "Payments",
            "labels": {"service": "checkout"},
            "detail_url": "https://console.flashcat.cloud/incident/detail/x",
        },
    }
    body["incident"].update(incident)
    return body


def deployment_route(deployment: str, name: str = "remediate", **match: Any) -> dict[str, Any]:
    return {
        "name": name,
        "match": match,
        "deployment": {
            "name": deployment,
            "parameters": {
                "incident_id": "{{incident.incident_id}}",
                "channel_id": "{{incident.channel_id}}",
                "severity": "{{incident.incident_severity}}",
            },
            "tags": ["on-call"],
        },
    }


def flow_runs_of(deployment_id: uuid.UUID) -> list[FlowRun]:
    with get_client(sync_client=True) as client:
        return client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
            sort=FlowRunSort.EXPECTED_START_TIME_DESC,
            limit=50,
        )


@pytest.fixture
def deployment() -> tuple[uuid.UUID, str]:
    """A fresh deployment of ``remediate``: (id, 'flow/deployment' name)."""
    name = f"fix-{uuid.uuid4().hex[:8]}"
    deployment_id = remediate.to_deployment(name=name).apply()
    return deployment_id, f"{remediate.name}/{name}"


@pytest.fixture
def make_bridge(tmp_path) -> Iterator[Callable[..., WebhookBridge]]:
    """Bridges with a journal each in the test's folder (``journal=`` to share one)."""
    bridges: list[WebhookBridge] = []

    def make(routes: list[dict[str, Any]], **options: Any) -> WebhookBridge:
        options.setdefault("journal", tmp_path / f"journal-{len(bridges)}.sqlite3")
        bridge = WebhookBridge(parse_routes(routes), **options)
        bridges.append(bridge)
        return bridge

    yield make
    for bridge in bridges:
        bridge.close()


def call(bridge: WebhookBridge, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """One request to the bridge's ASGI app, in process."""

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=bridge.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bridge") as http:
            return await http.request(method, path, **kwargs)

    return asyncio.run(send())


def post(bridge: WebhookBridge, body: Any, **kwargs: Any) -> httpx.Response:
    if isinstance(body, bytes | str):
        return call(bridge, "POST", "/webhook", content=body, **kwargs)
    return call(bridge, "POST", "/webhook", json=body, **kwargs)


def test_webhook_delivered_twice_creates_one_flow_run(deployment, make_bridge):
    deployment_id, deployment_name = deployment
    bridge = make_bridge([deployment_route(deployment_name, event_types=["i_new"])])
    body = incident_webhook()

    first = post(bridge, body)
    second = post(bridge, copy.deepcopy(body))

    assert first.status_code == 200
    assert first.json() == {
        "status": "accepted",
        "event_id": body["event_id"],
        "routes": ["remediate"],
    }
    assert second.status_code == 200
    assert second.json()["status"] == "duplicate"
    assert bridge.wait_idle(WAIT_SECONDS)
    runs = flow_runs_of(deployment_id)
    assert len(runs) == 1
    assert runs[0].parameters == {
        "incident_id": body["incident"]["incident_id"],
        "channel_id": 2001,
        "severity": "Critical",
    }
    assert {"on-call", "flashduty"} <= set(runs[0].tags)
    outcome = bridge.dispatcher.outcomes[-1]
    assert (outcome.ok, outcome.detail) == (True, str(runs[0].id))

    # A restarted bridge has forgotten the event id; Prefect's idempotency key still holds.
    restarted = make_bridge([deployment_route(deployment_name, event_types=["i_new"])])
    assert post(restarted, body).json()["status"] == "accepted"
    assert restarted.wait_idle(WAIT_SECONDS)
    assert [run.id for run in flow_runs_of(deployment_id)] == [runs[0].id]


def test_each_matching_route_fires_and_others_do_not(deployment, make_bridge):
    deployment_id, deployment_name = deployment
    bridge = make_bridge(
        [
            deployment_route(deployment_name, name="critical", severities=["Critical"]),
            deployment_route(deployment_name, name="payments", channel_ids=[2001]),
            deployment_route(deployment_name, name="acks-only", event_types=["i_ack"]),
        ]
    )
    answer = post(bridge, incident_webhook()).json()
    assert answer["routes"] == ["critical", "payments"]
    ignored = post(bridge, incident_webhook(incident_severity="Info", channel_id=2002)).json()
    assert ignored["status"] == "ignored"
    assert bridge.wait_idle(WAIT_SECONDS)
    assert len(flow_runs_of(deployment_id)) == 2


def test_shared_secret_header(deployment, make_bridge):
    deployment_id, deployment_name = deployment
    bridge = make_bridge([deployment_route(deployment_name)], secret="s3cret-value")
    body = incident_webhook()

    missing = post(bridge, body)
    wrong = post(bridge, body, headers={"X-Flashcat-Secret": "nope"})
    right = post(bridge, body, headers={"X-Flashcat-Secret": "s3cret-value"})

    assert (missing.status_code, wrong.status_code, right.status_code) == (401, 401, 200)
    assert "X-Flashcat-Secret" in missing.json()["error"]
    assert right.json()["status"] == "accepted"  # refused requests did not mark the event as seen
    assert "s3cret-value" not in repr(bridge)
    assert bridge.wait_idle(WAIT_SECONDS)
    assert len(flow_runs_of(deployment_id)) == 1
    assert call(bridge, "GET", "/healthz").json()["counts"] == {"unauthorized": 2, "accepted": 1}
    with pytest.raises(ValueError, match="secret must not be empty"):
        WebhookBridge(parse_routes([]), secret="")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "body is not valid JSON"),
        ([1, 2], "body must be a JSON object"),
        (
            {"event_id": "a" * 32, "incident": {"incident_id": "b" * 24}},
            "event_type: field required",
        ),
        ({"event_type": "i_new", "event_id": "a" * 32}, "incident: field required"),
        ({**incident_webhook(), "event_type": "x_new"}, "event_type: must start with i_ or a_"),
        (incident_webhook(channel_id="not-a-number"), "incident.channel_id"),
        ({**incident_webhook(), "event_id": ""}, "event_id: field required"),
        (incident_webhook(incident_id=""), "incident.incident_id: field required"),
        ({**incident_webhook(), "event_type": "a_new"}, "alert: field required"),
    ],
)
def test_invalid_webhooks_are_refused_before_any_work(body, message, make_bridge):
    bridge = make_bridge([{"name": "everything", "event": {}}])
    answer = post(bridge, body)
    assert answer.status_code == 400
    assert message in answer.json()["error"]
    assert bridge.dispatcher.pending == 0 and not bridge.dispatcher.outcomes


def test_oversized_bodies_are_refused(make_bridge):
    from flashcat_prefect.bridge.app import MAX_BODY_BYTES

    bridge = make_bridge([{"name": "everything", "event": {}}])
    answer = post(bridge, incident_webhook(description="x" * MAX_BODY_BYTES))
    assert answer.status_code == 413
    assert bridge.dispatcher.pending == 0 and not bridge.dispatcher.outcomes


def test_answer_does_not_wait_for_the_work(make_bridge):
    release = threading.Event()
    started = threading.Event()

    async def slow_action(route, body, facts) -> str:
        started.set()
        while not release.is_set():  # the work is still running when the answer arrives
            await asyncio.sleep(0.01)
        return "done"

    bridge = make_bridge(
        [deployment_route("any/thing")],
        dispatcher=Dispatcher(actions={"deployment": slow_action}),
        max_pending=1,
    )
    first = post(bridge, incident_webhook())
    assert first.json()["status"] == "accepted"
    assert started.wait(WAIT_SECONDS)
    assert bridge.dispatcher.pending == 1

    busy_body = incident_webhook()
    busy = post(bridge, busy_body)
    assert busy.status_code == 503  # backlog full: refused and not remembered as seen

    release.set()
    assert bridge.wait_idle(WAIT_SECONDS)
    assert post(bridge, busy_body).json()["status"] == "accepted"
    assert bridge.wait_idle(WAIT_SECONDS)
    assert [outcome.detail for outcome in bridge.dispatcher.outcomes] == ["done", "done"]


def test_close_stops_running_work_and_the_next_start_replays_it(tmp_path, make_bridge):
    started = threading.Event()
    calls: list[str] = []

    async def endless_action(route, body, facts) -> str:
        started.set()
        await asyncio.Event().wait()  # never set: only cancellation ends it
        return "unreachable"

    async def working_action(route, body, facts) -> str:
        calls.append(facts.event_id)
        return "created"

    journal = tmp_path / "journal.sqlite3"
    bridge = make_bridge(
        [deployment_route("any/thing")],
        journal=journal,
        dispatcher=Dispatcher(actions={"deployment": endless_action}),
    )
    body = incident_webhook()
    assert post(bridge, body).json()["status"] == "accepted"
    assert started.wait(WAIT_SECONDS)

    bridge.close(drain_seconds=0.1)

    assert bridge.dispatcher.pending == 1 and list(bridge.dispatcher.outcomes) == []
    assert bridge.journal.counts() == {"pending": 1, "failed": 0}
    restarted = make_bridge(
        [deployment_route("any/thing")],
        journal=journal,
        dispatcher=Dispatcher(actions={"deployment": working_action}),
    )
    assert restarted.dispatcher.pending == 1
    restarted.start()
    assert restarted.wait_idle(WAIT_SECONDS)
    assert calls == [body["event_id"]]
    assert restarted.journal.counts() == {"pending": 0, "failed": 0}


def counting(calls: list[str]):
    """The real deployment action, counting its attempts."""
    from flashcat_prefect.bridge.dispatch import run_deployment_action

    async def action(route, body, facts):
        calls.append(route.name)
        return await run_deployment_action(route, body, facts)

    return action


def test_unknown_deployment_is_reported_not_retried(make_bridge):
    calls: list[str] = []
    bridge = make_bridge(
        [deployment_route("no-such-flow/no-such-deployment")],
        dispatcher=Dispatcher(actions={"deployment": counting(calls)}),
    )
    assert post(bridge, incident_webhook()).json()["status"] == "accepted"
    assert bridge.wait_idle(WAIT_SECONDS)
    (outcome,) = bridge.dispatcher.outcomes
    assert not outcome.ok
    assert "ObjectNotFound" in outcome.detail
    assert calls == ["remediate"]
    # Not lost either: kept in the journal as failed, with the error, and reported.
    ((event_id, route, error),) = bridge.journal.failed()
    assert (event_id, route) == (outcome.event_id, "remediate") and "ObjectNotFound" in error
    assert call(bridge, "GET", "/healthz").json()["failed"] == 1


def test_parameters_the_deployment_refuses_are_reported_not_retried(deployment, make_bridge):
    deployment_id, deployment_name = deployment
    route = deployment_route(deployment_name)
    route["deployment"]["parameters"]["channel_id"] = "{{incident.title}}"  # not an int
    calls: list[str] = []
    bridge = make_bridge([route], dispatcher=Dispatcher(actions={"deployment": counting(calls)}))
    assert post(bridge, incident_webhook()).json()["status"] == "accepted"
    assert bridge.wait_idle(WAIT_SECONDS)
    (outcome,) = bridge.dispatcher.outcomes
    assert not outcome.ok
    assert "channel_id" in outcome.detail
    assert calls == ["remediate"]
    assert flow_runs_of(deployment_id) == []


def test_transient_action_errors_are_retried(make_bridge):
    calls = []

    async def flaky(route, body, facts) -> str:
        calls.append(facts.event_id)
        if len(calls) == 1:
            raise httpx.ConnectError("Prefect API not reachable")
        return "created"

    bridge = make_bridge(
        [deployment_route("any/thing")], dispatcher=Dispatcher(actions={"deployment": flaky})
    )
    body = incident_webhook()
    assert post(bridge, body).json()["status"] == "accepted"
    assert bridge.wait_idle(WAIT_SECONDS)
    assert calls == [body["event_id"]] * 2
    (outcome,) = bridge.dispatcher.outcomes
    assert (outcome.ok, outcome.detail) == (True, "created")


def test_event_route_emits_a_prefect_event(make_bridge):
    from prefect.events.filters import EventFilter, EventResourceFilter

    bridge = make_bridge(
        [
            {
                "name": "to-automations",
                "match": {"event_types": ["i_ack"]},
                "event": {
                    "name": "flashduty.incident.{{event_type}}",
                    "resource": {"flashduty.service": "{{incident.labels.service}}"},
                },
            }
        ]
    )
    body = incident_webhook("i_ack", progress="Processing")
    assert post(bridge, body).json()["routes"] == ["to-automations"]
    assert bridge.wait_idle(WAIT_SECONDS)
    (outcome,) = bridge.dispatcher.outcomes
    assert outcome.ok, outcome.detail

    resource_id = f"flashduty.incident.{body['incident']['incident_id']}"
    deadline = time.monotonic() + WAIT_SECONDS
    events = []
    while not events and time.monotonic() < deadline:  # events reach the API asynchronously
        with get_client(sync_client=True) as client:
            page = client.read_events(
                EventFilter(resource=EventResourceFilter(id=[resource_id])), limit=10
            )
        events = page.events
        if not events:
            time.sleep(0.2)
    (event,) = events
    assert str(event.id) == outcome.detail
    assert event.event == "flashduty.incident.i_ack"
    assert event.resource["flashduty.service"] == "checkout"
    assert event.resource["flashduty.channel_id"] == "2001"
    assert event.payload["event_id"] == body["event_id"]


def test_emulator_incident_reaches_the_bridge_and_runs_the_deployment_once(
    emulator, deployment, make_bridge
):
    """End to end: emulator incident -> outbound webhook -> bridge -> one flow run, even when
    Flashduty's retry delivers the same event_id a second time."""
    deployment_id, deployment_name = deployment
    bridge = make_bridge(
        [deployment_route(deployment_name, event_types=["i_new"], channel_ids=[2001])]
    )
    with BackgroundServer(bridge.app) as server:
        target = f"{server.url}/webhook"
        emulator.add_webhook(target)
        try:
            with emulator.credentials().get_client() as client:
                created = client.incidents.create(
                    title="payment gateway timeouts", incident_severity="Critical", channel_id=2001
                )
            assert emulator.outbound.wait_idle(WAIT_SECONDS)
            (delivery,) = [
                d
                for d in emulator.outbound.deliveries
                if d.url == target and d.json()["incident"]["incident_id"] == created.incident_id
            ]
            assert (delivery.event_type, delivery.status) == ("i_new", 200)

            emulator.outbound.redeliver(delivery)  # same body, same event_id
            assert emulator.outbound.wait_idle(WAIT_SECONDS)
        finally:
            emulator.outbound.remove(target)
        assert bridge.wait_idle(WAIT_SECONDS)

    assert emulator.outbound.deliveries[-1].status == 200
    assert (bridge.counts["accepted"], bridge.counts["duplicate"]) == (1, 1)
    (run,) = flow_runs_of(deployment_id)
    assert run.parameters == {
        "incident_id": created.incident_id,
        "channel_id": 2001,
        "severity": "Critical",
    }


def test_the_whole_loop_runs_offline(emulator, integration, deployment, make_bridge):
    """A failing flow pages through its hook; the incident's webhook starts the remediation."""
    from flashcat_prefect.hooks import alert_on_failure
    from tests.test_hooks import etl

    deployment_id, deployment_name = deployment
    bridge = make_bridge(
        [
            {
                "name": "remediate-etl",
                "match": {
                    "event_types": ["i_new"],
                    "labels": {"source": "prefect", "flow": "hooked-etl"},
                },
                "deployment": {
                    "name": deployment_name,
                    "parameters": {
                        "incident_id": "{{incident.incident_id}}",
                        "failed_run": "{{incident.labels.flow_run_id}}",
                    },
                },
            }
        ]
    )
    with BackgroundServer(bridge.app) as server:
        target = f"{server.url}/webhook"
        emulator.add_webhook(target)
        try:
            failed = etl.with_options(on_failure=[alert_on_failure(integration)])(
                fail=True, return_state=True
            )
            assert emulator.outbound.wait_idle(WAIT_SECONDS)
        finally:
            emulator.outbound.remove(target)
        assert bridge.wait_idle(WAIT_SECONDS)

    assert failed.is_failed()
    (run,) = flow_runs_of(deployment_id)
    assert run.parameters["failed_run"] == str(failed.state_details.flow_run_id)
    delivered = [d.json() for d in emulator.outbound.deliveries if d.url == target]
    assert [body["event_type"] for body in delivered] == ["i_new", "a_new"]
    assert run.parameters["incident_id"] == delivered[0]["incident"]["incident_id"]
