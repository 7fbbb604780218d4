"""Status pages and webhook delivery history through the client against the emulator: every
write shows in the reads that follow it."""

from __future__ import annotations

import csv
import io

import pytest

from flashcat_prefect.client.errors import FlashcatAPIError
from flashcat_prefect.emulator.handlers import status_pages
from flashcat_prefect.emulator.handlers.status_pages import integration_id_for
from tests.test_bridge_outbound import WAIT_SECONDS, create_incident, receiver, webhooks_to

__all__ = ["receiver", "webhooks_to"]  # fixtures used below

PAGE = 7001


@pytest.fixture
def client(emulator):
    with emulator.credentials().get_client() as client:
        yield client


def test_change_lifecycle_with_its_timeline(client):
    pages = client.status_pages
    created = pages.create_change(
        page_id=PAGE,
        type="incident",
        title="API latency",
        status="investigating",
        updates=[
            {
                "description": "looking",
                "component_changes": [{"component_id": "api", "status": "degraded"}],
            }
        ],
    )
    change_id = created.change_id
    assert created.change_name == "API latency"
    change = pages.change_info(page_id=PAGE, change_id=change_id)
    assert (change.status, change.title) == ("investigating", "API latency")
    assert [c.component_id for c in change.affected_components] == ["api"]

    listed = pages.list_changes(page_id=PAGE, type="incident", status="investigating")
    assert [c.change_id for c in listed.items] == [change_id]
    assert pages.list_changes(page_id=PAGE + 1, type="incident", status="investigating").items == []

    update_id = pages.create_timeline(
        page_id=PAGE,
        change_id=change_id,
        status="resolved",
        description="fixed",
        at_seconds=change.start_at_seconds + 60,
        component_changes=[{"component_id": "api", "status": "operational"}],
    ).update_id
    change = pages.change_info(page_id=PAGE, change_id=change_id)
    assert change.status == "resolved" and change.close_at_seconds == change.start_at_seconds + 60
    assert [c.status for c in change.affected_components] == ["operational"]

    pages.update_change(page_id=PAGE, change_id=change_id, responders=[1, 2])
    pages.update_timeline(
        page_id=PAGE, change_id=change_id, update_id=update_id, description="rolled back"
    )
    change = pages.change_info(page_id=PAGE, change_id=change_id)
    assert change.title == "API latency", "a partial update leaves unnamed fields alone"
    assert change.responder_ids == [1, 2]
    assert change.updates[-1].description == "rolled back"

    pages.delete_timeline(page_id=PAGE, change_id=change_id, update_id=update_id)
    assert pages.change_info(page_id=PAGE, change_id=change_id).status == "investigating"
    pages.delete_change(page_id=PAGE, change_id=change_id)
    with pytest.raises(FlashcatAPIError, match="ResourceNotFound"):
        pages.change_info(page_id=PAGE, change_id=change_id)


def test_subscribers_import_list_and_export(client):
    pages = client.status_pages
    pages.import_subscribers(
        page_id=PAGE,
        method="email",
        subscribers=[
            {"recipient": "a@example.com"},
            {"recipient": "b@example.com", "component_ids": ["db"]},
            {"recipient": "c@example.com", "component_ids": ["api"]},
        ],
    )
    pages.import_subscribers(
        page_id=PAGE,
        method="email",
        subscribers=[{"recipient": "c@example.com", "component_ids": ["db"], "locale": "zh-CN"}],
    )
    first = pages.list_subscribers(page_id=PAGE, limit=2)
    assert (first.total, first.has_next_page, len(first.items)) == (3, True, 2)
    every = list(pages.iter_list_subscribers(page_id=PAGE))
    assert sorted(s.recipient for s in every) == ["a@example.com", "b@example.com", "c@example.com"]
    db = pages.list_subscribers(page_id=PAGE, component_ids="db")
    assert sorted(s.recipient for s in db.items) == [
        "a@example.com",
        "b@example.com",
        "c@example.com",
    ]
    api = pages.list_subscribers(page_id=PAGE, component_ids="api")
    assert [s.recipient for s in api.items] == ["a@example.com"], "c moved from api to db"

    rows = list(csv.DictReader(io.StringIO(pages.export_subscribers(page_id=PAGE))))
    assert {r["recipient"]: r["locale"] for r in rows}["c@example.com"] == "zh-CN"
    assert pages.list_subscribers(page_id=PAGE + 1).total == 0


def test_migration_jobs_run_and_cancel(client):
    pages = client.status_pages
    job_id = pages.migrate_structure(api_key="statuspage-key", source_page_id="abc").job_id
    job = pages.migration_status(job_id=job_id)
    assert (job.status, job.phase, job.source_page_id) == ("running", "structure", "abc")
    assert "statuspage-key" not in job.model_dump_json()
    pages.cancel_migration(job_id=job_id)
    assert pages.migration_status(job_id=job_id).status == "cancelled"
    with pytest.raises(FlashcatAPIError, match="already cancelled"):
        pages.cancel_migration(job_id=job_id)
    other = pages.migrate_email_subscribers(api_key="k", source_page_id="abc", target_page_id=PAGE)
    assert pages.migration_status(job_id=other.job_id).target_page_id == PAGE


def test_a_finished_migration_says_nothing_was_imported(client, monkeypatch):
    """The emulator never calls Atlassian Statuspage: a job that runs out its time reports
    completed with zero counts and a warning, not a silent success."""
    monkeypatch.setattr(status_pages, "MIGRATION_SECONDS", 0)
    pages = client.status_pages
    job_id = pages.migrate_email_subscribers(
        api_key="k", source_page_id="abc", target_page_id=PAGE
    ).job_id
    job = pages.migration_status(job_id=job_id)
    assert job.status == "completed" and job.progress.subscribers_imported == 0
    assert job.progress.warnings == [status_pages.NOTHING_FETCHED]
    assert pages.list_subscribers(page_id=PAGE).total == 0


def test_webhook_history_lists_the_deliveries_made(emulator, client, receiver, webhooks_to):
    _, url = receiver
    webhooks_to(url)
    incident_id = create_incident(emulator, "history check")
    assert emulator.outbound.wait_idle(WAIT_SECONDS)
    now_ms = emulator.state.clock() * 1000
    history = client.webhook_history.list(
        start_time=now_ms - 3_600_000, end_time=now_ms + 60_000, limit=100, ref_id=incident_id
    )
    (delivery,) = [d for d in history.items if d.event_type == "i_new"]
    assert (delivery.status, delivery.status_code, delivery.endpoint) == ("success", 200, url)
    assert delivery.integration_id == integration_id_for(url)
    detail = client.webhook_history.detail(
        integration_id=delivery.integration_id, event_id=delivery.event_id
    )
    assert detail.ref_id == incident_id and incident_id in detail.request_body
    failed = client.webhook_history.list(
        start_time=now_ms - 3_600_000, end_time=now_ms + 60_000, limit=100, status="failed"
    )
    assert failed.items == []
