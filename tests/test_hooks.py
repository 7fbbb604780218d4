"""Flow state hooks against the emulator, with real flow runs under the session harness.

A failing flow opens one incident; a second failure merges into it; the next success
closes it. The hooks never raise into the flow and never leak the integration key.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

import pytest
from prefect import flow
from pydantic import SecretStr

from flashcat_prefect.hooks import RunFacts, alert_on_failure, resolve_on_recovery
from tests.loopback import free_port

CHANNEL_ID = 2001


@flow(name="hooked-etl")
def etl(fail: bool = False) -> str:
    if fail:
        raise RuntimeError("the warehouse load failed")
    return "loaded"


def hooked(integration: Any, **alert_options: Any):
    return etl.with_options(
        on_failure=[alert_on_failure(integration, **alert_options)],
        on_completion=[resolve_on_recovery(integration, alert_key=alert_options.get("alert_key"))],
    )


def flow_run_id(state: Any) -> str:
    return str(state.state_details.flow_run_id)


def incidents_titled(emulator: Any, title: str) -> list[Any]:
    now = emulator.state.clock()
    with emulator.credentials().get_client() as client:
        page = client.incidents.list(
            start_time=now - 3600, end_time=now + 3600, channel_ids=[CHANNEL_ID], query=title
        )
    return [item for item in page.items if item.title == title]


def alerts_keyed(emulator: Any, alert_key: str) -> list[Any]:
    now = emulator.state.clock()
    with emulator.credentials().get_client() as client:
        page = client.alerts.list(
            start_time=now - 3600, end_time=now + 3600, alert_keys=[alert_key]
        )
    return list(page.items)


def test_failure_opens_one_incident_repeats_merge_and_success_closes_it(emulator, integration):
    integration.save(f"hooks-{uuid.uuid4().hex[:8]}", overwrite=True)
    saved_name = integration._block_document_name
    watched = etl.with_options(
        on_failure=[alert_on_failure(saved_name)],  # loaded by name when the hook runs
        on_completion=[resolve_on_recovery(integration)],
    )
    title = "Prefect flow hooked-etl failed (Failed)"

    first = watched(fail=True, return_state=True)
    assert first.is_failed()
    (incident,) = incidents_titled(emulator, title)
    assert incident.progress == "Triggered"
    (alert,) = alerts_keyed(emulator, "prefect/flow/hooked-etl")
    assert alert.labels["flow"] == "hooked-etl"
    assert alert.labels["flow_run_id"] == flow_run_id(first)
    assert flow_run_id(first) in alert.labels["run_url"]
    assert alert.labels["state"] == "Failed"
    assert "the warehouse load failed" in alert.description

    second = watched(fail=True, return_state=True)
    assert second.is_failed()
    (merged,) = incidents_titled(emulator, title)
    assert merged.incident_id == incident.incident_id
    (same_alert,) = alerts_keyed(emulator, "prefect/flow/hooked-etl")
    assert same_alert.alert_id == alert.alert_id
    assert same_alert.event_cnt == 2

    recovered = watched(fail=False, return_state=True)
    assert recovered.is_completed()
    (closed,) = incidents_titled(emulator, title)
    assert closed.incident_id == incident.incident_id
    assert (closed.progress, closed.incident_status) == ("Closed", "Ok")
    (ok_alert,) = alerts_keyed(emulator, "prefect/flow/hooked-etl")
    assert ok_alert.alert_status == "Ok" and ok_alert.end_time


def test_custom_key_severity_title_and_labels(emulator, integration):
    watched = hooked(
        integration,
        severity="Warning",
        title="ETL {flow_name} is {state_name}",
        alert_key="etl/{flow_name}/nightly",
        labels={"team": "data"},
    )
    state = watched(fail=True, return_state=True)
    assert state.is_failed()
    (alert,) = alerts_keyed(emulator, "etl/hooked-etl/nightly")
    assert (alert.title, alert.alert_severity) == ("ETL hooked-etl is Failed", "Warning")
    assert alert.labels["team"] == "data"
    assert incidents_titled(emulator, "ETL hooked-etl is Failed")

    assert watched(fail=False, return_state=True).is_completed()
    (closed_alert,) = alerts_keyed(emulator, "etl/hooked-etl/nightly")
    assert closed_alert.alert_status == "Ok"


@pytest.mark.parametrize("reason", ["unreachable", "rejected key"])
def test_hooks_never_raise_into_the_flow_nor_leak_the_key(reason, emulator, integration, caplog):
    if reason == "unreachable":
        broken = integration.model_copy(
            update={"base_url": f"http://127.0.0.1:{free_port()}", "max_retries": 0}
        )
        secret = integration.integration_key.get_secret_value()
    else:
        secret = "sentinel" + uuid.uuid4().hex
        broken = integration.model_copy(update={"integration_key": SecretStr(secret)})
    watched = hooked(broken)

    with caplog.at_level(logging.DEBUG):
        failed = watched(fail=True, return_state=True)
        completed = watched(fail=False, return_state=True)

    assert failed.is_failed() and "the warehouse load failed" in failed.message
    assert completed.is_completed() and completed.result() == "loaded"
    warnings = [
        r.getMessage() for r in caplog.records if "could not push to Flashduty" in r.getMessage()
    ]
    assert any(w.startswith("alert_on_failure:") for w in warnings)
    assert any(w.startswith("resolve_on_recovery:") for w in warnings)
    assert all(secret not in record.getMessage() for record in caplog.records)
    assert all(secret not in (record.exc_text or "") for record in caplog.records)
    assert not incidents_titled(emulator, "Prefect flow hooked-etl failed (Failed)")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"severity": "High"}, "severity: must be one of Critical, Warning, Info"),
        ({"severity": "Ok"}, "severity: must be one of"),
        ({"title": "{flow} failed"}, "title: unknown placeholder {flow}"),
        ({"description": "{state_message"}, "description: not a valid template"),
        ({"alert_key": "{run_id}"}, "alert_key: unknown placeholder {run_id}"),
        ({"labels": {"": "x"}}, "labels: key ''"),
        ({"labels": {"team": 7}}, "labels['team']: value must be a string"),
        ({"labels": {f"k{i}": "v" for i in range(45)}}, "labels: at most 43 labels"),
    ],
)
def test_bad_hook_options_fail_at_definition(options, message, integration):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("{", r"\{")):
        alert_on_failure(integration, **options)


def test_integration_must_be_a_block_or_a_name():
    with pytest.raises(TypeError, match="integration: pass a FlashcatIntegration block"):
        alert_on_failure(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="integration:"):
        resolve_on_recovery(None)  # type: ignore[arg-type]


def test_default_alert_key_is_per_deployment_or_per_flow():
    facts = RunFacts("etl", "brave-fox", "id-1", "", "Failed", "", "")
    assert facts.default_alert_key() == "prefect/flow/etl"
    deployed = RunFacts("etl", "calm-owl", "id-2", "etl/nightly", "Failed", "", "")
    assert deployed.default_alert_key() == "prefect/deployment/etl/nightly"
    assert deployed.labels()["deployment"] == "etl/nightly"
    assert "deployment" not in facts.labels() and "run_url" not in facts.labels()


@flow(name="hooked-async-etl")
async def async_etl(fail: bool = False) -> str:
    if fail:
        raise RuntimeError("the async load failed")
    return "loaded"


def test_hooks_work_in_async_flows(emulator, integration):
    saved_name = f"hooks-async-{uuid.uuid4().hex[:8]}"
    integration.save(saved_name, overwrite=True)
    watched = async_etl.with_options(
        on_failure=[alert_on_failure(saved_name)], on_completion=[resolve_on_recovery(integration)]
    )
    assert asyncio.run(watched(fail=True, return_state=True)).is_failed()
    (alert,) = alerts_keyed(emulator, "prefect/flow/hooked-async-etl")
    assert alert.alert_status == "Critical"
    assert asyncio.run(watched(fail=False, return_state=True)).is_completed()
    (alert,) = alerts_keyed(emulator, "prefect/flow/hooked-async-etl")
    assert alert.alert_status == "Ok"


def test_runs_of_a_deployment_share_the_deployment_key(emulator, integration):
    from prefect.deployments import run_deployment
    from prefect.flow_engine import run_flow

    watched = hooked(integration)
    name = f"nightly-{uuid.uuid4().hex[:6]}"
    watched.to_deployment(name=name).apply()
    flow_run = run_deployment(
        f"hooked-etl/{name}", parameters={"fail": True}, timeout=0, as_subflow=False
    )
    state = run_flow(watched, flow_run=flow_run, parameters={"fail": True}, return_type="state")
    assert state.is_failed()
    (alert,) = alerts_keyed(emulator, f"prefect/deployment/hooked-etl/{name}")
    assert alert.labels["deployment"] == f"hooked-etl/{name}"
    assert alert.labels["flow_run_id"] == str(flow_run.id)
    assert not alerts_keyed(emulator, "prefect/flow/hooked-etl")
