"""Every write endpoint of the catalog changes state a read endpoint then shows, or answers
that the emulator does not emulate it: no write answers a fake success.

One case per write endpoint (table driven): plain records go through :data:`RESOURCES`
(create / update / upsert / delete / enable / disable, read back by ``info`` or ``list``),
the rest have a hand-written case in :data:`CASES`. A write endpoint with neither, and not
refused as "not emulated", fails :func:`test_write_changes_what_reads_show`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from flashcat_prefect.api import CATALOG, find_endpoint
from flashcat_prefect.emulator import FlashcatEmulator
from flashcat_prefect.emulator import seed as demo
from flashcat_prefect.emulator.coverage import coverage_rows, render_markdown
from flashcat_prefect.emulator.handlers import load
from flashcat_prefect.emulator.handlers.base import NOT_EMULATED, NOT_EMULATED_CODE
from flashcat_prefect.emulator.store import resource_of
from flashcat_prefect.emulator.synth import sample
from tests.test_emulator_state import Api, push

load()
WRITE_PATHS = sorted(e.path for e in CATALOG if e.is_http and e.writes)
CHANNEL = demo.DEFAULT_CHANNEL_ID
INTEGRATION = demo.INTEGRATION_IDS[CHANNEL]
IM_INTEGRATION = 9001
HOUR = 3600


class Calls(Api):
    """:class:`Api` that sends a GET endpoint's fields as query parameters."""

    def raw(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        endpoint = find_endpoint(path)
        if endpoint is None or endpoint.method != "GET":
            return super().raw(path, body)
        return httpx.get(self.emu.url + path, params={"app_key": self.emu.app_key, **(body or {})})


@pytest.fixture
def api(emulator: FlashcatEmulator) -> Api:
    return Calls(emulator)


# -- plain records --------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    """How to make, change and read back one record of a resource prefix."""

    prefix: str
    id_field: str
    create: dict[str, Any]
    change: dict[str, Any]
    scope: dict[str, Any] = field(default_factory=dict)
    """fields every request of the resource carries (the channel of a channel rule)"""
    update_extra: dict[str, Any] = field(default_factory=dict)
    """other fields an update requires"""
    read: str = "info"
    read_extra: dict[str, Any] = field(default_factory=dict)
    """other fields the read requires"""

    def path(self, verb: str) -> str:
        return f"{self.prefix}/{verb}"


def _rule(prefix: str, create: dict[str, Any]) -> Resource:
    return Resource(
        prefix,
        "rule_id",
        {"rule_name": "Night shift", **create},
        {"description": "Changed"},
        scope={"channel_id": CHANNEL},
        update_extra={"rule_name": "Night shift", **create},
        read="list",
    )


_ESCALATE = {
    "template_id": demo.TEMPLATE_ID,
    "layers": [
        {
            "max_times": 1,
            "notify_step": 5.0,
            "escalate_window": 10,
            "force_escalate": False,
            "target": {"person_ids": [102]},
        }
    ],
}
_VIEW = {"equals": ["title"], "view_name": "By title"}

RESOURCES: tuple[Resource, ...] = (
    Resource(
        "/channel",
        "channel_id",
        {"channel_name": "Billing", "team_id": 3001},
        {"description": "Changed"},
    ),
    Resource("/calendar", "cal_id", {"cal_name": "Team days"}, {"description": "Changed"}),
    Resource(
        "/template",
        "template_id",
        {"template_name": "Pager text"},
        {"description": "Changed"},
        update_extra={"template_name": "Pager text"},
    ),
    Resource(
        "/enrichment/mapping/schema",
        "schema_id",
        {"schema_name": "hosts", "source_labels": ["host"], "result_labels": ["owner"]},
        {"description": "Changed"},
    ),
    Resource(
        "/enrichment/mapping/api",
        "api_id",
        {"api_name": "cmdb", "url": "https://cmdb.example.com/lookup"},
        {"description": "Changed"},
    ),
    Resource(
        "/team",
        "team_id",
        {"team_name": "Billing"},
        {"description": "Changed"},
        update_extra={"team_name": "Billing"},
    ),
    Resource(
        "/field",
        "field_id",
        {
            "display_name": "Region",
            "field_name": "region",
            "field_type": "text",
            "value_type": "string",
        },
        {"description": "Changed"},
    ),
    Resource(
        "/incident/comment-type",
        "comment_type_id",
        {"color": "#ff0000", "name": "Status update"},
        {},
        read="list",
    ),
    Resource(
        "/incident/post-mortem/template",
        "template_id",
        {"name": "Short", "content": "<p>What happened</p>"},
        {"description": "Changed"},
        update_extra={"name": "Short", "content": "<p>What happened</p>"},
    ),
    Resource(
        "/incident/card-view",
        "view_id",
        _VIEW,
        {"view_name": "Renamed"},
        update_extra=_VIEW,
        read="list",
    ),
    Resource(
        "/alert/card-view",
        "view_id",
        _VIEW,
        {"view_name": "Renamed"},
        update_extra=_VIEW,
        read="list",
    ),
    Resource(
        "/schedule",
        "schedule_id",
        {"schedule_name": "Nights", "team_id": 3001},
        {"description": "Changed"},
        read_extra={"start": 1_790_000_000, "end": 1_790_086_400},
    ),
    Resource(
        "/route", "integration_id", {"integration_id": INTEGRATION, "version": 1}, {"version": 2}
    ),
    Resource(
        "/alert/pipeline",
        "integration_id",
        {"integration_id": INTEGRATION, "rules": []},
        {"rules": [{"kind": "title_reset", "settings": {"title": "x"}}]},
    ),
    Resource(
        "/enrichment",
        "integration_id",
        {"integration_id": INTEGRATION, "rules": []},
        {
            "rules": [
                {
                    "kind": "extraction",
                    "settings": {
                        "source_field": "title",
                        "result_label": "service",
                        "pattern": "^(?P<result>\\w+)",
                    },
                }
            ]
        },
    ),
    _rule("/channel/escalate/rule", _ESCALATE),
    _rule("/channel/silence/rule", {}),
    _rule("/channel/inhibit/rule", {"equals": ["host"]}),
    _rule("/channel/subscribe/rule", {"description": "", "filters": []}),
    _rule("/channel/unsubscribe/rule", {}),
)
_BY_PREFIX = {r.prefix: r for r in RESOURCES}


def _id_body(res: Resource, path: str, key: Any) -> dict[str, Any]:
    """The id part of a request: the plural ``<id>s`` list when that is what it takes."""
    names = {
        info.alias or name for name, info in find_endpoint(path).request_model.model_fields.items()
    }
    if res.id_field not in names and res.id_field + "s" in names:
        return {res.id_field + "s": [key]}
    return {res.id_field: key}


def make(api: Api, res: Resource) -> Any:
    verb = "create" if find_endpoint(res.path("create")) else "upsert"
    answer = api(res.path(verb), {**res.scope, **res.create}) or {}
    return answer.get(res.id_field) or res.create.get(res.id_field)


def read(api: Api, res: Resource, key: Any) -> dict[str, Any] | None:
    if res.read == "list":
        paged = "limit" in find_endpoint(res.path("list")).request_model.model_fields
        items = api(res.path("list"), {**res.scope, **({"limit": 100} if paged else {})})["items"]
        return next((i for i in items if i.get(res.id_field) == key), None)
    response = api.raw(res.path("info"), {**res.scope, **res.read_extra, res.id_field: key})
    payload = response.json()
    if "error" in payload:
        assert payload["error"]["code"] == "ResourceNotFound", payload
        return None
    return payload["data"]


def _holds(record: dict[str, Any] | None, values: dict[str, Any]) -> bool:
    return record is not None and all(record.get(k) == v for k, v in values.items())


def _enabled(record: dict[str, Any]) -> bool:
    if isinstance(record.get("status"), str):
        return record["status"] == "enabled"
    return not record.get("disabled")


def resource_case(path: str) -> Callable[[Api], None] | None:
    prefix, verb = resource_of(path)
    res = _BY_PREFIX.get(prefix)
    if res is None or verb not in ("create", "update", "upsert", "delete", "enable", "disable"):
        return None

    def case(api: Api) -> None:
        key = make(api, res)
        assert _holds(
            read(api, res, key),
            {k: v for k, v in res.create.items() if k not in ("layers", "rules", "equals")},
        )
        if verb in ("update", "upsert") and res.change:
            api(path, {**res.scope, **res.update_extra, **_id_body(res, path, key), **res.change})
            assert _holds(read(api, res, key), res.change)
        elif verb == "delete":
            api(path, {**res.scope, **_id_body(res, path, key)})
            assert read(api, res, key) is None
        elif verb in ("enable", "disable"):
            other = res.path("disable" if verb == "enable" else "enable")
            api(other, {**res.scope, **_id_body(res, other, key)})
            api(path, {**res.scope, **_id_body(res, path, key)})
            assert _enabled(read(api, res, key)) == (verb == "enable")

    return case


# -- hand-written cases ---------------------------------------------------------------------

CASES: dict[str, Callable[[Api], None]] = {}


def case(*paths: str) -> Callable[[Callable[[Api], None]], Callable[[Api], None]]:
    def register(fn: Callable[[Api], None]) -> Callable[[Api], None]:
        for path in paths:
            CASES[path] = fn
        return fn

    return register


def window(api: Api, back: int = 2 * HOUR) -> dict[str, int]:
    now = api.emu.state.clock()
    return {"start_time": now - back, "end_time": now + 60}


def new_incident(api: Api, title: str = "Checkout is down", **extra: Any) -> str:
    return api("/incident/create", {"incident_severity": "Warning", "title": title, **extra})[
        "incident_id"
    ]


def incident(api: Api, incident_id: str) -> dict[str, Any]:
    return api("/incident/info", {"incident_id": incident_id})


def feed_types(api: Api, incident_id: str) -> list[str]:
    return [
        i["type"]
        for i in api("/incident/feed", {"incident_id": incident_id, "asc": True, "limit": 100})[
            "items"
        ]
    ]


def seeded_incident(api: Api, **filters: Any) -> dict[str, Any]:
    now = api.emu.state.now
    items = api(
        "/incident/list", {"start_time": now - 3 * 86400, "end_time": now, "limit": 100, **filters}
    )["items"]
    return items[0]


def pushed_alert(api: Api, title: str, key: str) -> dict[str, Any]:
    assert push(
        api.emu, CHANNEL, event_status="Warning", title_rule=title, alert_key=key
    ).is_success
    alerts = api("/alert/list", {**window(api), "alert_keys": [key]})["items"]
    assert len(alerts) == 1
    return alerts[0]


@case("/incident/create")
def _(api: Api) -> None:
    incident_id = new_incident(api, assigned_to={"person_ids": [102]})
    shown = incident(api, incident_id)
    assert shown["title"] == "Checkout is down" and shown["creator_id"] == demo.OWNER_PERSON_ID
    assert [r["person_id"] for r in shown["responders"]] == [102]


@case("/incident/ack", "/incident/unack")
def _(api: Api) -> None:
    incident_id = new_incident(api)
    api("/incident/ack", {"incident_ids": [incident_id]})
    assert incident(api, incident_id)["progress"] == "Processing"
    api("/incident/unack", {"incident_ids": [incident_id]})
    assert incident(api, incident_id)["progress"] == "Triggered"


@case("/incident/resolve", "/incident/reopen")
def _(api: Api) -> None:
    incident_id = new_incident(api)
    api("/incident/resolve", {"incident_ids": [incident_id]})
    assert incident(api, incident_id)["progress"] == "Closed"
    api("/incident/reopen", {"incident_ids": [incident_id]})
    assert incident(api, incident_id)["progress"] == "Triggered"


@case("/incident/snooze", "/incident/wake")
def _(api: Api) -> None:
    incident_id = new_incident(api)
    api("/incident/snooze", {"incident_ids": [incident_id], "minutes": 30})
    assert incident(api, incident_id)["snoozed_before"] > api.emu.state.clock()
    api("/incident/wake", {"incident_ids": [incident_id]})
    assert incident(api, incident_id)["snoozed_before"] == 0


@case("/incident/assign")
def _(api: Api) -> None:
    incident_id = new_incident(api)
    api(
        "/incident/assign",
        {"incident_ids": [incident_id], "assigned_to": {"person_ids": [103, 104]}},
    )
    assert incident(api, incident_id)["assigned_to"]["person_ids"] == [103, 104]


@case("/incident/responder/add")
def _(api: Api) -> None:
    incident_id = new_incident(api, assigned_to={"person_ids": [102]})
    api("/incident/responder/add", {"incident_id": incident_id, "person_ids": [105]})
    assert [r["person_id"] for r in incident(api, incident_id)["responders"]] == [102, 105]


@case("/incident/comment")
def _(api: Api) -> None:
    incident_id = new_incident(api)
    api("/incident/comment", {"incident_ids": [incident_id], "comment": "Looking"})
    assert feed_types(api, incident_id)[-1] == "i_comm"


_RESETS = {
    "/incident/title/reset": ("title", "New title"),
    "/incident/description/reset": ("description", "New text"),
    "/incident/impact/reset": ("impact", "Checkout"),
    "/incident/root-cause/reset": ("root_cause", "A bad deploy"),
    "/incident/resolution/reset": ("resolution", "Rolled back"),
    "/incident/severity/reset": ("incident_severity", "Critical"),
}


def _reset_case(path: str) -> Callable[[Api], None]:
    name, value = _RESETS[path]

    def check(api: Api) -> None:
        incident_id = new_incident(api)
        api(path, {"incident_id": incident_id, name: value})
        assert incident(api, incident_id)[name] == value

    return check


for _path in _RESETS:
    CASES[_path] = _reset_case(_path)


@case("/incident/reset")
def _(api: Api) -> None:
    incident_id = new_incident(api)
    api(
        "/incident/reset",
        {"incident_id": incident_id, "title": "Renamed", "incident_severity": "Info"},
    )
    shown = incident(api, incident_id)
    assert (shown["title"], shown["incident_severity"]) == ("Renamed", "Info")


@case("/incident/field/reset")
def _(api: Api) -> None:
    incident_id = new_incident(api)
    api(
        "/incident/field/reset",
        {"incident_id": incident_id, "field_name": "region", "field_value": "eu"},
    )
    assert incident(api, incident_id)["fields"] == {"region": "eu"}


@case("/incident/merge")
def _(api: Api) -> None:
    target, source = new_incident(api, "Target"), new_incident(api, "Source")
    api("/incident/merge", {"target_incident_id": target, "source_incident_ids": [source]})
    assert incident(api, source)["progress"] == "Closed"
    assert feed_types(api, target)[-1] == "i_merge"


@case("/incident/remove")
def _(api: Api) -> None:
    incident_id = new_incident(api)
    api("/incident/remove", {"incident_ids": [incident_id]})
    assert api.error("/incident/info", {"incident_id": incident_id})[1] == "ResourceNotFound"


@case("/incident/disable-merge")
def _(api: Api) -> None:
    first = pushed_alert(api, "Flapping check", "flap-1")["incident"]["incident_id"]
    assert pushed_alert(api, "Flapping check", "flap-2")["incident"]["incident_id"] == first
    api("/incident/disable-merge", {"incident_ids": [first]})
    third = pushed_alert(api, "Flapping check", "flap-3")["incident"]["incident_id"]
    assert third != first  # a new alert no longer joins the incident
    assert incident(api, first)["alert_cnt"] == 2


@case("/incident/custom-action/do")
def _(api: Api) -> None:
    incident_id = new_incident(api)
    api("/incident/custom-action/do", {"incident_id": incident_id, "integration_id": INTEGRATION})
    assert feed_types(api, incident_id)[-1] == "i_custom"


@case("/event/push/alert/standard")
def _(api: Api) -> None:
    alert = pushed_alert(api, "Queue backlog", "queue-1")
    assert alert["alert_status"] == "Warning"
    assert incident(api, alert["incident"]["incident_id"])["alert_cnt"] == 1


@case("/event/push/change/standard")
def _(api: Api) -> None:
    response = api.raw  # the change push takes the integration key, not the app key
    del response
    import httpx

    httpx.post(
        api.emu.url + "/event/push/change/standard",
        params={"integration_key": api.emu.integration_key(CHANNEL)},
        json={"title": "Deploy v2", "change_status": "Processing", "change_key": "deploy-2"},
    ).raise_for_status()
    changes = api("/change/list", window(api))["items"]
    assert [c["title"] for c in changes] == ["Deploy v2"]


@case("/alert/merge")
def _(api: Api) -> None:
    moved = pushed_alert(api, "Disk full", "disk-1")
    source = moved["incident"]["incident_id"]
    target = new_incident(api, "Storage trouble")
    api("/alert/merge", {"alert_ids": [moved["alert_id"]], "incident_id": target})
    listed = api("/incident/alert/list", {"incident_id": target})["items"]
    assert [a["alert_id"] for a in listed] == [moved["alert_id"]]
    assert incident(api, target)["alert_cnt"] == 1
    assert incident(api, source)["progress"] == "Closed"  # left empty, so closed


def test_merging_a_seeded_incidents_alert_moves_it_too(api):
    seeded = seeded_incident(api, progress="Triggered")
    (alert,) = api("/incident/alert/list", {"incident_id": seeded["incident_id"]})["items"]
    target = new_incident(api, "Collector")
    api("/alert/merge", {"alert_ids": [alert["alert_id"]], "incident_id": target})
    assert api("/incident/alert/list", {"incident_id": seeded["incident_id"]})["items"] == []
    assert api("/alert/info", {"alert_id": alert["alert_id"]})["incident"]["incident_id"] == target
    assert incident(api, seeded["incident_id"])["progress"] == "Closed"
    listed = api(
        "/alert/list",
        {
            "start_time": seeded["start_time"],
            "end_time": api.emu.state.clock() + 60,
            "alert_ids": [alert["alert_id"]],
        },
    )["items"]
    assert [a["incident"]["incident_id"] for a in listed] == [target]  # listed once


@case("/alert/close")
def _(api: Api) -> None:
    alert = pushed_alert(api, "Fan failure", "fan-1")
    api("/alert/close", {"alert_ids": [alert["alert_id"]]})
    assert api("/alert/info", {"alert_id": alert["alert_id"]})["end_time"] > 0
    assert incident(api, alert["incident"]["incident_id"])["progress"] == "Closed"


@case("/incident/war-room/create", "/incident/war-room/add-member", "/incident/war-room/delete")
def _(api: Api) -> None:
    incident_id = new_incident(api, assigned_to={"person_ids": [102]})
    room = api(
        "/incident/war-room/create",
        {
            "incident_id": incident_id,
            "integration_id": IM_INTEGRATION,
            "member_ids": [103],
            "add_observers": True,
        },
    )
    named = {"integration_id": IM_INTEGRATION, "chat_id": room["chat_id"]}
    assert api("/incident/war-room/detail", named)["member_ids"] == [103, 102]
    api("/incident/war-room/add-member", {**named, "member_ids": [104]})
    assert api("/incident/war-room/detail", named)["member_ids"] == [103, 102, 104]
    listed = api("/incident/war-room/list", {"incident_id": incident_id})["items"]
    assert [r["chat_id"] for r in listed] == [room["chat_id"]]
    api("/incident/war-room/delete", {"incident_id": incident_id, "integration_id": IM_INTEGRATION})
    assert api("/incident/war-room/list", {"incident_id": incident_id})["items"] == []
    assert feed_types(api, incident_id)[-2:] == ["i_wr_create", "i_wr_delete"]


def _post_mortem(api: Api) -> str:
    answer = api(
        "/incident/post-mortem/init",
        {
            "incident_ids": [seeded_incident(api)["incident_id"]],
            "template_id": demo.POST_MORTEM_TEMPLATE_ID,
        },
    )
    return answer["meta"]["post_mortem_id"]


@case("/incident/post-mortem/init")
def _(api: Api) -> None:
    seeded = seeded_incident(api)
    post_mortem_id = _post_mortem(api)
    shown = api("/incident/post-mortem/info", {"post_mortem_id": post_mortem_id})
    assert shown["meta"]["incident_ids"] == [seeded["incident_id"]]
    assert shown["meta"]["status"] == "drafting"
    assert shown["basics"]["incidents_earliest_start_seconds"] == seeded["start_time"]
    listed = api("/incident/post-mortem/list", {})["items"]
    assert post_mortem_id in [p["post_mortem_id"] for p in listed]
    assert incident(api, seeded["incident_id"])["post_mortem_id"] == post_mortem_id


_POST_MORTEM_RESETS: dict[str, tuple[dict[str, Any], Callable[[dict[str, Any]], Any]]] = {
    "/incident/post-mortem/title/reset": ({"title": "Review"}, lambda i: i["meta"]["title"]),
    "/incident/post-mortem/status/reset": ({"status": "published"}, lambda i: i["meta"]["status"]),
    "/incident/post-mortem/follow-ups/reset": (
        {"follow_ups": "<ul><li>Alert</li></ul>"},
        lambda i: i["follow_ups"],
    ),
    "/incident/post-mortem/content/reset": (
        {"markdown": "# Timeline", "expected_revision": 1, "idempotency_key": "pm-1"},
        lambda i: i["content"]["content"],
    ),
    "/incident/post-mortem/basics/reset": (
        {
            "incidents_highest_severity": "Critical",
            "incidents_earliest_start_seconds": 1,
            "incidents_latest_close_seconds": 2,
            "incidents_total_duration_seconds": 1,
            "responder_ids": [102],
        },
        lambda i: (
            i["basics"]["incidents_highest_severity"],
            [r["person_id"] for r in i["basics"]["responders"]],
        ),
    ),
}
_EXPECTED_RESETS = {
    "/incident/post-mortem/content/reset": "# Timeline",
    "/incident/post-mortem/basics/reset": ("Critical", [102]),
}


def _post_mortem_reset_case(path: str) -> Callable[[Api], None]:
    body, shown = _POST_MORTEM_RESETS[path]
    expected = _EXPECTED_RESETS.get(path, next(iter(body.values())))

    def check(api: Api) -> None:
        post_mortem_id = _post_mortem(api)
        api(path, {"post_mortem_id": post_mortem_id, **body})
        assert (
            shown(api("/incident/post-mortem/info", {"post_mortem_id": post_mortem_id})) == expected
        )

    return check


for _path in _POST_MORTEM_RESETS:
    CASES[_path] = _post_mortem_reset_case(_path)


@case("/incident/post-mortem/delete")
def _(api: Api) -> None:
    post_mortem_id = _post_mortem(api)
    api("/incident/post-mortem/delete", {"post_mortem_id": post_mortem_id})
    assert (
        api.error("/incident/post-mortem/info", {"post_mortem_id": post_mortem_id})[1]
        == "ResourceNotFound"
    )


def _work_item(api: Api) -> tuple[str, str]:
    incident_id = new_incident(api)
    item = api(
        "/incident/work-item/create",
        {
            "incident_id": incident_id,
            "item_type": "action",
            "title": "Add an alert",
            "idempotency_key": "wi-1",
        },
    )["item"]
    return incident_id, item["work_item_id"]


def _work_items(api: Api, incident_id: str) -> list[dict[str, Any]]:
    return api("/incident/work-item/list", {"incident_id": incident_id})["items"]


@case("/incident/work-item/create")
def _(api: Api) -> None:
    incident_id, work_item_id = _work_item(api)
    assert [i["work_item_id"] for i in _work_items(api, incident_id)] == [work_item_id]


@case("/incident/work-item/update")
def _(api: Api) -> None:
    incident_id, work_item_id = _work_item(api)
    api(
        "/incident/work-item/update",
        {"work_item_id": work_item_id, "version": 1, "title": "Add two alerts"},
    )
    assert _work_items(api, incident_id)[0]["title"] == "Add two alerts"


@case("/incident/work-item/complete")
def _(api: Api) -> None:
    incident_id, work_item_id = _work_item(api)
    api(
        "/incident/work-item/complete",
        {
            "work_item_id": work_item_id,
            "version": 1,
            "target_status": "done",
            "idempotency_key": "c-1",
        },
    )
    assert _work_items(api, incident_id)[0]["status"] == "done"


@case("/incident/work-item/convert")
def _(api: Api) -> None:
    incident_id, work_item_id = _work_item(api)
    api(
        "/incident/work-item/convert",
        {"work_item_id": work_item_id, "version": 1, "idempotency_key": "cv-1"},
    )
    assert _work_items(api, incident_id)[0]["item_type"] == "follow_up"


@case("/incident/work-item/assignees/reset")
def _(api: Api) -> None:
    incident_id, work_item_id = _work_item(api)
    api(
        "/incident/work-item/assignees/reset",
        {"work_item_id": work_item_id, "version": 1, "assignee_ids": [102]},
    )
    assert _work_items(api, incident_id)[0]["assignee_ids"] == [102]


@case("/incident/work-item/post-mortem/bind")
def _(api: Api) -> None:
    incident_id, _ = _work_item(api)
    api(
        "/incident/work-item/post-mortem/bind",
        {
            "incident_id": incident_id,
            "post_mortem_id": demo.POST_MORTEM_ID,
            "idempotency_key": "b-1",
        },
    )
    assert _work_items(api, incident_id)[0]["post_mortem_id"] == demo.POST_MORTEM_ID


@case("/calendar/event/upsert", "/calendar/event/delete")
def _(api: Api) -> None:
    cal = {"cal_id": demo.HOLIDAY_CALENDAR_ID}
    event = api(
        "/calendar/event/upsert",
        {
            **cal,
            "summary": "Spring Festival",
            "start_at": "2027-02-06",
            "end_at": "2027-02-13",
            "is_off": True,
        },
    )
    assert [e["summary"] for e in api("/calendar/event/list", cal)["items"]] == ["Spring Festival"]
    api("/calendar/event/delete", {**cal, "event_id": event["event_id"]})
    assert api("/calendar/event/list", cal)["items"] == []


PAGE = 7001


def _change(api: Api, **extra: Any) -> tuple[dict[str, Any], int]:
    """A new incident change on :data:`PAGE` (one timeline entry): its naming fields, its id."""
    made = api(
        "/status-page/change/create",
        {
            "page_id": PAGE,
            "type": "incident",
            "title": "API latency",
            "status": "investigating",
            "updates": [
                {
                    "description": "Looking",
                    "component_changes": [{"component_id": "api", "status": "degraded"}],
                }
            ],
            **extra,
        },
    )
    return {"page_id": PAGE, "change_id": made["change_id"]}, made["change_id"]


def _change_shown(api: Api, named: dict[str, Any]) -> dict[str, Any]:
    return api("/status-page/change/info", named)


def _affected(change: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["component_id"], c["status"]) for c in change["affected_components"]]


