"""The emulator answers like the real API where its users found it did not: every documented
list filter either narrows the answer or is refused with a message naming the field, write
answers carry what the real API returns, and callbacks carry what the real ones carry."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest

from flashcat_prefect.api.webhooks import parse_custom_action
from flashcat_prefect.emulator import FlashcatEmulator
from flashcat_prefect.emulator import seed as demo
from flashcat_prefect.emulator.runner import BackgroundServer
from tests.test_bridge_outbound import WAIT_SECONDS, Receiver
from tests.test_emulator_state import Api, push

DAY = 86400


@pytest.fixture
def api(emulator: FlashcatEmulator) -> Api:
    return Api(emulator)


def all_pages(api: Api, path: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of a cursor-paged list."""
    items: list[dict[str, Any]] = []
    body = {**body, "limit": 100}
    while True:
        data = api(path, body)
        items += data["items"]
        if not data["has_next_page"]:
            return items
        body["search_after_ctx"] = data["search_after_ctx"]


def week(emulator: Any) -> dict[str, int]:
    now = emulator.state.now
    return {"start_time": now - 7 * DAY, "end_time": now}


# -- /alert/list -------------------------------------------------------------------------------


def test_alert_keys_and_alert_ids_select_seeded_alerts(emulator, api):
    window = week(emulator)
    some = api("/alert/list", {**window, "limit": 5})["items"]
    assert len(some) == 5
    wanted = some[1:3]
    by_key = api("/alert/list", {**window, "alert_keys": [a["alert_key"] for a in wanted]})
    assert sorted(a["alert_id"] for a in by_key["items"]) == sorted(a["alert_id"] for a in wanted)
    by_id = api("/alert/list", {**window, "alert_ids": [wanted[0]["alert_id"]]})["items"]
    assert [a["alert_key"] for a in by_id] == [wanted[0]["alert_key"]]
    assert api("/alert/list", {**window, "alert_keys": ["no-such-key"]})["items"] == []


def test_alert_keys_select_pushed_and_seeded_alerts_together(emulator, api):
    push(
        emulator,
        2003,
        event_status="Warning",
        title_rule="BGP session flapping",
        alert_key="bgp-edge-1",
    )
    now = emulator.state.clock()
    window = {"start_time": now - 2 * DAY, "end_time": now + 60}
    seeded = api("/alert/list", {**window, "channel_ids": [2004], "limit": 1})["items"][0]
    keys = ["bgp-edge-1", seeded["alert_key"]]
    found = api("/alert/list", {**window, "alert_keys": keys})["items"]
    assert sorted(a["alert_key"] for a in found) == sorted(keys)


def test_alert_integration_filter_covers_seeded_alerts(emulator, api):
    window = week(emulator)
    wanted = demo.INTEGRATION_IDS[2002]
    items = all_pages(api, "/alert/list", {**window, "integration_ids": [wanted]})
    assert items and {a["integration_id"] for a in items} == {wanted}
    everything = all_pages(api, "/alert/list", window)
    assert len(items) == sum(a["integration_id"] == wanted for a in everything)


def test_alert_ever_muted_and_update_ordering(emulator, api):
    window = week(emulator)
    assert api("/alert/list", {**window, "ever_muted": True})["items"] == []
    assert api("/alert/list", {**window, "ever_muted": False})["items"]
    items = api("/alert/list", {**window, "orderby": "updated_at", "limit": 100})["items"]
    stamps = [a["updated_at"] for a in items]
    assert stamps == sorted(stamps, reverse=True)
    created = [a["created_at"] for a in api("/alert/list", {**window, "limit": 100})["items"]]
    assert stamps != created  # closing moves updated_at away from created_at


def test_alert_by_updated_at_windows_on_updates(emulator, api):
    now = emulator.state.now
    window = {"start_time": now - DAY, "end_time": now}
    items = all_pages(api, "/alert/list", {**window, "by_updated_at": True})
    assert items and all(window["start_time"] <= a["updated_at"] <= now for a in items)
    assert any(a["created_at"] < window["start_time"] for a in items)


