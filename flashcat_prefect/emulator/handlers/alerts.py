"""Alerts and the Event API.

A push to ``/event/push/alert/standard`` lands on the integration's channel. Events with the
same ``alert_key`` (per integration) update one active alert; an ``Ok`` event recovers it,
and an incident whose alerts have all recovered closes (status ``Ok``). A new alert joins
the open incident of its channel with the same title (unless ``/incident/disable-merge``
closed that incident to new alerts), or opens a new one assigned like the channel's
enabled escalation rule says (its first layer's people).

Seeded incidents each carry one derived alert (same start, channel and title).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from flashcat_prefect.emulator.errors import ApiError, not_found
from flashcat_prefect.emulator.handlers.base import RequestContext, handles
from flashcat_prefect.emulator.ids import ACCOUNT_ID
from flashcat_prefect.emulator.incident_table import (
    CLOSED_BY_RECOVERY,
    NO_RULE,
    SEVERITIES,
    IncidentTable,
    name_codes,
)
from flashcat_prefect.emulator.pagination import offset_page, page_request

_PRIVATE = ("_row", "_events", "_integration")


def public(alert: dict[str, Any], table: IncidentTable | None = None) -> dict[str, Any]:
    """The alert as the API shows it: no bookkeeping, plus its incident when known."""
    shown = {k: v for k, v in alert.items() if k not in _PRIVATE}
    row = alert.get("_row")
    if table is not None and row is not None and "incident" not in shown:
        incident = table.to_dict(row)
        shown["incident"] = {
            "incident_id": incident["incident_id"],
            "title": incident["title"],
            "progress": incident["progress"],
        }
    return shown


def derived_alert(table: IncidentTable, row: int) -> dict[str, Any]:
    """The one alert behind a seeded incident."""
    incident = table.to_dict(row)
    closed = incident["incident_status"] == "Ok"
    return {
        "alert_id": table.alert_id(row),
        "integration_id": incident["integration_id"],
        "data_source_id": incident["integration_id"],
        "channel_id": incident["channel_id"],
        "account_id": ACCOUNT_ID,
        "title": incident["title"],
        "title_rule": incident["title"],
        "description": "",
        "alert_key": incident["incident_id"],
        "alert_severity": incident["incident_severity"],
        "alert_status": "Ok" if closed else incident["incident_severity"],
        "start_time": incident["start_time"],
        "last_time": incident["last_time"],
        "end_time": incident["end_time"],
        "labels": incident["labels"],
        "ever_muted": False,
        "created_at": incident["start_time"],
        "updated_at": incident["last_time"],
        "integration_name": "Prometheus",
        "integration_type": "prometheus",
        "integration_ref_id": "",
        "channel_name": incident["channel_name"],
        "channel_status": "enabled",
        "responder_name": "",
        "responder_email": "",
        "event_cnt": 1,
        "images": [],
        "data_source_name": "Prometheus",
        "data_source_ref_id": "",
        "incident": {
            "incident_id": incident["incident_id"],
            "title": incident["title"],
            "progress": incident["progress"],
        },
    }


def alerts_of_incident(ctx: RequestContext, row: int) -> list[dict[str, Any]]:
    pushed = [a for a in ctx.state.alerts.values() if a["_row"] == row]
    if pushed:
        return pushed
    table = ctx.state.incidents
    if table.cols["creator"][row] or table.overlay.get(row, {}).get("alert_cnt") == 0:
        return []
    return [derived_alert(table, row)]


def embedded_alerts(ctx: RequestContext, row: int) -> list[dict[str, Any]]:
    """The alerts of an incident as ``/incident/info`` and the custom-action callback embed
    them: the alert fields plus ``progress`` and ``close_time`` (an alert closes when it
    recovers or when its incident closes)."""
    table = ctx.state.incidents
    incident_closed = int(table.cols["close"][row])
    embedded = []
    for alert in alerts_of_incident(ctx, row):
        shown = {k: v for k, v in public(alert).items() if k != "incident"}
        closed_at = alert["end_time"] or incident_closed
        shown.update(progress="Closed" if closed_at else "Triggered", close_time=closed_at)
        embedded.append(shown)
    return embedded


def _alert_by_id(ctx: RequestContext, alert_id: str) -> dict[str, Any]:
    found = ctx.state.alerts.get(alert_id)
    if found is not None:
        return found
    table = ctx.state.incidents
    row = derived_row(table, alert_id)
    if row is None:
        raise not_found("alert", alert_id)
    return derived_alert(table, row)


# -- Event API ------------------------------------------------------------------------------


@handles("/event/push/alert/standard")
def push_alert(ctx: RequestContext) -> dict[str, Any]:
    state = ctx.state
    integration = ctx.integration
    assert integration is not None
    body = ctx.body
    status = body["event_status"]
    alert_key = body.get("alert_key") or state.ids.hex(32)
    key = (integration.integration_id, alert_key)
    alert = state.alerts.get(state.alert_keys.get(key, ""))
    event = {
        "event_id": state.ids.object_id(ctx.now),
        "event_status": status,
        "event_severity": status if status != "Ok" else "Info",
        "event_time": body.get("event_time") or ctx.now,
        "title_rule": body["title_rule"],
        "title": body["title_rule"],
        "description": body.get("description", ""),
        "alert_key": alert_key,
        "labels": body.get("labels") or {},
        "created_at": ctx.now,
        "updated_at": ctx.now,
        "account_id": ACCOUNT_ID,
        "channel_id": integration.channel_id,
        "integration_id": integration.integration_id,
    }
    if status == "Ok":
        if alert is not None and not alert["end_time"]:
            _recover(ctx, alert, event)
        return {"alert_key": alert_key}
    if alert is None or alert["end_time"]:
        alert = _new_alert(ctx, alert_key, event)
        state.alert_keys[key] = alert["alert_id"]
    else:
        _update_alert(ctx, alert, event)
    return {"alert_key": alert_key}


def _new_alert(ctx: RequestContext, alert_key: str, event: dict[str, Any]) -> dict[str, Any]:
    state, integration = ctx.state, ctx.integration
    assert integration is not None
    table = state.incidents
    severity = SEVERITIES.index(event["event_status"])
    row = _open_incident_for(ctx, event["title_rule"], integration.channel_id)
    if row is None:
        responders = _first_layer_people(ctx, integration.channel_id)
        row = table.append(
            start=ctx.now,
            channel=integration.channel_id,
            severity=severity,
            responders=responders,
            title=event["title_rule"],
            rule=table.directory.channel_rules.get(integration.channel_id, NO_RULE),
        )
        extra = table.extra(row)
        extra.update(
            alert_cnt=0,
            alert_event_cnt=0,
            labels=event["labels"],
            description=event["description"],
            pushed=True,
            dedup_key=alert_key,
        )
        table.emit("i_new", row)
    alert_id = state.ids.object_id(ctx.now)
    event["alert_id"] = alert_id
    channel = state.store.collection("/channel").records.get(integration.channel_id, {})
    alert = {
        "alert_id": alert_id,
        "integration_id": integration.integration_id,
        "data_source_id": integration.integration_id,
        "channel_id": integration.channel_id,
        "account_id": ACCOUNT_ID,
        "title": event["title_rule"],
        "title_rule": event["title_rule"],
        "description": event["description"],
        "alert_key": alert_key,
        "alert_severity": event["event_status"],
        "alert_status": event["event_status"],
        "start_time": ctx.now,
        "last_time": ctx.now,
        "end_time": 0,
        "labels": event["labels"],
        "ever_muted": False,
        "created_at": ctx.now,
        "updated_at": ctx.now,
        "integration_name": integration.name,
        "integration_type": "standard",
        "integration_ref_id": "",
        "channel_name": channel.get("channel_name", ""),
        "channel_status": channel.get("status", "enabled"),
        "responder_name": "",
        "responder_email": "",
        "event_cnt": 1,
        "images": ctx.body.get("images") or [],
        "data_source_name": integration.name,
        "data_source_ref_id": "",
        "_row": row,
        "_events": [event],
    }
    state.alerts[alert_id] = alert
    extra = table.extra(row)
    extra["alert_cnt"] = int(extra.get("alert_cnt", 0)) + 1
    extra["alert_event_cnt"] = int(extra.get("alert_event_cnt", 0)) + 1
    if severity < table.cols["severity"][row]:
        table.cols["severity"][row] = severity
    _emit_alert(ctx, "a_new", alert)
    return alert


def _update_alert(ctx: RequestContext, alert: dict[str, Any], event: dict[str, Any]) -> None:
    last = alert["_events"][-1]
    event["alert_id"] = alert["alert_id"]
    if (last["event_status"], last["description"]) == (event["event_status"], event["description"]):
        alert["last_time"] = ctx.now
        return
    alert["_events"].append(event)
    alert.update(
        alert_status=event["event_status"],
        last_time=ctx.now,
        updated_at=ctx.now,
        description=event["description"],
        event_cnt=len(alert["_events"]),
    )
    severity = min(
        SEVERITIES.index(alert["alert_severity"]), SEVERITIES.index(event["event_status"])
    )
    alert["alert_severity"] = SEVERITIES[severity]
    table = ctx.state.incidents
    row = alert["_row"]
    extra = table.extra(row)
    extra["alert_event_cnt"] = int(extra.get("alert_event_cnt", 0)) + 1
    if severity < table.cols["severity"][row]:
        table.cols["severity"][row] = severity
    _emit_alert(ctx, "a_update", alert)


def _recover(ctx: RequestContext, alert: dict[str, Any], event: dict[str, Any]) -> None:
    event["alert_id"] = alert["alert_id"]
    alert["_events"].append(event)
    alert.update(
        alert_status="Ok",
        end_time=ctx.now,
        last_time=ctx.now,
        updated_at=ctx.now,
        event_cnt=len(alert["_events"]),
    )
    _emit_alert(ctx, "a_close", alert)
    table = ctx.state.incidents
    row = alert["_row"]
    siblings = [a for a in ctx.state.alerts.values() if a["_row"] == row]
    if all(a["end_time"] for a in siblings) and not table.cols["close"][row]:
        table.cols["close"][row] = ctx.now
        table.cols["closed_kind"][row] = CLOSED_BY_RECOVERY
        table.cols["closer"][row] = 0
        table.extra(row)["updated_at"] = ctx.now
        table.emit("i_rslv", row)


def _open_incident_for(ctx: RequestContext, title: str, channel_id: int) -> int | None:
    table = ctx.state.incidents
    for row, extra in table.overlay.items():
        if (
            extra.get("pushed")
            and not extra.get("merge_disabled")
            and not table.cols["close"][row]
            and not table.cols["deleted"][row]
            and table.cols["channel"][row] == channel_id
            and table.titles[int(table.cols["title"][row])] == title
        ):
            return row
    return None


def _first_layer_people(ctx: RequestContext, channel_id: int) -> list[int]:
    rules = ctx.state.store.collection("/channel/escalate/rule").values()
    for rule in rules:
        if rule.get("channel_id") == channel_id and rule.get("status") == "enabled":
            layers = rule.get("layers") or []
            if layers:
                return list((layers[0].get("target") or {}).get("person_ids") or [])
    return []


def _emit_alert(ctx: RequestContext, kind: str, alert: dict[str, Any]) -> None:
    for hook in list(ctx.state.on_event):
        hook(kind, public(alert, ctx.state.incidents))


@handles("/event/push/change/standard")
def push_change(ctx: RequestContext) -> None:
    """Change events with the same ``change_key`` (per integration) make one change."""
    integration = ctx.integration
    assert integration is not None
    body = ctx.body
    at = body.get("event_time") or ctx.now
    key = (integration.integration_id, body["change_key"])
    change = ctx.state.changes.get(key)
    if change is None:
        channel = ctx.state.store.collection("/channel").records.get(integration.channel_id, {})
        change = ctx.state.changes[key] = {
            "change_id": ctx.state.ids.object_id(ctx.now),
            "account_id": ACCOUNT_ID,
            "change_key": body["change_key"],
            "channel_id": integration.channel_id,
            "channel_name": channel.get("channel_name", ""),
            "channel_status": channel.get("status", "enabled"),
            "integration_id": integration.integration_id,
            "integration_name": integration.name,
            "start_time": at,
            "end_time": 0,
            "events": [],
        }
    change.update(
        title=body["title"],
        change_status=body["change_status"],
        last_time=at,
        description=body.get("description", change.get("description", "")),
        link=body.get("link", change.get("link", "")),
        labels=body.get("labels") or change.get("labels", {}),
    )
    if body["change_status"] in ("Done", "Canceled"):
        change["end_time"] = at
    change["events"].append({**body, "event_time": at})


@handles("/change/list")
def change_list(ctx: RequestContext) -> dict[str, Any]:
    body = ctx.body
    changes = [
        c
        for c in ctx.state.changes.values()
        if (not body.get("start_time") or c["last_time"] >= body["start_time"])
        and (not body.get("end_time") or c["start_time"] <= body["end_time"])
        and (not body.get("channel_ids") or c["channel_id"] in body["channel_ids"])
        and (not body.get("integration_ids") or c["integration_id"] in body["integration_ids"])
        and (not body.get("query") or str(body["query"]).lower() in c["title"].lower())
    ]
    order = body.get("orderby") or "start_time"
    changes.sort(key=lambda c: c.get(order, 0), reverse=not body.get("asc"))
    chunk, meta = offset_page(changes, body, limit_max=ctx.endpoint.page_limit_max)
    items = [
        c if body.get("include_events") else {k: v for k, v in c.items() if k != "events"}
        for c in chunk
    ]
    return {"items": items, **meta}


# -- reading --------------------------------------------------------------------------------


@handles("/alert/info")
def alert_info(ctx: RequestContext) -> dict[str, Any]:
    alert = _alert_by_id(ctx, ctx.body["alert_id"])
    answer = public(alert, ctx.state.incidents)
    answer["events"] = alert.get("_events", [])
    return answer


@handles("/alert/list-by-ids")
def alerts_by_ids(ctx: RequestContext) -> dict[str, Any]:
    items = []
    for alert_id in ctx.body["alert_ids"]:
        try:
            items.append(public(_alert_by_id(ctx, alert_id), ctx.state.incidents))
        except ApiError:
            continue
    return {"items": items, "total": len(items), "has_next_page": False}


@handles("/incident/alert/list")
def incident_alerts(ctx: RequestContext) -> dict[str, Any]:
    row = ctx.state.incidents.row_of(ctx.body["incident_id"])
    alerts = alerts_of_incident(ctx, row)
    if ctx.body.get("is_active"):
        alerts = [a for a in alerts if not a["end_time"]]
    page = page_request(ctx.body, limit_max=ctx.endpoint.page_limit_max, default_limit=1000)
    chunk = alerts[page.offset : page.offset + page.limit]
    items = []
    for alert in chunk:
        item = public(alert, ctx.state.incidents)
        if ctx.body.get("include_events"):
            item["events"] = alert.get("_events", [])
        items.append(item)
    return {"items": items, "total": len(alerts)}


@handles("/alert/event/list")
def alert_events(ctx: RequestContext) -> dict[str, Any]:
    alert = _alert_by_id(ctx, ctx.body["alert_id"])
    events = alert.get("_events") or []
    return {"items": events, "total": len(events), "has_next_page": False}


@handles("/alert/list")
def alert_list(ctx: RequestContext) -> dict[str, Any]:
    """Alerts in the window (by ``created_at``, or ``updated_at`` with ``by_updated_at``):
    the derived ones of seeded incidents plus pushed ones, through the same filters."""
    body = ctx.body
    table = ctx.state.incidents
    if body.get("alert_severity"):
        name_codes("alert_severity", body["alert_severity"], SEVERITIES)
    sort_key = body.get("orderby") or "created_at"
    rows = _seeded_alert_rows(ctx, body)
    stamps = _seeded_alert_times(table, rows)[sort_key]
    entries: list[tuple[int, Any]] = list(zip(stamps.tolist(), rows.tolist(), strict=True))
    entries += [
        (alert[sort_key], alert)
        for alert in ctx.state.alerts.values()
        if _alert_matches(alert, body)
    ]
    entries.sort(key=lambda e: e[0], reverse=not body.get("asc"))
    chunk, meta = offset_page(entries, body, limit_max=ctx.endpoint.page_limit_max)
    items = [
        derived_alert(table, ref) if isinstance(ref, int) else public(ref, table)
        for _, ref in chunk
    ]
    return {"items": items, **meta}


def _seeded_alert_times(table: IncidentTable, rows: np.ndarray) -> dict[str, np.ndarray]:
    """``created_at`` and ``updated_at`` of the derived alerts of ``rows`` (see
    :func:`derived_alert`: the incident's start and its last change)."""
    c = table.cols
    start = c["start"][rows]
    return {
        "created_at": start,
        "updated_at": np.maximum(start, np.maximum(c["ack"][rows], c["close"][rows])),
    }


def _seeded_alert_rows(ctx: RequestContext, body: dict[str, Any]) -> np.ndarray:
    """Rows of the seeded incidents whose derived alert passes every filter of ``body``."""
    table = ctx.state.incidents
    nothing = np.zeros(0, np.int64)
    channels = set(body["channel_ids"]) if body.get("channel_ids") else None
    if body.get("integration_ids"):
        wanted = set(body["integration_ids"])
        fed = {
            channel
            for channel, integration in table.directory.channel_integrations.items()
            if integration in wanted
        }
        channels = fed if channels is None else channels & fed
    if channels == set() or body.get("ever_muted"):  # the emulator mutes nothing
        return nothing
    window = "updated_at" if body.get("by_updated_at") else "created_at"
    lo, hi = table.range_rows(body["start_time"] if window == "created_at" else 0, body["end_time"])
    rows = table.select({"channel_ids": sorted(channels or ())}, lo=lo, hi=hi)
    if window == "updated_at":
        updated = _seeded_alert_times(table, rows)["updated_at"]
        rows = rows[updated >= body["start_time"]]
    c = table.cols
    keep = c["creator"][rows] == 0
    # rows with a stored alert (pushed, or a derived one a write moved or closed) show
    # the stored alerts instead
    stored = [alert["_row"] for alert in ctx.state.alerts.values()]
    stored += [row for row in (derived_row(table, a) for a in ctx.state.alerts) if row is not None]
    if stored:
        keep &= ~np.isin(rows, stored)
    if body.get("alert_severity"):
        keep &= np.isin(
            c["severity"][rows], name_codes("alert_severity", body["alert_severity"], SEVERITIES)
        )
    if body.get("is_active") is not None:
        keep &= (c["close"][rows] == 0) == bool(body["is_active"])
    rows = rows[keep]
    named = _rows_named(table, body.get("alert_keys"), body.get("alert_ids"))
    return rows if named is None else rows[np.isin(rows, named)] if named else nothing


def _rows_named(
    table: IncidentTable, alert_keys: list[str] | None, alert_ids: list[str] | None
) -> list[int] | None:
    """Rows whose derived alert has one of ``alert_keys`` (the incident id) and one of
    ``alert_ids``; None when neither list is given."""
    if not alert_keys and not alert_ids:
        return None
    chosen: set[int] | None = None
    if alert_keys:
        chosen = set()
        for key in alert_keys:
            try:
                chosen.add(table.row_of(key))
            except ApiError:
                continue  # a pushed alert's key, or no alert at all
    if alert_ids:
        by_id = {
            row
            for row in (derived_row(table, alert_id) for alert_id in alert_ids)
            if row is not None
        }
        chosen = by_id if chosen is None else chosen & by_id
    return sorted(chosen or ())


def derived_row(table: IncidentTable, alert_id: str) -> int | None:
    """The row whose derived alert has ``alert_id``, if any."""
    text = str(alert_id).lower()
    try:
        row = int(text[-6:], 16)
    except ValueError:
        return None
    return row if row < table.size and table.alert_id(row) == text else None


def _alert_matches(alert: dict[str, Any], body: dict[str, Any]) -> bool:
    """Whether a pushed alert passes the window and filters of an ``/alert/list`` body."""
    stamp = alert["updated_at"] if body.get("by_updated_at") else alert["start_time"]
    if not body["start_time"] <= stamp <= body["end_time"]:
        return False
    if body.get("channel_ids") and alert["channel_id"] not in body["channel_ids"]:
        return False
    if body.get("integration_ids") and alert["integration_id"] not in body["integration_ids"]:
        return False
    if body.get("alert_keys") and alert["alert_key"] not in body["alert_keys"]:
        return False
    if body.get("alert_ids") and alert["alert_id"] not in body["alert_ids"]:
        return False
    if body.get("ever_muted") is not None and alert["ever_muted"] != body["ever_muted"]:
        return False
    if body.get("is_active") is not None and (not alert["end_time"]) != body["is_active"]:
        return False
    severities = body.get("alert_severity")
    return not severities or alert["alert_severity"] in [
        SEVERITIES[code] for code in name_codes("alert_severity", severities, SEVERITIES)
    ]