@case("/status-page/change/create")
def _(api: Api) -> None:
    named, change_id = _change(api)
    shown = _change_shown(api, named)
    assert (shown["title"], shown["status"]) == ("API latency", "investigating")
    assert _affected(shown) == [("api", "degraded")]
    listed = api(
        "/status-page/change/list", {"page_id": PAGE, "type": "incident", "status": "investigating"}
    )["items"]
    assert [c["change_id"] for c in listed] == [change_id]


@case("/status-page/change/update")
def _(api: Api) -> None:
    named, _ = _change(api)
    api("/status-page/change/update", {**named, "title": "API errors", "responders": [102]})
    shown = _change_shown(api, named)
    assert (shown["title"], shown["responder_ids"], shown["status"]) == (
        "API errors",
        [102],
        "investigating",
    )


@case("/status-page/change/delete")
def _(api: Api) -> None:
    named, _ = _change(api)
    api("/status-page/change/delete", named)
    assert api.error("/status-page/change/info", named)[1] == "ResourceNotFound"


def _timeline_entry(api: Api, named: dict[str, Any]) -> str:
    shown = _change_shown(api, named)
    return api(
        "/status-page/change/timeline/create",
        {
            **named,
            "status": "resolved",
            "description": "Fixed",
            "at_seconds": shown["start_at_seconds"] + 60,
            "component_changes": [{"component_id": "api", "status": "operational"}],
        },
    )["update_id"]


