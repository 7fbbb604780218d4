"""Real endpoint tasks inside real flows against the emulator: at least one per API area.

The seeded demo account (``flashcat_prefect.emulator.seed``) supplies the ids; the rest of
each body is the endpoint's minimal valid request. Answers are checked for their model type
and, where the emulator keeps state, for the effect of a write read back by another task.
"""

from __future__ import annotations

import asyncio
import csv
import io
import warnings
from typing import Any

import pytest
from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner

from flashcat_prefect.api import CATALOG, Endpoint, get_endpoint
from flashcat_prefect.api.samples import minimal_request
from flashcat_prefect.client.errors import FlashcatAPIError, FlashcatValidationError
from flashcat_prefect.emulator import seed
from flashcat_prefect.tasks import (
    ack_incidents,
    aget_channel,
    aget_incident,
    alist_incidents,
    apush_alert_event,
    export_team_insight,
    get_channel,
    get_incident,
    get_persons,
    list_calendar_events,
    list_incident_views,
    list_incidents,
    push_alert_event,
    upsert_calendar_event,
)

DAY = 86_400

# One endpoint per area, chosen to work on the seeded account with seed ids filled in.
REPRESENTATIVES: dict[str, str] = {
    "alert_events": "/alert-event/list",
    "alert_pipelines": "/alert/pipeline/info",
    "alert_views": "/alert/card-view/list",
    "alerts": "/alert/list",
    "calendars": "/calendar/list",
    "changes": "/change/list",
    "channels": "/channel/list",
    "comment_types": "/incident/comment-type/list",
    "drop_rules": "/channel/unsubscribe/rule/list",
    "enrichment": "/enrichment/info",
    "escalation_rules": "/channel/escalate/rule/list",
    "events": "/event/push/change/standard",
    "fields": "/field/list",
    "incident_views": "/incident/card-view/list",
    "incidents": "/incident/list",
    "inhibit_rules": "/channel/inhibit/rule/list",
    "insight_metrics": "/insight/incident/metrics/account",
    "insights": "/insight/account",
    "licenses": "/oncall/license/list",
    "mappings": "/enrichment/mapping/schema/list",
    "members": "/member/list",
    "notification_rules": "/channel/notify/rule/list",
    "persons": "/person/infos",
    "post_mortems": "/incident/post-mortem/info",
    "preferences": "/preference/info",
    "reports": "/report/oncall/incidents",
    "routes": "/route/info",
    "schedules": "/schedule/info",
    "silence_rules": "/channel/silence/rule/list",
    "status_pages": "/status-page/change/list",
    "subscription_rules": "/channel/subscribe/rule/list",
    "teams": "/team/infos",
    "templates": "/template/info",
    "war_rooms": "/incident/war-room/default-observers",
    "webhook_history": "/webhook/history/list",
    "work_items": "/incident/work-item/list",
}


def seed_ids(now: int) -> dict[str, Any]:
    """Values for the fields a minimal request cannot invent: ids that exist, recent times."""
    channel = seed.DEFAULT_CHANNEL_ID
    return {
        "channel_id": channel,
        "channel_ids": [channel],
        "integration_id": seed.INTEGRATION_IDS[channel],
        "team_id": seed.TEAM_IDS[0],
        "team_ids": [seed.TEAM_IDS[0]],
        "person_id": seed.OWNER_PERSON_ID,
        "person_ids": [seed.OWNER_PERSON_ID],
        "member_id": seed.OWNER_PERSON_ID,
        "schedule_id": seed.SCHEDULE_IDS[0],
        "cal_id": seed.OPS_CALENDAR_ID,
        "template_id": seed.TEMPLATE_ID,
        "post_mortem_id": seed.POST_MORTEM_ID,
        "start_time": now - 7 * DAY,
        "end_time": now,
    }


def request_for(endpoint: Endpoint, now: int) -> dict[str, Any]:
    required = {
        info.alias or name
        for name, info in endpoint.request_model.model_fields.items()
        if info.is_required()
    }
    ids = {k: v for k, v in seed_ids(now).items() if k in required}
    body = minimal_request(endpoint, ids, now=now)
    try:
        endpoint.request_model.model_validate(body)
    except ValueError:  # a seed value in other units (webhook history takes milliseconds)
        body = minimal_request(endpoint, now=now)
    return body


