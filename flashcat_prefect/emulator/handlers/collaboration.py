"""War rooms and post-mortems: the records people work on around an incident.

War rooms are IM group chats opened for an incident through an IM integration. One per
(incident, integration); ``/incident/war-room/detail`` names it by ``chat_id`` and shows
its members as ``member_ids`` (the spec's ``WarRoom`` has no member field; the emulator adds
one so ``add-member`` can be seen). Creating and deleting one adds ``i_wr_create`` /
``i_wr_delete`` to the incident's feed.

Post-mortems are stored as one record (the list item fields) plus ``basics``, ``content``
and ``follow_ups``; ``/incident/post-mortem/info`` answers them as ``{meta, basics,
content, follow_ups}``. ``init`` drafts one from incidents and a template.
"""

from __future__ import annotations

from typing import Any

from flashcat_prefect.emulator.errors import invalid, not_found
from flashcat_prefect.emulator.handlers.base import RequestContext, handles
from flashcat_prefect.emulator.handlers.incidents import check_people, record_step
from flashcat_prefect.emulator.ids import ACCOUNT_ID
from flashcat_prefect.emulator.incident_table import SEVERITIES
from flashcat_prefect.emulator.pagination import page_request, paginate

WAR_ROOMS = "/incident/war-room"
POST_MORTEMS = "/incident/post-mortem"
POST_MORTEM_TEMPLATES = "/incident/post-mortem/template"


# -- war rooms --------------------------------------------------------------------------------


def _rooms(ctx: RequestContext) -> dict[Any, dict[str, Any]]:
    return ctx.state.store.collection(WAR_ROOMS).records


def _room(ctx: RequestContext) -> dict[str, Any]:
    room = _rooms(ctx).get(ctx.body["chat_id"])
    if room is None or room["integration_id"] != ctx.body["integration_id"]:
        raise not_found("chat_id", ctx.body["chat_id"])
    return room


def _room_detail(room: dict[str, Any]) -> dict[str, Any]:
    return {
        "chat_id": room["chat_id"],
        "chat_name": room["chat_name"],
        "share_link": room["share_link"],
        "member_ids": list(room["member_ids"]),
    }


@handles(f"{WAR_ROOMS}/create")
def create_war_room(ctx: RequestContext) -> dict[str, Any]:
    table = ctx.state.incidents
    body = ctx.body
    row = table.row_of(body["incident_id"])
    members = list(dict.fromkeys(body.get("member_ids") or []))
    check_people(ctx, members)
    if any(
        r["incident_id"] == body["incident_id"] and r["integration_id"] == body["integration_id"]
        for r in _rooms(ctx).values()
    ):
        raise invalid("incident_id: the incident already has a war room on this integration")
    if body.get("add_observers"):
        members += [p for p in _observers(ctx, row) if p not in members]
    incident = table.to_dict(row)
    chat_id = f"oc_{ctx.state.ids.hex(24)}"
    room = {
        "account_id": ACCOUNT_ID,
        "integration_id": body["integration_id"],
        "created_by": ctx.person_id,
        "chat_id": chat_id,
        "incident_id": incident["incident_id"],
        "status": "active",
        "created_at": ctx.now,
        "plugin_type": "im",
        "chat_name": f"[{incident['num']}] {incident['title']}",
        "share_link": f"https://im.example.com/chat/{chat_id}",
        "member_ids": members,
    }
    _rooms(ctx)[chat_id] = room
    record_step(
        ctx, row, "i_wr_create", {"chat_id": chat_id, "integration_id": body["integration_id"]}
    )
    return _room_detail(room)


def _observers(ctx: RequestContext, row: int) -> list[int]:
    """The incident's responders: who a war room adds as observers."""
    return [r["person_id"] for r in ctx.state.incidents.to_dict(row)["responders"]]


@handles(f"{WAR_ROOMS}/list")
def list_war_rooms(ctx: RequestContext) -> dict[str, Any]:
    ctx.state.incidents.row_of(ctx.body["incident_id"])
    wanted = ctx.body.get("integration_id")
    rooms = [
        r
        for r in _rooms(ctx).values()
        if r["incident_id"] == ctx.body["incident_id"]
        and (not wanted or r["integration_id"] == wanted)
    ]
    return {
        "items": [
            {k: v for k, v in r.items() if k not in ("chat_name", "share_link")} for r in rooms
        ]
    }