@case("/status-page/change/timeline/create")
def _(api: Api) -> None:
    named, _ = _change(api)
    update_id = _timeline_entry(api, named)
    shown = _change_shown(api, named)
    assert shown["status"] == "resolved" and shown["updates"][-1]["update_id"] == update_id
    assert _affected(shown) == [("api", "operational")]


@case("/status-page/change/timeline/update")
def _(api: Api) -> None:
    named, _ = _change(api)
    update_id = _timeline_entry(api, named)
    api(
        "/status-page/change/timeline/update",
        {**named, "update_id": update_id, "description": "Rolled back"},
    )
    assert _change_shown(api, named)["updates"][-1]["description"] == "Rolled back"


@case("/status-page/change/timeline/delete")
def _(api: Api) -> None:
    named, _ = _change(api)
    update_id = _timeline_entry(api, named)
    api("/status-page/change/timeline/delete", {**named, "update_id": update_id})
    shown = _change_shown(api, named)
    assert update_id not in [u["update_id"] for u in shown["updates"]]
    assert shown["status"] == "investigating"  # the earlier entry's status again


@case("/status-page/subscriber/import")
def _(api: Api) -> None:
    api(
        "/status-page/subscriber/import",
        {
            "page_id": PAGE,
            "method": "email",
            "subscribers": [
                {"recipient": "a@example.com"},
                {"recipient": "b@example.com", "component_ids": ["db"]},
            ],
        },
    )
    listed = api("/status-page/subscriber/list", {"page_id": PAGE})["items"]
    assert sorted((s["recipient"], s["all"]) for s in listed) == [
        ("a@example.com", True),
        ("b@example.com", False),
    ]