def load_task(endpoint: Endpoint, asynchronous: bool = False) -> Any:
    import importlib

    dotted = endpoint.atask if asynchronous else endpoint.task
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def expected_type(endpoint: Endpoint) -> tuple[type, ...]:
    if endpoint.response_format == "csv":
        return (str,)
    if not endpoint.response_model.model_fields:  # empty answers may come back as None
        return (endpoint.response_model, type(None))
    return (endpoint.response_model,)


def test_representatives_cover_every_area():
    http_areas = {e.area for e in CATALOG if e.is_http}
    assert set(REPRESENTATIVES) == http_areas
    for area, path in REPRESENTATIVES.items():
        assert get_endpoint(path).area == area


def test_one_task_per_area_in_a_flow(emulator, credentials, integration):
    now = emulator.state.now
    plan = [
        (endpoint, request_for(endpoint, now))
        for endpoint in map(get_endpoint, REPRESENTATIVES.values())
    ]

    def block_for(endpoint: Endpoint) -> Any:
        return integration if endpoint.auth == "integration_key" else credentials

    @flow(task_runner=ThreadPoolTaskRunner(max_workers=8))
    def every_area() -> list[Any]:
        with warnings.catch_warnings():  # legacy areas warn (see test_legacy_task_warns)
            warnings.simplefilter("ignore", DeprecationWarning)
            futures = [load_task(e).submit(block_for(e), body) for e, body in plan]
            return [future.result() for future in futures]

    results = every_area()
    wrong = [
        f"{endpoint.path}: {type(result).__name__}"
        for (endpoint, _), result in zip(plan, results, strict=True)
        if not isinstance(result, expected_type(endpoint))
    ]
    assert not wrong
    for endpoint, _ in plan:  # every representative really reached the emulator, once
        assert emulator.request_log.count(endpoint.path) == 1, endpoint.path


def test_list_ack_and_read_back(emulator, credentials):
    now = emulator.state.now

    @flow
    def acknowledge_first_open() -> tuple[Any, Any, Any]:
        page = list_incidents(
            credentials, start_time=now - 7 * DAY, end_time=now, progress="Triggered", limit=5
        )
        target = page.items[0].incident_id
        ack_incidents(credentials, {"incident_ids": [target]})
        return page, target, get_incident(credentials, incident_id=target)

    page, target, detail = acknowledge_first_open()
    assert page.items and all(item.progress == "Triggered" for item in page.items)
    assert detail.incident_id == target
    assert detail.progress == "Processing"


def test_calendar_event_upsert_is_listed(emulator, credentials):
    cal_id = seed.HOLIDAY_CALENDAR_ID

    @flow
    def add_holiday() -> Any:
        upsert_calendar_event(
            credentials,
            cal_id=cal_id,
            summary="Founders Day",
            start_at="2026-12-24",
            end_at="2026-12-25",
            is_off=True,
        )
        return list_calendar_events(credentials, cal_id=cal_id, year=2026)

    events = add_holiday()
    summaries = {item.summary for item in events.items}
    assert "Founders Day" in summaries


def test_event_push_with_integration_block(emulator, integration):
    @flow
    def raise_alert() -> Any:
        return push_alert_event(
            integration,
            event_status="Critical",
            title_rule="disk full on db1",
            alert_key="db1-disk",
        )

    answer = raise_alert()
    assert answer.alert_key == "db1-disk"
    assert emulator.request_log.count("/event/push/alert/standard") == 1


def test_directory_reads_match_the_seed(emulator, credentials):
    @flow
    def read_directory() -> tuple[Any, Any]:
        return (
            get_channel(credentials, channel_id=seed.DEFAULT_CHANNEL_ID),
            get_persons(credentials, person_ids=[seed.OWNER_PERSON_ID]),
        )

    channel, persons = read_directory()
    assert channel.channel_name == seed.CHANNEL_NAMES[seed.DEFAULT_CHANNEL_ID]
    assert [p.person_name for p in persons.items] == [seed.PERSON_NAMES[seed.OWNER_PERSON_ID]]


