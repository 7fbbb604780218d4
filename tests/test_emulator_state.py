"""The emulator keeps state: writes are visible to later reads, with the API's semantics."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from flashcat_prefect.emulator import FlashcatEmulator, create_app
from flashcat_prefect.emulator import seed as demo

DAY = 86400


class Api:
    """Calls the served emulator and unwraps the envelope (errors come back as tuples)."""

    def __init__(self, emu: FlashcatEmulator) -> None:
        self.emu = emu

    def raw(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return httpx.post(
            self.emu.url + path, params={"app_key": self.emu.app_key}, json=body or {}
        )

    def __call__(self, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.raw(path, body)
        payload = response.json()
        assert response.status_code == 200, payload
        return payload["data"]

    def error(self, path: str, body: dict[str, Any] | None = None) -> tuple[int, str, str]:
        response = self.raw(path, body)
        error = response.json()["error"]
        return response.status_code, error["code"], error["message"]


@pytest.fixture
def api(emulator: FlashcatEmulator) -> Api:
    return Api(emulator)


# -- seed ------------------------------------------------------------------------------------


def test_demo_seed_has_the_documented_ids(api):
    persons = api("/person/infos", {"person_ids": list(demo.PERSON_IDS)})["items"]
    assert sorted(p["person_id"] for p in persons) == list(range(101, 131))
    assert api("/team/list", {"limit": 100})["total"] == 5
    channels = api("/channel/list", {"limit": 100})["items"]
    assert sorted(c["channel_id"] for c in channels) == list(range(2001, 2009))
    rules = {
        r["rule_name"]: r
        for r in api("/channel/escalate/rule/list", {"channel_id": demo.DEFAULT_CHANNEL_ID})[
            "items"
        ]
    }
    assert rules["Default"]["status"] == "enabled" and len(rules["Default"]["layers"]) >= 2
    assert rules["Default"]["rule_id"] == demo.DEFAULT_RULE_ID
    assert rules["Holiday"]["status"] == "disabled"
    assert rules["Holiday"]["rule_id"] == demo.HOLIDAY_RULE_ID
    silence = api("/channel/silence/rule/list", {"channel_id": demo.DEFAULT_CHANNEL_ID})["items"]
    assert [(s["rule_name"], s["status"], s["rule_id"]) for s in silence] == [
        ("Quiet days", "disabled", demo.QUIET_DAYS_RULE_ID)
    ]
    calendars = {c["cal_id"]: c["cal_name"] for c in api("/calendar/list")["items"]}
    assert calendars == {
        demo.HOLIDAY_CALENDAR_ID: "China Holidays",
        demo.OPS_CALENDAR_ID: "Ops Calendar",
    }
    assert api("/calendar/event/list", {"cal_id": demo.HOLIDAY_CALENDAR_ID})["items"] == []
    assert (
        api("/template/info", {"template_id": demo.TEMPLATE_ID})["template_id"] == demo.TEMPLATE_ID
    )
    schedules = api("/schedule/list", {"limit": 100})["items"]
    assert sorted(s["schedule_id"] for s in schedules) == list(demo.SCHEDULE_IDS)


def test_seeded_incidents_are_realistic(emulator, api):
    now = emulator.state.now
    table = emulator.state.incidents
    starts = table.cols["start"][: table.size]
    assert 9000 <= table.size <= 11000
    assert starts.min() >= now - 90 * DAY and starts.max() <= now
    items = api("/incident/list", {"start_time": now - 30 * DAY, "end_time": now, "limit": 100})[
        "items"
    ]
    assert all(i["responders"] and i["assigned_to"]["person_ids"] for i in items)
    severities = table.cols["severity"][: table.size]
    share = {
        name: float((severities == i).mean())
        for i, name in enumerate(("Critical", "Warning", "Info"))
    }
    assert share["Warning"] > share["Info"] > share["Critical"] > 0.05
    ack = table.cols["ack"][: table.size]
    close = table.cols["close"][: table.size]
    assert (ack == 0).any() and (close == 0).any()  # some never acked, some still open
    delays = (ack - starts)[ack > 0]
    assert delays.mean() > 2 * float(sorted(delays)[len(delays) // 2])  # long tail


def test_seed_is_deterministic_for_a_seed_number_and_now():
    now = 1_780_000_000
    first = create_app(seed_number=3, now=now).state.incidents
    again = create_app(seed_number=3, now=now).state.incidents
    other = create_app(seed_number=4, now=now).state.incidents
    rows = range(0, first.size, 97)
    assert [first.to_dict(r) for r in rows] == [again.to_dict(r) for r in rows]
    assert [first.incident_id(r) for r in rows] != [other.incident_id(r) for r in rows]


# -- calendars -------------------------------------------------------------------------------


def test_calendar_event_upsert_list_delete(api):
    cal = demo.HOLIDAY_CALENDAR_ID
    created = api(
        "/calendar/event/upsert",
        {
            "cal_id": cal,
            "summary": "National Day",
            "start_at": "2026-10-01",
            "end_at": "2026-10-08",
            "is_off": True,
        },
    )
    event_id = created["event_id"]
    assert created["cal_id"] == cal and event_id.startswith("cale.")
    in_october = api("/calendar/event/list", {"cal_id": cal, "year": 2026, "month": 10})
    assert [e["event_id"] for e in in_october["items"]] == [event_id]
    assert api("/calendar/event/list", {"cal_id": cal, "year": 2026, "month": 9})["items"] == []
    assert (
        api("/calendar/event/list", {"cal_id": cal, "year": 2026, "month": 10, "day": 8})["items"]
        == []
    )  # the end day is exclusive
    api(
        "/calendar/event/upsert",
        {
            "cal_id": cal,
            "event_id": event_id,
            "summary": "Golden Week",
            "start_at": "2026-10-01",
            "end_at": "2026-10-09",
            "is_off": True,
        },
    )
    (event,) = api("/calendar/event/list", {"cal_id": cal, "year": 2026})["items"]
    assert (event["summary"], event["end_at"]) == ("Golden Week", "2026-10-09")
    api("/calendar/event/delete", {"cal_id": cal, "event_id": event_id})
    assert api("/calendar/event/list", {"cal_id": cal})["items"] == []
    assert (
        api.error("/calendar/event/delete", {"cal_id": cal, "event_id": event_id})[1]
        == "ResourceNotFound"
    )


def test_calendar_event_rules(api):
    cal = demo.OPS_CALENDAR_ID
    status, code, message = api.error(
        "/calendar/event/upsert",
        {
            "cal_id": cal,
            "summary": "x",
            "start_at": "2026-05-02",
            "end_at": "2026-05-02",
            "is_off": False,
        },
    )
    assert (status, code) == (400, "InvalidParameter") and "end_at" in message
    assert (
        api.error("/calendar/event/list", {"cal_id": "cal.doesNotExist"})[1] == "ResourceNotFound"
    )
    _, code, message = api.error(
        "/calendar/event/upsert",
        {
            "cal_id": cal,
            "summary": "x" * 40,
            "start_at": "2026-05-02",
            "end_at": "2026-05-03",
            "is_off": False,
        },
    )
    assert code == "InvalidParameter" and "summary" in message


# -- escalation rules ------------------------------------------------------------------------

RULE = {
    "channel_id": 2003,
    "rule_name": "Night shift",
    "description": "Weeknights go to the pager",
    "priority": 3,
    "aggr_window": 120,
    "template_id": demo.TEMPLATE_ID,
    "layers": [
        {
            "max_times": 2,
            "notify_step": 2.5,
            "escalate_window": 20,
            "force_escalate": True,
            "target": {
                "person_ids": [107, 108],
                "team_ids": [3002],
                "schedule_to_role_ids": {"7002": [1]},
                "by": {
                    "follow_preference": False,
                    "critical": ["voice", "sms"],
                    "warning": ["email"],
                    "info": [],
                },
                "webhooks": [{"type": "feishu", "settings": {"token": "t-1"}}],
            },
        },
        {
            "max_times": 0,
            "notify_step": 10.0,
            "escalate_window": 0,
            "force_escalate": False,
            "target": {"emails": ["oncall@example.com"]},
        },
    ],
    "time_filters": [
        {"start": "19:00", "end": "23:59", "repeat": [1, 2, 3, 4, 5]},
        {"cal_id": demo.HOLIDAY_CALENDAR_ID, "is_off": True},
    ],
    "filters": [
        [
            {"key": "severity", "oper": "IN", "vals": ["Critical"]},
            {"key": "service", "oper": "NOTIN", "vals": ["/^test-.*/"]},
        ]
    ],
}


def test_escalation_rule_round_trips_exactly(api):
    created = api("/channel/escalate/rule/create", RULE)
    rule_id = created["rule_id"]
    assert created["rule_name"] == RULE["rule_name"]
    info = api("/channel/escalate/rule/info", {"channel_id": 2003, "rule_id": rule_id})
    assert {k: info[k] for k in RULE} == RULE
    listed = api("/channel/escalate/rule/list", {"channel_id": 2003})["items"]
    assert next(r for r in listed if r["rule_id"] == rule_id) == info
    assert info["status"] == "enabled"

    changed = {**RULE, "rule_id": rule_id, "layers": RULE["layers"][:1], "time_filters": []}
    api("/channel/escalate/rule/update", changed)
    info = api("/channel/escalate/rule/info", {"channel_id": 2003, "rule_id": rule_id})
    assert info["layers"] == RULE["layers"][:1] and info["time_filters"] == []

    api("/channel/escalate/rule/disable", {"channel_id": 2003, "rule_id": rule_id})
    assert (
        api("/channel/escalate/rule/info", {"channel_id": 2003, "rule_id": rule_id})["status"]
        == "disabled"
    )
    api("/channel/escalate/rule/enable", {"channel_id": 2003, "rule_id": rule_id})
    assert (
        api("/channel/escalate/rule/info", {"channel_id": 2003, "rule_id": rule_id})["status"]
        == "enabled"
    )
    api("/channel/escalate/rule/delete", {"channel_id": 2003, "rule_id": rule_id})
    assert (
        api.error("/channel/escalate/rule/info", {"channel_id": 2003, "rule_id": rule_id})[1]
        == "ResourceNotFound"
    )


def test_rules_belong_to_their_channel(api):
    _, code, _ = api.error(
        "/channel/escalate/rule/info", {"channel_id": 2002, "rule_id": demo.DEFAULT_RULE_ID}
    )
    assert code == "ResourceNotFound"
    assert api.error("/channel/escalate/rule/list", {"channel_id": 9999})[1] == "ResourceNotFound"
    _, code, message = api.error(
        "/channel/escalate/rule/create",
        {**RULE, "layers": [{"max_times": 9, "target": {"person_ids": [101]}}]},
    )
    assert code == "InvalidParameter" and "max_times" in message


def test_silence_rule_toggles_through_the_generic_store(api):
    body = {"channel_id": demo.DEFAULT_CHANNEL_ID, "rule_id": demo.QUIET_DAYS_RULE_ID}
    api("/channel/silence/rule/enable", body)
    (rule,) = api("/channel/silence/rule/list", {"channel_id": demo.DEFAULT_CHANNEL_ID})["items"]
    assert rule["status"] == "enabled"
    assert rule["filters"] == [[{"key": "severity", "oper": "IN", "vals": ["Info"]}]]


# -- incidents -------------------------------------------------------------------------------


def test_incident_lifecycle(emulator, api):
    created = api(
        "/incident/create",
        {
            "incident_severity": "Critical",
            "title": "Checkout down",
            "channel_id": 2007,
            "assigned_to": {"person_ids": [119]},
        },
    )
    incident_id = created["incident_id"]
    info = api("/incident/info", {"incident_id": incident_id})
    assert (info["progress"], info["incident_severity"], info["channel_id"]) == (
        "Triggered",
        "Critical",
        2007,
    )
    assert [r["person_id"] for r in info["responders"]] == [119]
    assert info["start_time"] >= emulator.state.now

    api("/incident/ack", {"incident_ids": [incident_id]})
    info = api("/incident/info", {"incident_id": incident_id})
    assert info["progress"] == "Processing" and info["ack_time"] >= info["start_time"]
    api("/incident/unack", {"incident_ids": [incident_id]})
    assert api("/incident/info", {"incident_id": incident_id})["progress"] == "Triggered"

    api(
        "/incident/assign",
        {"incident_ids": [incident_id], "assigned_to": {"person_ids": [120, 121]}},
    )
    info = api("/incident/info", {"incident_id": incident_id})
    assert info["assigned_to"]["person_ids"] == [120, 121]
    assert info["assigned_to"]["type"] == "reassign"

    api("/incident/snooze", {"incident_ids": [incident_id], "minutes": 30})
    info = api("/incident/info", {"incident_id": incident_id})
    assert info["snoozed_before"] >= info["start_time"] + 30 * 60
    api("/incident/wake", {"incident_ids": [incident_id]})
    api("/incident/comment", {"incident_ids": [incident_id], "comment": "looking"})
    api(
        "/incident/reset",
        {
            "incident_id": incident_id,
            "impact": "all checkouts fail",
            "incident_severity": "Warning",
        },
    )
    api("/incident/resolve", {"incident_ids": [incident_id]})
    info = api("/incident/info", {"incident_id": incident_id})
    assert (info["progress"], info["impact"], info["incident_severity"]) == (
        "Closed",
        "all checkouts fail",
        "Warning",
    )
    assert info["closer_id"] == demo.OWNER_PERSON_ID and info["close_time"] >= info["start_time"]
    api("/incident/reopen", {"incident_ids": [incident_id]})
    assert api("/incident/info", {"incident_id": incident_id})["progress"] == "Triggered"

    feed = api("/incident/feed", {"incident_id": incident_id, "asc": True, "limit": 100})
    assert [i["type"] for i in feed["items"]] == [
        "i_new",
        "i_assign",
        "i_ack",
        "i_unack",
        "i_assign",
        "i_snooze",
        "i_wake",
        "i_comm",
        "i_r_impact",
        "i_r_severity",
        "i_rslv",
        "i_reopen",
    ]
    now = emulator.state.clock()
    listed = api(
        "/incident/list", {"start_time": now - 3600, "end_time": now + 60, "channel_ids": [2007]}
    )["items"]
    assert incident_id in [i["incident_id"] for i in listed]


def test_merge_and_remove(emulator, api):
    ids = [
        api(
            "/incident/create",
            {"incident_severity": "Info", "title": f"dup {n}", "channel_id": 2001},
        )["incident_id"]
        for n in range(3)
    ]
    api("/incident/merge", {"target_incident_id": ids[0], "source_incident_ids": ids[1:]})
    assert all(api("/incident/info", {"incident_id": i})["progress"] == "Closed" for i in ids[1:])
    feed = api("/incident/feed", {"incident_id": ids[0]})["items"]
    assert feed[0]["type"] == "i_merge"
    api("/incident/remove", {"incident_ids": [ids[1]]})
    assert api.error("/incident/info", {"incident_id": ids[1]})[1] == "ResourceNotFound"
    by_ids = api("/incident/list-by-ids", {"incident_ids": ids})["items"]
    assert [i["incident_id"] for i in by_ids] == [ids[0], ids[2]]


def test_unknown_incident_and_bad_ids(api):
    assert api.error("/incident/ack", {"incident_ids": ["0" * 24]})[1] == "ResourceNotFound"
    assert api.error("/incident/ack", {"incident_ids": ["nope"]})[1] == "InvalidParameter"


def test_event_hooks_see_lifecycle_events(emulator, api):
    seen: list[tuple[str, str]] = []

    def hook(kind: str, payload: dict[str, Any]) -> None:
        seen.append((kind, payload.get("incident_id") or payload.get("alert_id")))

    emulator.state.add_hook(hook)
    try:
        incident_id = api("/incident/create", {"incident_severity": "Info", "title": "hooked"})[
            "incident_id"
        ]
        api("/incident/ack", {"incident_ids": [incident_id]})
    finally:
        emulator.state.on_event.remove(hook)
    assert seen == [("i_new", incident_id), ("i_ack", incident_id)]  # no assignee: no i_assign


# -- Event API -------------------------------------------------------------------------------


def push(emulator: FlashcatEmulator, channel_id: int, **event: Any) -> httpx.Response:
    return httpx.post(
        emulator.url + "/event/push/alert/standard",
        params={"integration_key": emulator.integration_key(channel_id)},
        json=event,
    )


def test_event_push_dedups_groups_and_recovers(emulator, api):
    first = push(
        emulator,
        2005,
        event_status="Warning",
        title_rule="Redis memory high",
        alert_key="redis-mem-1",
        labels={"host": "r1"},
    )
    assert first.status_code == 200 and first.json()["data"] == {"alert_key": "redis-mem-1"}
    push(
        emulator,
        2005,
        event_status="Critical",
        title_rule="Redis memory high",
        alert_key="redis-mem-1",
        description="95%",
    )
    push(
        emulator,
        2005,
        event_status="Warning",
        title_rule="Redis memory high",
        alert_key="redis-mem-2",
    )
    now = emulator.state.clock()
    incidents = api(
        "/incident/list", {"start_time": now - 600, "end_time": now + 60, "channel_ids": [2005]}
    )["items"]
    assert len(incidents) == 1  # same title on the same channel: one incident
    incident = incidents[0]
    assert (incident["alert_cnt"], incident["incident_severity"]) == (2, "Critical")
    alerts = api("/incident/alert/list", {"incident_id": incident["incident_id"]})["items"]
    assert sorted(a["alert_key"] for a in alerts) == ["redis-mem-1", "redis-mem-2"]
    assert {a["alert_key"]: a["event_cnt"] for a in alerts}["redis-mem-1"] == 2

    push(emulator, 2005, event_status="Ok", title_rule="Redis memory high", alert_key="redis-mem-1")
    assert api("/incident/info", {"incident_id": incident["incident_id"]})["progress"] != "Closed"
    push(emulator, 2005, event_status="Ok", title_rule="Redis memory high", alert_key="redis-mem-2")
    info = api("/incident/info", {"incident_id": incident["incident_id"]})
    assert (info["progress"], info["incident_status"], info["closer_id"]) == ("Closed", "Ok", 0)


def test_event_push_without_alert_key_gets_one(emulator):
    answer = push(emulator, 2001, event_status="Info", title_rule="ping").json()["data"]
    assert len(answer["alert_key"]) >= 16


# -- insights and schedules ------------------------------------------------------------------


def test_insights_agree_with_incident_timestamps(emulator, api):
    now = emulator.state.now
    window = {"start_time": now - 7 * DAY, "end_time": now}
    items: list[dict] = []
    body: dict = {**window, "channel_ids": [2002, 2003], "limit": 100}
    while True:
        data = api("/incident/list", body)
        items += data["items"]
        if not data["has_next_page"]:
            break
        body["search_after_ctx"] = data["search_after_ctx"]
    acked = [i["ack_time"] - i["start_time"] for i in items if i["ack_time"]]
    closed = [i["close_time"] - i["start_time"] for i in items if i["close_time"]]
    (team,) = api("/insight/team", {**window, "team_ids": [3002]})["items"]
    assert team["team_id"] == 3002 and team["total_incident_cnt"] == len(items)
    assert team["total_incidents_acknowledged"] == len(acked)
    assert team["mean_seconds_to_ack"] == pytest.approx(sum(acked) / len(acked))
    assert team["mean_seconds_to_close"] == pytest.approx(sum(closed) / len(closed))
    channels = api("/insight/channel", {**window, "team_ids": [3002]})["items"]
    assert sum(c["total_incident_cnt"] for c in channels) == len(items)
    raw = api("/insight/incident/list", {**window, "channel_ids": [2002], "limit": 100})
    for item in raw["items"][:20]:
        match = next(i for i in items if i["incident_id"] == item["incident_id"])
        ack = match["ack_time"] - match["start_time"] if match["ack_time"] else 0
        assert item["seconds_to_ack"] == ack


def test_insight_daily_aggregation_and_csv_export(emulator, api):
    now = emulator.state.now
    window = {"start_time": now - 3 * DAY, "end_time": now}
    daily = api("/insight/account", {**window, "aggregate_unit": "day"})["items"]
    total = api("/insight/account", window)["items"][0]["total_incident_cnt"]
    assert len(daily) in (3, 4) and sum(d["total_incident_cnt"] for d in daily) == total
    response = api.raw(
        "/insight/incident/export",
        {**window, "export_fields": ["incident_id", "severity", "seconds_to_ack"]},
    )
    assert response.headers["content-disposition"].startswith("attachment")
    lines = response.text.strip().splitlines()
    assert lines[0] == "incident_id,severity,seconds_to_ack" and len(lines) == total + 1


def test_schedule_preview_rotates_through_groups(emulator, api):
    start = emulator.state.now
    layer = {
        "account_id": 0,
        "name": "L1",
        "schedule_id": 0,
        "hidden": 0,
        "mode": 0,
        "weight": 1,
        "rotation_duration": 0,
        "handoff_time": start,
        "enable_time": start,
        "expire_time": 0,
        "restrict_mode": 0,
        "restrict_start": 0,
        "restrict_end": 0,
        "restrict_periods": [],
        "day_mask": {"repeat": []},
        "create_at": 0,
        "create_by": 0,
        "update_at": 0,
        "update_by": 0,
        "fair_rotation": False,
        "layer_start": start,
        "rotation_unit": "day",
        "rotation_value": 1,
        "mask_continuous_enabled": False,
        "groups": [
            {
                "group_name": n,
                "name": n,
                "start": 0,
                "end": 0,
                "members": [{"role_id": 1, "person_ids": [p]}],
            }
            for n, p in (("a", 101), ("b", 102), ("c", 103))
        ],
    }
    preview = api(
        "/schedule/preview",
        {"schedule_name": "trial", "layers": [layer], "start": start, "end": start + 4 * DAY},
    )
    shifts = preview["final_schedule"]["schedules"]
    assert [(s["start"] - start) // DAY for s in shifts] == [0, 1, 2, 3]
    assert [s["group"]["members"][0]["person_ids"] for s in shifts] == [[101], [102], [103], [101]]


def test_change_events_group_by_change_key(emulator, api):
    url = emulator.url + "/event/push/change/standard"
    key = {"integration_key": emulator.integration_key(2002)}
    for status in ("Ready", "Processing", "Done"):
        answer = httpx.post(
            url,
            params=key,
            json={"change_status": status, "change_key": "CHG-7", "title": "Upgrade ingress"},
        )
        assert answer.status_code == 200
    now = emulator.state.clock()
    (change,) = api(
        "/change/list", {"start_time": now - 600, "end_time": now + 60, "include_events": True}
    )["items"]
    assert (change["change_status"], change["channel_id"], len(change["events"])) == (
        "Done",
        2002,
        3,
    )
    assert change["end_time"] >= change["start_time"]


def test_daily_insights_are_limited_to_31_days(emulator, api):
    now = emulator.state.now
    _, code, message = api.error(
        "/insight/team", {"start_time": now - 40 * DAY, "end_time": now, "aggregate_unit": "day"}
    )
    assert code == "InvalidParameter" and "31 days" in message


def test_incidents_show_current_names_after_directory_writes(emulator, api):
    api("/channel/update", {"channel_id": 2004, "channel_name": "MySQL Fleet"})
    api("/team/upsert", {"team_id": 3003, "team_name": "Data Platform"})
    now = emulator.state.now
    (item,) = api(
        "/incident/list",
        {"start_time": now - 10 * DAY, "end_time": now, "channel_ids": [2004], "limit": 1},
    )["items"]
    assert item["channel_name"] == "MySQL Fleet"
    teams = api("/insight/team", {"start_time": now - DAY, "end_time": now, "team_ids": [3003]})[
        "items"
    ]
    assert [t["team_name"] for t in teams] == ["Data Platform"]


def test_deleted_member_stays_a_deleted_person(api):
    api("/member/delete", {"member_id": 130})
    (person,) = api("/person/infos", {"person_ids": [130]})["items"]
    assert person["status"] == "deleted"
    assert api("/member/list", {"limit": 100})["total"] == 29
    (team,) = api("/team/infos", {"team_ids": [3005]})["items"]
    assert 130 not in team["person_ids"]
    assert api.error("/member/delete", {"member_id": 130})[1] == "ResourceNotFound"