def _job(api: Api, job_id: str) -> dict[str, Any]:
    return api("/status-page/migration/status", {"job_id": job_id})


@case("/status-page/migrate-structure")
def _(api: Api) -> None:
    job_id = api(
        "/status-page/migrate-structure", {"api_key": "statuspage-key", "source_page_id": "abc"}
    )["job_id"]
    job = _job(api, job_id)
    assert (job["phase"], job["status"], job["source_page_id"]) == ("structure", "running", "abc")
    assert job["target_page_id"] > 0


@case("/status-page/migrate-email-subscribers")
def _(api: Api) -> None:
    job_id = api(
        "/status-page/migrate-email-subscribers",
        {"api_key": "statuspage-key", "source_page_id": "abc", "target_page_id": PAGE},
    )["job_id"]
    job = _job(api, job_id)
    assert (job["phase"], job["status"], job["target_page_id"]) == ("subscribers", "running", PAGE)


@case("/status-page/migration/cancel")
def _(api: Api) -> None:
    job_id = api(
        "/status-page/migrate-structure", {"api_key": "statuspage-key", "source_page_id": "abc"}
    )["job_id"]
    api("/status-page/migration/cancel", {"job_id": job_id})
    assert _job(api, job_id)["status"] == "cancelled"


@case("/schedule/create")
def _(api: Api) -> None:
    made = api("/schedule/create", {"schedule_name": "Nights", "team_id": 3001})
    shown = api(
        "/schedule/info",
        {"schedule_id": made["schedule_id"], "start": 1_790_000_000, "end": 1_790_086_400},
    )
    assert shown["schedule_name"] == "Nights"