def test_alert_severity_names_are_checked(emulator, api):
    window = week(emulator)
    status, code, message = api.error("/alert/list", {**window, "alert_severity": "Critical,Bad"})
    assert (status, code) == (400, "InvalidParameter")
    assert "alert_severity" in message and "'Bad'" in message
    items = api("/alert/list", {**window, "alert_severity": "Info", "limit": 50})["items"]
    assert items and {a["alert_severity"] for a in items} == {"Info"}


# -- work items ------------------------------------------------------------------------------


def an_incident(emulator: FlashcatEmulator, api: Api) -> str:
    now = emulator.state.now
    return api("/incident/list", {"start_time": now - DAY, "end_time": now, "limit": 1})["items"][
        0
    ]["incident_id"]


def test_work_item_create_answers_the_created_item(emulator, api):
    incident_id = an_incident(emulator, api)
    body = {
        "incident_id": incident_id,
        "item_type": "action",
        "title": "Add disk alerts",
        "idempotency_key": "wi-1",
        "assignee_ids": [102, 103],
    }
    created = api("/incident/work-item/create", body)
    item = created["item"]
    assert (item["title"], item["incident_id"], item["item_type"]) == (
        "Add disk alerts",
        incident_id,
        "action",
    )
    assert item["work_item_id"] and item["version"] >= 1
    assert item["created_by"] == demo.OWNER_PERSON_ID
    assert item["created_at_seconds"] >= emulator.state.now
    assert sorted(created["added_assignee_ids"]) == [102, 103]
    assert created["idempotent_replay"] is False
    listed = api("/incident/work-item/list", {"incident_id": incident_id})
    assert [i["work_item_id"] for i in listed["items"]] == [item["work_item_id"]]
    assert listed["items"][0] == item and listed["has_more"] is False

    replay = api("/incident/work-item/create", body)
    assert replay["idempotent_replay"] is True and replay["item"] == item
    assert len(api("/incident/work-item/list", {"incident_id": incident_id})["items"]) == 1


def test_work_item_writes_answer_the_item_and_count_versions(emulator, api):
    incident_id = an_incident(emulator, api)
    item = api(
        "/incident/work-item/create",
        {
            "incident_id": incident_id,
            "item_type": "follow_up",
            "title": "Write runbook",
            "idempotency_key": "wi-2",
            "assignee_ids": [104],
        },
    )["item"]
    key = {"work_item_id": item["work_item_id"]}
    updated = api(
        "/incident/work-item/update", {**key, "version": item["version"], "priority": "high"}
    )["item"]
    assert (updated["priority"], updated["version"]) == ("high", item["version"] + 1)
    reset = api(
        "/incident/work-item/assignees/reset",
        {**key, "version": updated["version"], "assignee_ids": [105]},
    )
    assert (reset["added_assignee_ids"], reset["removed_assignee_ids"]) == ([105], [104])
    done = api(
        "/incident/work-item/complete",
        {
            **key,
            "version": reset["item"]["version"],
            "target_status": "done",
            "idempotency_key": "wi-2-done",
        },
    )["item"]
    assert done["status"] == "done" and done["assignee_ids"] == [105]
    (listed,) = api("/incident/work-item/list", {"incident_id": incident_id, "assignee_id": 105})[
        "items"
    ]
    assert listed == done
    assert (
        api("/incident/work-item/list", {"incident_id": incident_id, "item_type": "action"})[
            "items"
        ]
        == []
    )


def test_work_item_list_pages_with_its_cursor(emulator, api):
    incident_id = an_incident(emulator, api)
    made = [
        api(
            "/incident/work-item/create",
            {
                "incident_id": incident_id,
                "item_type": "action",
                "title": f"step {n}",
                "idempotency_key": f"wi-page-{n}",
            },
        )["item"]["work_item_id"]
        for n in range(5)
    ]
    seen: list[str] = []
    body: dict[str, Any] = {"incident_id": incident_id, "limit": 2}
    while True:
        page = api("/incident/work-item/list", body)
        seen += [i["work_item_id"] for i in page["items"]]
        if not page["has_more"]:
            break
        body["cursor"] = page["next_cursor"]
    assert sorted(seen) == sorted(made) and len(seen) == 5