@handles(f"{WAR_ROOMS}/detail")
def war_room_detail(ctx: RequestContext) -> dict[str, Any]:
    return _room_detail(_room(ctx))


@handles(f"{WAR_ROOMS}/add-member")
def add_war_room_members(ctx: RequestContext) -> None:
    room = _room(ctx)
    check_people(ctx, ctx.body["member_ids"])
    room["member_ids"] += [p for p in ctx.body["member_ids"] if p not in room["member_ids"]]


@handles(f"{WAR_ROOMS}/delete")
def delete_war_room(ctx: RequestContext) -> None:
    table = ctx.state.incidents
    row = table.row_of(ctx.body["incident_id"])
    rooms = _rooms(ctx)
    doomed = [
        chat
        for chat, r in rooms.items()
        if r["incident_id"] == ctx.body["incident_id"]
        and r["integration_id"] == ctx.body["integration_id"]
    ]
    if not doomed:
        raise not_found("integration_id", ctx.body["integration_id"])
    for chat_id in doomed:
        del rooms[chat_id]
        record_step(
            ctx,
            row,
            "i_wr_delete",
            {"chat_id": chat_id, "integration_id": ctx.body["integration_id"]},
        )


# -- post-mortems -----------------------------------------------------------------------------

_META_FIELDS = (
    "account_id",
    "title",
    "status",
    "post_mortem_id",
    "template_id",
    "incident_ids",
    "media_count",
    "author_ids",
    "team_id",
    "channel_id",
    "is_private",
    "channel_name",
    "created_at_seconds",
    "updated_at_seconds",
)


def _post_mortem(ctx: RequestContext) -> dict[str, Any]:
    return ctx.state.store.collection(POST_MORTEMS).get(ctx.body["post_mortem_id"])


def post_mortem_answer(record: dict[str, Any]) -> dict[str, Any]:
    """A stored post-mortem as ``info`` answers it."""
    meta = {k: record.get(k) for k in _META_FIELDS}
    meta.update(revision=record.get("revision", 1), generation=record.get("generation", 0))
    return {
        "meta": meta,
        "basics": record.get("basics") or _empty_basics(),
        "content": {"content": record.get("content", "")},
        "follow_ups": record.get("follow_ups", ""),
    }


def _empty_basics() -> dict[str, Any]:
    return {
        "incidents_highest_severity": "",
        "incidents_earliest_start_seconds": 0,
        "incidents_latest_close_seconds": 0,
        "incidents_total_duration_seconds": 0,
        "responders": [],
    }


def _touch(ctx: RequestContext, record: dict[str, Any], **changes: Any) -> None:
    record.update(changes, updated_at_seconds=ctx.now, revision=record.get("revision", 1) + 1)
    if ctx.person_id not in (record.get("author_ids") or []):
        record["author_ids"] = [*(record.get("author_ids") or []), ctx.person_id]


@handles(f"{POST_MORTEMS}/info")
def post_mortem_info(ctx: RequestContext) -> dict[str, Any]:
    return post_mortem_answer(_post_mortem(ctx))


@handles(f"{POST_MORTEMS}/list")
def post_mortem_list(ctx: RequestContext) -> dict[str, Any]:
    body = ctx.body
    records = [
        {k: r.get(k) for k in _META_FIELDS}
        for r in ctx.state.store.collection(POST_MORTEMS).values()
        if (not body.get("status") or r.get("status") == body["status"])
        and (not body.get("team_ids") or r.get("team_id") in body["team_ids"])
        and (not body.get("channel_ids") or r.get("channel_id") in body["channel_ids"])
        and r.get("created_at_seconds", 0) >= (body.get("created_at_start_seconds") or 0)
        and (
            not body.get("created_at_end_seconds")
            or r.get("created_at_seconds", 0) <= body["created_at_end_seconds"]
        )
    ]
    order = body.get("order_by") or "created_at_seconds"
    records.sort(key=lambda r: r.get(order) or 0, reverse=not body.get("asc"))
    items, meta = paginate(records, page_request(body, limit_max=ctx.endpoint.page_limit_max))
    return {"items": items, **meta}