def _member(api: Api, member_id: int) -> dict[str, Any] | None:
    members = api("/member/list", {"limit": 100})["items"]
    return next((m for m in members if m["member_id"] == member_id), None)


@case("/member/invite")
def _(api: Api) -> None:
    invited = api(
        "/member/invite", {"members": [{"email": "new@example.com", "member_name": "New Person"}]}
    )["items"]
    assert _member(api, invited[0]["member_id"])["member_name"] == "New Person"


@case("/member/delete")
def _(api: Api) -> None:
    api("/member/delete", {"member_id": 130})
    assert _member(api, 130) is None


@case("/member/info/reset")
def _(api: Api) -> None:
    api("/member/info/reset", {"member_id": demo.OWNER_PERSON_ID, "time_zone": "Europe/Berlin"})
    assert api("/member/info")["time_zone"] == "Europe/Berlin"


@case("/member/role/grant", "/member/role/revoke", "/member/role/update")
def _(api: Api) -> None:
    api("/member/role/grant", {"member_id": 102, "role_ids": [5]})
    assert 5 in _member(api, 102)["account_role_ids"]
    api("/member/role/revoke", {"member_id": 102, "role_ids": [5]})
    assert 5 not in _member(api, 102)["account_role_ids"]
    api("/member/role/update", {"member_id": 102, "role_ids": [7]})
    assert _member(api, 102)["account_role_ids"] == [7]