# -- custom-action callback and incident info carry the incident's alerts ----------------------


@pytest.fixture
def hook_url(emulator: FlashcatEmulator) -> Iterator[tuple[Receiver, str]]:
    """A loopback receiver added as the emulator's webhook target for one test."""
    receiver = Receiver()
    with BackgroundServer(receiver.app) as server:
        url = f"{server.url}/hook"
        emulator.add_webhook(url)
        try:
            yield receiver, url
        finally:
            emulator.outbound.wait_idle(WAIT_SECONDS)
            emulator.outbound.remove(url)


def custom_action_bodies(
    emulator: FlashcatEmulator, api: Api, receiver: Receiver, incident_id: str
) -> list[dict[str, Any]]:
    api(
        "/incident/custom-action/do",
        {"incident_id": incident_id, "integration_id": demo.INTEGRATION_IDS[2001]},
    )
    assert emulator.outbound.wait_idle(WAIT_SECONDS)
    return [body for _, body in receiver.requests if body["event_type"] == "i_custom"]


def test_custom_action_callback_carries_pushed_alerts(emulator, api, hook_url):
    receiver, _ = hook_url
    for key in ("disk-a", "disk-b"):
        push(emulator, 2006, event_status="Warning", title_rule="Disk filling", alert_key=key)
    push(emulator, 2006, event_status="Ok", title_rule="Disk filling", alert_key="disk-b")
    now = emulator.state.clock()
    (incident,) = api(
        "/incident/list", {"start_time": now - 600, "end_time": now + 60, "channel_ids": [2006]}
    )["items"]
    (body,) = custom_action_bodies(emulator, api, receiver, incident["incident_id"])
    action = parse_custom_action(body)
    assert action.incident is not None and action.incident.incident_id == incident["incident_id"]
    alerts = {a["alert_key"]: a for a in body["incident"]["alerts"]}
    assert set(alerts) == {"disk-a", "disk-b"}
    assert (alerts["disk-a"]["alert_status"], alerts["disk-a"]["progress"]) == (
        "Warning",
        "Triggered",
    )
    assert (alerts["disk-b"]["alert_status"], alerts["disk-b"]["progress"]) == ("Ok", "Closed")
    assert alerts["disk-b"]["end_time"] >= alerts["disk-b"]["start_time"] > 0
    info = api("/incident/info", {"incident_id": incident["incident_id"]})
    assert sorted(a["alert_id"] for a in info["alerts"]) == sorted(
        a["alert_id"] for a in alerts.values()
    )


def test_custom_action_callback_carries_a_seeded_incidents_alert(emulator, api, hook_url):
    receiver, _ = hook_url
    incident_id = an_incident(emulator, api)
    (body,) = custom_action_bodies(emulator, api, receiver, incident_id)
    (alert,) = body["incident"]["alerts"]
    (listed,) = api("/alert/list", {**week(emulator), "alert_keys": [alert["alert_key"]]})["items"]
    assert alert["alert_id"] == listed["alert_id"]
    assert alert["data_source_id"] == demo.INTEGRATION_IDS[listed["channel_id"]]
    incident_webhooks = [b for _, b in receiver.requests if b["event_type"] != "i_custom"]
    assert all("alerts" not in b["incident"] for b in incident_webhooks)


# -- /incident/list and /insight/incident/list filters ------------------------------------------


def channels_of(items: list[dict[str, Any]]) -> set[int]:
    return {i["channel_id"] for i in items}