def test_csv_export_returns_text(emulator, credentials):
    now = emulator.state.now

    @flow
    def export() -> str:
        return export_team_insight(credentials, start_time=now - 7 * DAY, end_time=now)

    text = export()
    assert isinstance(text, str)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {int(row["team_id"]) for row in rows} <= set(seed.TEAM_IDS)
    assert rows and all(row["team_name"] == seed.TEAM_NAMES[int(row["team_id"])] for row in rows)


def test_bad_input_fails_before_any_request(emulator, credentials):
    @flow
    def typo() -> Any:
        return get_channel(credentials, chanel_id=seed.DEFAULT_CHANNEL_ID)

    with pytest.raises(FlashcatValidationError, match="chanel_id"):
        typo()
    assert emulator.request_log.count("/channel/info") == 0


def test_api_errors_are_not_retried_by_prefect(emulator, credentials):
    @flow
    def missing() -> Any:
        return get_channel(credentials, channel_id=999_999)

    with pytest.raises(FlashcatAPIError) as info:
        missing()
    assert info.value.code == "ResourceNotFound"
    assert emulator.request_log.count("/channel/info") == 1  # not retried


def test_legacy_task_warns(emulator, credentials):
    @flow
    def old_views() -> Any:
        return list_incident_views(credentials)

    with pytest.warns(DeprecationWarning, match="/incident/card-view/list"):
        old_views()


def test_async_twins_in_an_async_flow(emulator, credentials, integration):
    now = emulator.state.now

    @flow
    async def concurrent_reads() -> tuple[Any, ...]:
        page, channel, pushed = await asyncio.gather(
            alist_incidents(credentials, start_time=now - DAY, end_time=now, limit=3),
            aget_channel(credentials, channel_id=seed.DEFAULT_CHANNEL_ID),
            apush_alert_event(integration, event_status="Warning", title_rule="slow api"),
        )
        detail = await aget_incident(credentials, incident_id=page.items[0].incident_id)
        return page, channel, pushed, detail

    page, channel, pushed, detail = asyncio.run(concurrent_reads())
    assert len(page.items) == 3
    assert channel.channel_id == seed.DEFAULT_CHANNEL_ID
    assert pushed.alert_key  # generated by the server when absent
    assert detail.incident_id == page.items[0].incident_id


# --- the generated client namespaces ---------------------------------------------------------


def test_namespace_iterator_walks_every_page(emulator, credentials):
    now = emulator.state.now
    with credentials.get_client() as client:
        iterator = client.incidents.iter_list(start_time=now - DAY, end_time=now, limit=20)
        items = [item for _, item in zip(range(70), iterator, strict=False)]
    assert len(items) == 70
    assert all(type(item) is get_endpoint("/incident/list").item_model for item in items)
    assert len({item.incident_id for item in items}) == 70  # no page read twice
    assert emulator.request_log.count("/incident/list") == 4  # 20 + 20 + 20 + 10 of a 4th


def test_async_namespace_iterator_and_method(emulator, credentials):
    now = emulator.state.now

    async def read() -> tuple[list[Any], Any]:
        async with credentials.get_async_client() as client:
            alerts = []
            async for alert in client.alerts.iter_list(
                start_time=now - DAY, end_time=now, limit=10
            ):
                alerts.append(alert)
                if len(alerts) == 15:
                    break
            team = await client.teams.infos(team_ids=[seed.TEAM_IDS[0]])
        return alerts, team

    alerts, team = asyncio.run(read())
    assert len({a.alert_id for a in alerts}) == 15
    assert [t.team_name for t in team.items] == [seed.TEAM_NAMES[seed.TEAM_IDS[0]]]


def test_namespace_update_then_read_back(emulator, credentials):
    rule = {"channel_id": seed.DEFAULT_CHANNEL_ID, "rule_id": seed.DEFAULT_RULE_ID}
    with credentials.get_client() as client:
        current = client.escalation_rules.info(rule)
        layers = [layer.model_dump(exclude_none=True) for layer in current.layers]
        client.escalation_rules.update(
            rule,
            template_id=current.template_id,
            rule_name=current.rule_name,
            layers=layers,
            description="rotated by test",
        )
        updated = client.escalation_rules.info(**rule)
    assert updated.description == "rotated by test"
    assert len(updated.layers) == len(layers)