@case("/team/delete")
def _(api: Api) -> None:
    api("/team/delete", {"team_name": "Mobile"})
    assert api.error("/team/info", {"team_id": 3005})[1] == "ResourceNotFound"


@case("/channel/star", "/channel/unstar")
def _(api: Api) -> None:
    api("/channel/star", {"channel_id": 2003})
    starred = api("/channel/list", {"is_my_starred": True})["items"]
    assert [c["channel_id"] for c in starred] == [2003]
    assert api("/channel/info", {"channel_id": 2003})["is_starred"] is True
    api("/channel/unstar", {"channel_id": 2003})
    assert api("/channel/list", {"is_my_starred": True})["items"] == []


@case("/channel/reorder")
def _(api: Api) -> None:
    api("/channel/reorder", {"drag_channel_id": 2008, "target_channel_id": 2001})
    order = [c["channel_id"] for c in api("/channel/list", {"limit": 100})["items"]]
    assert order[:2] == [2008, 2001]


@case("/preference/update")
def _(api: Api) -> None:
    wanted = sample(find_endpoint("/preference/update").request_model)["trigger_notify"]
    wanted["critical"] = ["sms", "voice"]
    api("/preference/update", {"trigger_notify": wanted})
    assert api("/preference/info")["trigger_notify"]["critical"] == wanted["critical"]