def test_channel_and_team_filters_intersect(emulator, api):
    window = week(emulator)
    # channel 2001 belongs to team 3001: asking for it inside team 3002 matches nothing
    assert (
        api("/incident/list", {**window, "channel_ids": [2001], "team_ids": [3002]})["items"] == []
    )
    both = all_pages(
        api, "/incident/list", {**window, "channel_ids": [2001, 2002], "team_ids": [3002]}
    )
    assert both and channels_of(both) == {2002}


def test_my_team_and_my_channel_follow_the_acting_member(emulator, api):
    window = week(emulator)
    owner = demo.OWNER_PERSON_ID  # the app key acts as this member of team 3001 (channel 2001)
    mine = all_pages(api, "/incident/list", {**window, "is_my_team": True})
    assert mine and channels_of(mine) == {2001}
    assert len(mine) == len(all_pages(api, "/incident/list", {**window, "channel_ids": [2001]}))

    payments = api("/team/infos", {"team_ids": [3004]})["items"][0]
    api(
        "/team/upsert",
        {
            "team_id": 3004,
            "team_name": payments["team_name"],
            "person_ids": [*payments["person_ids"], owner],
        },
    )
    assert channels_of(all_pages(api, "/incident/list", {**window, "is_my_team": True})) == {
        2001,
        2006,
        2007,
    }

    api("/channel/update", {"channel_id": 2005, "managing_team_ids": [3001]})
    managed = all_pages(api, "/incident/list", {**window, "is_my_channel": True})
    assert channels_of(managed) == {2001, 2005, 2006, 2007}
    insight = all_pages(api, "/insight/incident/list", {**window, "is_my_team": True})
    assert channels_of(insight) == {2001, 2006, 2007}


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [
        ("/incident/list", "incident_severity", "Critical,Urgent"),
        ("/incident/list", "progress", "Triggered,Done"),
        ("/insight/incident/list", "severities", ["Warning", "Urgent"]),
        ("/insight/incident/export", "export_fields", ["incident_id", "no_such_column"]),
    ],
)
def test_unknown_filter_names_are_refused(emulator, api, path, field, value):
    status, code, message = api.error(path, {**week(emulator), field: value})
    assert (status, code) == (400, "InvalidParameter") and field in message


def test_insight_labels_and_fields_filter(emulator, api):
    window = week(emulator)
    redis = all_pages(api, "/insight/incident/list", {**window, "labels": {"service": "redis"}})
    assert redis and channels_of(redis) == {2005}
    assert all(i["labels"]["service"] == "redis" for i in redis)
    critical = all_pages(
        api,
        "/insight/incident/list",
        {**window, "labels": {"service": "redis", "severity": "critical"}},
    )
    assert critical and {i["severity"] for i in critical} == {"Critical"}
    assert len(critical) < len(redis)
    assert api("/insight/incident/list", {**window, "labels": {"team": "x"}})["items"] == []

    target = redis[0]["incident_id"]
    api(
        "/incident/field/reset",
        {"incident_id": target, "field_name": "region", "field_value": "eu-west"},
    )
    (found,) = api("/insight/incident/list", {**window, "fields": {"region": "eu-west"}})["items"]
    assert found["incident_id"] == target and found["fields"] == {"region": "eu-west"}
    assert api("/insight/incident/list", {**window, "fields": {"region": "us-east"}})["items"] == []