@handles(f"{POST_MORTEMS}/init")
def init_post_mortem(ctx: RequestContext) -> dict[str, Any]:
    """A draft from the incidents (their severity, span and responders) and a template."""
    table = ctx.state.incidents
    template = ctx.state.store.collection(POST_MORTEM_TEMPLATES).get(ctx.body["template_id"])
    incidents = [table.to_dict(table.row_of(i)) for i in ctx.body["incident_ids"]]
    if not incidents:
        raise invalid("incident_ids: at least one incident id is required")
    first = incidents[0]
    starts = [i["start_time"] for i in incidents]
    closes = [i["close_time"] for i in incidents if i["close_time"]]
    responders = {r["person_id"]: r for i in incidents for r in i["responders"]}
    severity = min(
        (
            SEVERITIES.index(i["incident_severity"])
            for i in incidents
            if i["incident_severity"] in SEVERITIES
        ),
        default=len(SEVERITIES) - 1,
    )
    channel = ctx.state.store.collection("/channel").records.get(first["channel_id"], {})
    record = ctx.state.store.new_record(
        POST_MORTEMS,
        {
            "account_id": ACCOUNT_ID,
            "title": f"Post-mortem: {first['title']}",
            "status": "drafting",
            "template_id": template["template_id"],
            "incident_ids": [i["incident_id"] for i in incidents],
            "media_count": 0,
            "author_ids": [ctx.person_id],
            "team_id": channel.get("team_id", 0),
            "channel_id": first["channel_id"],
            "is_private": False,
            "channel_name": first["channel_name"],
            "created_at_seconds": ctx.now,
            "updated_at_seconds": ctx.now,
            "revision": 1,
            "generation": 0,
            "content": template.get("content", ""),
            "follow_ups": "",
            "basics": {
                "incidents_highest_severity": SEVERITIES[severity],
                "incidents_earliest_start_seconds": min(starts),
                "incidents_latest_close_seconds": max(closes, default=0),
                "incidents_total_duration_seconds": sum(
                    (i["close_time"] or ctx.now) - i["start_time"] for i in incidents
                ),
                "responders": list(responders.values()),
            },
        },
    )
    for incident in incidents:
        table.extra(table.row_of(incident["incident_id"]))["post_mortem_id"] = record[
            "post_mortem_id"
        ]
    return post_mortem_answer(record)


@handles(f"{POST_MORTEMS}/delete")
def delete_post_mortem(ctx: RequestContext) -> None:
    record = _post_mortem(ctx)
    del ctx.state.store.collection(POST_MORTEMS).records[record["post_mortem_id"]]


@handles(f"{POST_MORTEMS}/title/reset")
def reset_post_mortem_title(ctx: RequestContext) -> None:
    _touch(ctx, _post_mortem(ctx), title=ctx.body["title"])


@handles(f"{POST_MORTEMS}/status/reset")
def reset_post_mortem_status(ctx: RequestContext) -> None:
    _touch(ctx, _post_mortem(ctx), status=ctx.body["status"])


@handles(f"{POST_MORTEMS}/follow-ups/reset")
def reset_post_mortem_follow_ups(ctx: RequestContext) -> None:
    _touch(ctx, _post_mortem(ctx), follow_ups=ctx.body.get("follow_ups") or "")


@handles(f"{POST_MORTEMS}/content/reset")
def reset_post_mortem_content(ctx: RequestContext) -> None:
    """The content as markdown; a stale ``expected_revision`` is refused."""
    record = _post_mortem(ctx)
    if ctx.body["expected_revision"] != record.get("revision", 1):
        raise invalid(
            f"expected_revision: the post-mortem is at revision "
            f"{record.get('revision', 1)}, not {ctx.body['expected_revision']}"
        )
    _touch(ctx, record, content=ctx.body["markdown"])


@handles(f"{POST_MORTEMS}/basics/reset")
def reset_post_mortem_basics(ctx: RequestContext) -> None:
    body = ctx.body
    check_people(ctx, body["responder_ids"])
    directory = ctx.state.incidents.directory
    _touch(
        ctx,
        _post_mortem(ctx),
        basics={
            **{
                k: body[k]
                for k in (
                    "incidents_highest_severity",
                    "incidents_earliest_start_seconds",
                    "incidents_latest_close_seconds",
                    "incidents_total_duration_seconds",
                )
            },
            "responders": [
                {
                    "person_id": p,
                    "assigned_at": 0,
                    "acknowledged_at": 0,
                    **{
                        k: v
                        for k, v in (directory.person_short(p) or {}).items()
                        if k != "person_id"
                    },
                }
                for p in body["responder_ids"]
            ],
        },
    )