def _schema(api: Api) -> str:
    return api(
        "/enrichment/mapping/schema/create",
        {"schema_name": "hosts", "source_labels": ["host"], "result_labels": ["owner"]},
    )["schema_id"]


def _rows(api: Api, schema_id: str) -> list[dict[str, Any]]:
    return api("/enrichment/mapping/data/list", {"schema_id": schema_id})["items"]


@case(
    "/enrichment/mapping/data/upsert",
    "/enrichment/mapping/data/delete",
    "/enrichment/mapping/data/truncate",
)
def _(api: Api) -> None:
    schema_id = _schema(api)
    api(
        "/enrichment/mapping/data/upsert",
        {
            "schema_id": schema_id,
            "docs": [{"host": "db-1", "owner": "dba"}, {"host": "web-1", "owner": "web"}],
        },
    )
    assert sorted(r["key"] for r in _rows(api, schema_id)) == ["db-1", "web-1"]
    api("/enrichment/mapping/data/delete", {"schema_id": schema_id, "keys": ["db-1"]})
    assert [r["fields"] for r in _rows(api, schema_id)] == [{"host": "web-1", "owner": "web"}]
    api("/enrichment/mapping/data/truncate", {"schema_id": schema_id})
    assert _rows(api, schema_id) == []


# -- the table ------------------------------------------------------------------------------