def test_insight_hours_follow_the_time_zone(emulator, api):
    now = emulator.state.now
    window = {"start_time": now - 2 * DAY, "end_time": now, "channel_ids": [2001]}
    local = all_pages(api, "/insight/incident/list", window)
    utc = all_pages(api, "/insight/incident/list", {**window, "time_zone": "UTC"})
    assert [i["incident_id"] for i in local] == [i["incident_id"] for i in utc]
    assert [i["hours"] for i in local] != [i["hours"] for i in utc]
    for item in utc:
        hour = item["created_at"] // 3600 % 24
        weekday = (item["created_at"] // DAY + 3) % 7  # 0 = Monday
        expected = (
            "work"
            if 9 <= hour < 19 and weekday < 5
            else ("sleep" if hour >= 22 or hour < 8 else "off")
        )
        assert item["hours"] == expected


# -- the CSV export agrees with the insight list ------------------------------------------------


def test_incident_export_rows_match_the_insight_list(emulator, api):
    now = emulator.state.now
    window = {"start_time": now - 2 * DAY, "end_time": now, "time_zone": "Europe/Berlin"}
    listed = all_pages(api, "/insight/incident/list", window)
    edited = listed[3]["incident_id"]
    api(
        "/incident/reset",
        {
            "incident_id": edited,
            "title": "Renamed, with a comma",
            "description": "<p>db &amp; cache</p>",
        },
    )
    api(
        "/incident/assign",
        {"incident_ids": [edited], "assigned_to": {"person_ids": [110, 111, 112]}},
    )
    listed = all_pages(api, "/insight/incident/list", {**window, "description_html_to_text": True})
    columns = [name for name, value in listed[0].items() if not isinstance(value, (dict, list))]
    response = api.raw(
        "/insight/incident/export",
        {**window, "export_fields": columns, "description_html_to_text": True},
    )
    exported = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["incident_id"] for row in exported] == [i["incident_id"] for i in listed]
    for row, item in zip(exported, listed, strict=True):
        assert row == {name: str(item[name]) for name in columns}
    renamed = next(i for i in listed if i["incident_id"] == edited)
    assert (renamed["title"], renamed["description"], renamed["notifications"]) == (
        "Renamed, with a comma",
        "db & cache",
        3,
    )


def test_people_filters_follow_api_writes(emulator, api):
    created = api(
        "/incident/create",
        {
            "incident_severity": "Warning",
            "title": "Queue stuck",
            "channel_id": 2008,
            "assigned_to": {"person_ids": [125]},
        },
    )
    incident_id = created["incident_id"]
    api("/incident/responder/add", {"incident_id": incident_id, "person_ids": [126, 127]})
    api("/incident/ack", {"incident_ids": [incident_id]})  # acked by the app key's member
    now = emulator.state.clock()
    window = {"start_time": now - 600, "end_time": now + 60}

    def found(**filters: Any) -> bool:
        items = api("/incident/list", {**window, **filters})["items"]
        return incident_id in [i["incident_id"] for i in items]

    assert found(acker_ids=[demo.OWNER_PERSON_ID]) and not found(acker_ids=[125])
    assert found(responder_ids=[127]) and found(responder_ids=[125])
    assert not found(responder_ids=[128])


def test_a_lapsed_snooze_is_not_snoozed(emulator, api):
    incident_id = api("/incident/create", {"incident_severity": "Info", "title": "Snoozy"})[
        "incident_id"
    ]
    api("/incident/snooze", {"incident_ids": [incident_id], "minutes": 5})
    now = emulator.state.clock()
    window = {"start_time": now - 600, "end_time": now + 60}

    def snoozed_ids(value: bool) -> list[str]:
        items = api("/incident/list", {**window, "is_snoozed": value})["items"]
        return [i["incident_id"] for i in items]

    assert incident_id in snoozed_ids(True) and incident_id not in snoozed_ids(False)
    row = emulator.state.incidents.row_of(incident_id)
    emulator.state.incidents.cols["snoozed"][row] = now - 1  # the snooze ran out a second ago
    assert incident_id in snoozed_ids(False) and incident_id not in snoozed_ids(True)


def test_work_item_delete_without_an_id_is_refused_and_changes_nothing(emulator, api):
    """The API facts give the delete no fields: the emulator says it does not emulate it."""
    incident_id = an_incident(emulator, api)
    api(
        "/incident/work-item/create",
        {
            "incident_id": incident_id,
            "item_type": "action",
            "title": "Keep me",
            "idempotency_key": "wi-keep",
        },
    )
    before = api("/incident/work-item/list", {})["items"]
    status, code, message = api.error("/incident/work-item/delete", {})
    assert (status, code) == (400, "BadRequest") and "is not emulated" in message
    assert api("/incident/work-item/list", {})["items"] == before
