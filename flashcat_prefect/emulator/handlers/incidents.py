"""Incidents: listing over time and the whole lifecycle.

``/incident/list`` selects incidents whose ``start_time`` lies in ``[start_time, end_time]``
(both inclusive, at most 31 days apart), newest first unless ``asc`` is true, filtered by
channel, team, severity, progress, people, ids and title text. It pages with ``p``/``limit``
or with the ``search_after_ctx`` cursor (the id of the last incident served).

Lifecycle: ack → Processing, unack → Triggered, resolve → Closed (by the acting person),
reopen → Triggered again, snooze/wake, assign/reassign, add responders, merge (sources are
closed into the target), comments, field and text resets, custom actions and removal; each
step adds a feed item and is announced to the state's event hooks.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from flashcat_prefect.emulator.errors import ApiError, invalid, not_found
from flashcat_prefect.emulator.handlers.alerts import embedded_alerts
from flashcat_prefect.emulator.handlers.base import RequestContext, handles
from flashcat_prefect.emulator.ids import ACCOUNT_ID
from flashcat_prefect.emulator.incident_table import (
    CLOSED_BY_PERSON,
    MERGED,
    NO_RULE,
    OPEN,
    SEVERITIES,
    IncidentTable,
)
from flashcat_prefect.emulator.pagination import capped_total, page_request

ESCALATION_RULES = "/channel/escalate/rule"

# -- reading --------------------------------------------------------------------------------


def cursor_page(
    table: IncidentTable,
    rows: np.ndarray,
    body: dict[str, Any],
    *,
    limit_max: int,
    to_items: Any = None,
) -> dict[str, Any]:
    """One page of ``rows`` (ascending row numbers) by cursor or by ``p``/``limit``."""
    ascending = bool(body.get("asc"))
    ordered = rows if ascending else rows[::-1]
    cursor = body.get("search_after_ctx")
    if cursor:
        page = page_request({"limit": body.get("limit")}, limit_max=limit_max)
        try:
            after = table.row_of(cursor, include_deleted=True)
        except ApiError:
            raise invalid(
                f"search_after_ctx: {cursor!r} is not a cursor this list issued"
            ) from None
        position = int(np.searchsorted(rows, after, side="right" if ascending else "left"))
        offset = position if ascending else len(rows) - position
    else:
        page = page_request(body, limit_max=limit_max)
        offset = page.offset
    chosen = ordered[offset : offset + page.limit]
    items = (to_items or table.dicts)(chosen)
    has_next = offset + len(chosen) < len(rows)
    answer: dict[str, Any] = {
        "items": items,
        "total": capped_total(len(rows)),
        "has_next_page": has_next,
    }
    if has_next and len(chosen):
        answer["search_after_ctx"] = table.incident_id(int(chosen[-1]))
    return answer


@handles("/incident/list")
def list_incidents(ctx: RequestContext) -> dict[str, Any]:
    table = ctx.state.incidents
    body = ctx.body
    lo, hi = table.range_rows(body["start_time"], body["end_time"])
    rows = table.select(body, lo=lo, hi=hi, viewer=ctx.person_id, now=ctx.now)
    return cursor_page(table, rows, body, limit_max=ctx.endpoint.page_limit_max)


@handles("/incident/info")
def incident_info(ctx: RequestContext) -> dict[str, Any]:
    table = ctx.state.incidents
    row = table.row_of(ctx.body["incident_id"])
    return {**table.to_dict(row), "alerts": embedded_alerts(ctx, row)}


@handles("/incident/list-by-ids")
def incidents_by_ids(ctx: RequestContext) -> dict[str, Any]:
    table = ctx.state.incidents
    items = []
    for incident_id in ctx.body["incident_ids"]:
        try:
            items.append(table.to_dict(table.row_of(incident_id)))
        except ApiError:
            continue
    return {"items": items, "total": len(items), "has_next_page": False}


@handles("/incident/past/list")
def past_incidents(ctx: RequestContext) -> dict[str, Any]:
    table = ctx.state.incidents
    row = table.row_of(ctx.body["incident_id"])
    title = table.cols["title"][row]
    same = np.nonzero(
        (table.cols["title"][: table.size] == title) & ~table.cols["deleted"][: table.size]
    )[0]
    earlier = same[same < row][::-1][: int(ctx.body.get("limit") or 5)]
    return {"items": [table.to_dict(int(r)) for r in earlier], "total": len(earlier)}


@handles("/incident/feed")
def incident_feed(ctx: RequestContext) -> dict[str, Any]:
    table = ctx.state.incidents
    row = table.row_of(ctx.body["incident_id"])
    items = feed_of(table, row)
    types = set(ctx.body.get("types") or [])
    if types:
        items = [i for i in items if i["type"] in types]
    if not ctx.body.get("asc"):
        items = items[::-1]
    page = page_request(ctx.body, limit_max=ctx.endpoint.page_limit_max)
    chunk = items[page.offset : page.offset + page.limit]
    return {
        "items": chunk,
        "has_next_page": page.offset + len(chunk) < len(items),
        "total": capped_total(len(items)),
    }


def feed_of(table: IncidentTable, row: int) -> list[dict[str, Any]]:
    """The feed of an incident, oldest first: stored once edited, else derived from columns."""
    stored = table.overlay.get(row, {}).get("feed")
    if stored is not None:
        return stored
    c = table.cols
    start, ack, close = int(c["start"][row]), int(c["ack"][row]), int(c["close"][row])
    resp1 = int(c["resp1"][row])
    incident_id = table.incident_id(row)
    resp2, escalated_at = int(c["resp2"][row]), int(c["escalated_at"][row])
    rule_id, rule_name = table.rules[int(c["rule"][row])]
    first_layer = [resp1] if escalated_at else [p for p in (resp1, resp2) if p]
    steps: list[tuple[str, int, int, dict[str, Any]]] = [
        (
            "i_new",
            start,
            int(c["creator"][row]),
            {
                "severity": SEVERITIES[int(c["severity"][row])],
                "title": table.titles[int(c["title"][row])],
            },
        ),
        (
            "i_assign",
            start,
            0,
            {
                "person_ids": first_layer,
                "type": "assign",
                "layer_idx": 0,
                "escalate_rule_id": rule_id,
                "escalate_rule_name": rule_name,
            },
        ),
    ]
    if escalated_at:
        steps.append(
            (
                "i_assign",
                escalated_at,
                0,
                {
                    "person_ids": [resp2],
                    "type": "escalate",
                    "layer_idx": int(c["layer"][row]),
                    "escalate_rule_id": rule_id,
                    "escalate_rule_name": rule_name,
                },
            )
        )
    if ack:
        steps.append(("i_ack", ack, int(c["acker"][row]), {}))
    if close:
        steps.append(
            (
                "i_rslv",
                close,
                int(c["closer"][row]),
                {
                    "by": "person"
                    if c["closed_kind"][row] == CLOSED_BY_PERSON
                    else "alert_recovered"
                },
            )
        )
    return [
        _feed_item(incident_id, kind, at, creator, detail) for kind, at, creator, detail in steps
    ]


def _feed_item(
    incident_id: str, kind: str, at: int, creator: int, detail: dict[str, Any]
) -> dict[str, Any]:
    """One feed entry; ``ref_id`` is the incident it belongs to (an ObjectID, as documented)."""
    return {
        "ref_id": incident_id,
        "type": kind,
        "detail": detail,
        "account_id": ACCOUNT_ID,
        "creator_id": creator,
        "created_at": at,
        "updated_at": at,
    }


# -- lifecycle ------------------------------------------------------------------------------


def record_step(
    ctx: RequestContext,
    row: int,
    kind: str,
    detail: dict[str, Any] | None = None,
    announce: dict[str, Any] | None = None,
) -> None:
    """Append a feed item for ``row``, mark it updated and tell the hooks (the incident
    they get carries the ``announce`` fields too)."""
    table = ctx.state.incidents
    extra = table.extra(row)
    feed = extra["feed"] = feed_of(table, row)  # the stored feed, or the derived one to store
    feed.append(_feed_item(table.incident_id(row), kind, ctx.now, ctx.person_id, detail or {}))
    extra["updated_at"] = ctx.now
    table.emit(kind, row, announce)


def _rows(ctx: RequestContext, key: str = "incident_ids") -> list[int]:
    table = ctx.state.incidents
    ids = ctx.body.get(key) or ([ctx.body["incident_id"]] if ctx.body.get("incident_id") else [])
    if not ids:
        raise invalid(f"{key}: at least one incident id is required")
    return [table.row_of(i) for i in ids]


@handles("/incident/ack")
def ack(ctx: RequestContext) -> None:
    c = ctx.state.incidents.cols
    for row in _rows(ctx):
        if c["close"][row] or c["ack"][row]:
            continue
        c["ack"][row] = ctx.now
        c["acker"][row] = ctx.person_id
        if not c["resp1"][row]:
            c["resp1"][row] = ctx.person_id
        _set_acknowledged(ctx, row, ctx.now)
        record_step(ctx, row, "i_ack")


@handles("/incident/unack")
def unack(ctx: RequestContext) -> None:
    c = ctx.state.incidents.cols
    for row in _rows(ctx):
        if c["close"][row] or not c["ack"][row]:
            continue
        c["ack"][row] = 0
        _set_acknowledged(ctx, row, 0)
        record_step(ctx, row, "i_unack")


def _set_acknowledged(ctx: RequestContext, row: int, at: int) -> None:
    extra = ctx.state.incidents.overlay.get(row)
    if extra and "responders" in extra:
        for responder in extra["responders"]:
            if responder["person_id"] == ctx.person_id or not at:
                responder["acknowledged_at"] = at


@handles("/incident/resolve")
def resolve(ctx: RequestContext) -> None:
    c = ctx.state.incidents.cols
    for row in _rows(ctx):
        if c["close"][row]:
            continue
        close_row(ctx, row, CLOSED_BY_PERSON)
        record_step(ctx, row, "i_rslv", {"by": "person"})


def close_row(ctx: RequestContext, row: int, kind: int) -> None:
    c = ctx.state.incidents.cols
    c["close"][row] = ctx.now
    c["closed_kind"][row] = kind
    c["closer"][row] = ctx.person_id if kind in (CLOSED_BY_PERSON, MERGED) else 0
    for alert in ctx.state.alerts.values():
        if alert.get("_row") == row and not alert["end_time"]:
            alert["end_time"] = ctx.now


@handles("/incident/reopen")
def reopen(ctx: RequestContext) -> None:
    c = ctx.state.incidents.cols
    for row in _rows(ctx):
        if not c["close"][row]:
            continue
        c["close"][row] = 0
        c["ack"][row] = 0
        c["closed_kind"][row] = OPEN
        c["closer"][row] = 0
        record_step(ctx, row, "i_reopen")


@handles("/incident/snooze")
def snooze(ctx: RequestContext) -> None:
    minutes = ctx.body["minutes"]
    if not 1 <= minutes <= 1440:
        raise invalid("minutes: must be between 1 and 1440")
    c = ctx.state.incidents.cols
    for row in _rows(ctx):
        c["snoozed"][row] = ctx.now + minutes * 60
        record_step(
            ctx, row, "i_snooze", {"minutes": minutes, "snoozedBefore": int(c["snoozed"][row])}
        )


@handles("/incident/wake")
def wake(ctx: RequestContext) -> None:
    c = ctx.state.incidents.cols
    for row in _rows(ctx):
        c["snoozed"][row] = 0
        record_step(ctx, row, "i_wake")


@handles("/incident/assign")
def assign(ctx: RequestContext) -> None:
    table = ctx.state.incidents
    target = ctx.body["assigned_to"]
    person_ids = list(target.get("person_ids") or [])
    check_people(ctx, person_ids)
    for row in _rows(ctx):
        before = table.to_dict(row)
        kind = "reassign" if before["assigned_to"].get("person_ids") else "assign"
        extra = table.extra(row)
        extra["assigned_to"] = {
            **before["assigned_to"],
            **target,
            "type": kind,
            "person_ids": person_ids,
            "assigned_at": ctx.now,
        }
        extra["responders"] = [_responder(ctx, pid) for pid in person_ids]
        table.set_responder_columns(row, person_ids)
        record_step(ctx, row, "i_assign", {"person_ids": person_ids, "type": kind})


@handles("/incident/responder/add")
def add_responders(ctx: RequestContext) -> None:
    table = ctx.state.incidents
    person_ids = ctx.body["person_ids"]
    check_people(ctx, person_ids)
    row = table.row_of(ctx.body["incident_id"])
    current = table.to_dict(row)["responders"]
    known = {r["person_id"] for r in current}
    table.extra(row)["responders"] = current + [
        _responder(ctx, pid) for pid in person_ids if pid not in known
    ]
    record_step(ctx, row, "i_a_rspd", {"to": person_ids})


def _responder(ctx: RequestContext, person_id: int) -> dict[str, Any]:
    short = ctx.state.incidents.directory.person_short(person_id) or {}
    return {
        "person_id": person_id,
        "assigned_at": ctx.now,
        "acknowledged_at": 0,
        "person_name": short.get("person_name", ""),
        "email": short.get("email", ""),
    }


def check_people(ctx: RequestContext, person_ids: list[int]) -> None:
    """ResourceNotFound naming the first id that is no member of the account."""
    members = ctx.state.store.collection("/member").records
    for pid in person_ids:
        if pid not in members:
            raise not_found("person_id", pid)


@handles("/incident/comment")
def comment(ctx: RequestContext) -> None:
    for row in _rows(ctx):
        record_step(
            ctx,
            row,
            "i_comm",
            {
                "comment": ctx.body.get("comment", ""),
                "mute_reply": bool(ctx.body.get("mute_reply")),
            },
        )


_RESET_FEED = {
    "title": "i_r_title",
    "description": "i_r_desc",
    "impact": "i_r_impact",
    "root_cause": "i_r_rc",
    "resolution": "i_r_rsltn",
}


@handles("/incident/reset")
def reset_fields(ctx: RequestContext) -> None:
    table = ctx.state.incidents
    row = table.row_of(ctx.body["incident_id"])
    for key, kind in _RESET_FEED.items():
        if key in ctx.body:
            table.extra(row)[key] = ctx.body[key]
            record_step(ctx, row, kind, {key: ctx.body[key]})
    if "incident_severity" in ctx.body:
        if ctx.body["incident_severity"] not in SEVERITIES:
            raise invalid(f"incident_severity: must be one of {', '.join(SEVERITIES)}")
        table.cols["severity"][row] = SEVERITIES.index(ctx.body["incident_severity"])
        record_step(ctx, row, "i_r_severity", {"severity": ctx.body["incident_severity"]})


_LEGACY_RESETS = {
    "/incident/title/reset": "title",
    "/incident/description/reset": "description",
    "/incident/impact/reset": "impact",
    "/incident/root-cause/reset": "root_cause",
    "/incident/resolution/reset": "resolution",
    "/incident/severity/reset": "incident_severity",
}


@handles(*_LEGACY_RESETS)
def legacy_reset(ctx: RequestContext) -> None:
    """The older one-field reset paths, folded into ``/incident/reset`` by the API."""
    field = _LEGACY_RESETS[ctx.endpoint.path]
    value = ctx.body.get(field, ctx.body.get("severity"))
    reset_fields(
        RequestContext(
            ctx.state,
            ctx.endpoint,
            {"incident_id": ctx.body["incident_id"], field: value},
            ctx.query,
            ctx.integration,
            ctx.person_id,
        )
    )


@handles("/incident/field/reset")
def reset_custom_field(ctx: RequestContext) -> None:
    table = ctx.state.incidents
    row = table.row_of(ctx.body["incident_id"])
    fields = table.extra(row).setdefault("fields", {})
    fields[ctx.body["field_name"]] = ctx.body.get("field_value")
    record_step(ctx, row, "i_r_field", {"field_name": ctx.body["field_name"]})


@handles("/incident/merge")
def merge(ctx: RequestContext) -> None:
    table = ctx.state.incidents
    target = table.row_of(ctx.body["target_incident_id"])
    sources = []
    for incident_id in ctx.body["source_incident_ids"]:
        try:
            row = table.row_of(incident_id)
        except ApiError:
            continue  # unknown or already removed sources are skipped
        if row != target:
            sources.append(row)
    moved = 0
    for row in sources:
        moved += int(table.to_dict(row)["alert_cnt"])
        if not table.cols["close"][row]:
            close_row(ctx, row, MERGED)
        if ctx.body.get("remove_source_incidents"):
            table.cols["deleted"][row] = True
        for alert in ctx.state.alerts.values():
            if alert.get("_row") == row:
                alert["_row"] = target
    extra = table.extra(target)
    extra["alert_cnt"] = int(table.to_dict(target)["alert_cnt"]) + moved
    if ctx.body.get("title"):
        extra["title"] = ctx.body["title"]
    record_step(
        ctx,
        target,
        "i_merge",
        {
            "source_incidents": [{"incident_id": table.incident_id(r)} for r in sources],
            "comment": ctx.body.get("comment", ""),
        },
    )


@handles("/incident/remove")
def remove(ctx: RequestContext) -> None:
    table = ctx.state.incidents
    for row in _rows(ctx):
        table.cols["deleted"][row] = True


@handles("/incident/custom-action/do")
def custom_action(ctx: RequestContext) -> dict[str, Any]:
    table = ctx.state.incidents
    row = table.row_of(ctx.body["incident_id"])
    record_step(
        ctx,
        row,
        "i_custom",
        {"integration_id": ctx.body["integration_id"]},
        announce={"alerts": embedded_alerts(ctx, row)},
    )  # the callback lists the alerts
    return {"message": "ok"}


@handles("/incident/create")
def create(ctx: RequestContext) -> dict[str, Any]:
    state = ctx.state
    body = ctx.body
    channel_id = body.get("channel_id") or 0
    if channel_id:
        state.store.collection("/channel").get(channel_id)
    assigned = body.get("assigned_to") or {}
    person_ids = list(assigned.get("person_ids") or [])
    check_people(ctx, person_ids)
    title = body.get("title") or "Untitled incident"
    table = state.incidents
    rule = _named_rule(ctx, channel_id, assigned.get("escalate_rule_id") or "")
    row = table.append(
        start=ctx.now,
        channel=channel_id,
        severity=SEVERITIES.index(body["incident_severity"]),
        creator=ctx.person_id,
        responders=person_ids,
        title=title,
        rule=rule,
    )
    extra = table.extra(row)
    extra["description"] = body.get("description", "")
    extra["alert_cnt"] = 0
    if person_ids:
        extra["responders"] = [_responder(ctx, pid) for pid in person_ids]
        extra["assigned_to"] = {**table.to_dict(row)["assigned_to"], "person_ids": person_ids}
    extra["feed"] = []
    record_step(ctx, row, "i_new", {"severity": body["incident_severity"], "title": title})
    if person_ids:
        record_step(ctx, row, "i_assign", {"person_ids": person_ids, "type": "assign"})
    return {"incident_id": table.incident_id(row), "title": title}


def _named_rule(ctx: RequestContext, channel_id: int, rule_id: str) -> tuple[str, str]:
    """(id, name) of the escalation rule a new incident names, as it is now; no rule
    when it names none (ResourceNotFound for a rule that does not exist)."""
    if not rule_id:
        return NO_RULE
    rule = ctx.state.store.collection(ESCALATION_RULES).get(rule_id)
    if channel_id and rule.get("channel_id") != channel_id:
        raise not_found("escalate_rule_id", rule_id)
    return rule_id, str(rule.get("rule_name") or "")


@handles("/incident/disable-merge")
def disable_merge(ctx: RequestContext) -> None:
    for row in _rows(ctx):
        ctx.state.incidents.extra(row)["merge_disabled"] = True