def _refused(api: Api, path: str) -> None:
    endpoint = find_endpoint(path)
    response = api.raw(path, sample(endpoint.request_model))
    error = response.json()["error"]
    assert (response.status_code, error["code"]) == (400, NOT_EMULATED_CODE), error
    assert error["message"] == f"{path} is not emulated: {NOT_EMULATED[path]}"


@pytest.mark.parametrize("path", WRITE_PATHS)
def test_write_changes_what_reads_show(api, path):
    if path in NOT_EMULATED:
        _refused(api, path)
        return
    check = CASES.get(path) or resource_case(path)
    if check is None:
        pytest.fail(
            f"{path} writes but has no state case here and is not refused as not "
            "emulated: add a case showing its change through a read endpoint"
        )
    check(api)


def test_a_write_without_a_handler_is_refused_not_faked(api):
    from flashcat_prefect.emulator.handlers.base import HANDLERS

    path = "/channel/star"
    handler = HANDLERS.pop(path)
    try:
        status, code, message = api.error(path, {"channel_id": 2001})
    finally:
        HANDLERS[path] = handler
    assert (status, code) == (400, NOT_EMULATED_CODE) and "is not emulated" in message


def test_the_coverage_page_is_generated_and_in_sync():
    page = Path(__file__).resolve().parent.parent / "docs" / "emulator-coverage.md"
    assert page.read_text(encoding="utf-8") == render_markdown(), (
        "docs/emulator-coverage.md drifted: run python tools/emulator_coverage.py"
    )


def test_the_coverage_page_marks_each_refused_write_and_each_sampled_read():
    rows = {row.path: row for row in coverage_rows()}
    assert {p for p, r in rows.items() if r.writes and not r.stateful} == set(NOT_EMULATED)
    assert rows["/incident/war-room/add-member"].stateful
    assert not rows["/report/oncall/trend"].stateful  # a read still answered by a sample
