"""Alert writes that move or close alerts: ``/alert/merge`` and ``/alert/close``.

Alerts of seeded incidents are derived from their incident until a write touches them;
then they are stored like pushed alerts (same id), so every read shows the change.
An incident left with no open alert closes: merged away when its alerts moved to another
incident, closed by the caller when they were closed.
"""

from __future__ import annotations

from typing import Any

from flashcat_prefect.emulator.errors import not_found
from flashcat_prefect.emulator.handlers.alerts import derived_alert, derived_row
from flashcat_prefect.emulator.handlers.base import RequestContext, handles
from flashcat_prefect.emulator.handlers.incidents import close_row, record_step
from flashcat_prefect.emulator.incident_table import CLOSED_BY_PERSON, MERGED


def stored_alert(ctx: RequestContext, alert_id: str) -> dict[str, Any]:
    """The stored alert ``alert_id``; a seeded incident's derived alert is stored first."""
    alerts = ctx.state.alerts
    found = alerts.get(alert_id)
    if found is not None:
        return found
    table = ctx.state.incidents
    row = derived_row(table, alert_id)
    if row is None or table.cols["deleted"][row]:
        raise not_found("alert_id", alert_id)
    alert = derived_alert(table, row)
    alert.pop("incident", None)
    alert.update(_row=row, _events=[])
    alerts[alert_id] = alert
    return alert


def _alert_counts(ctx: RequestContext, row: int) -> tuple[int, int]:
    """(all, still open) stored alerts of ``row``."""
    mine = [a for a in ctx.state.alerts.values() if a["_row"] == row]
    return len(mine), sum(not a["end_time"] for a in mine)


def _close_if_empty(ctx: RequestContext, row: int, kind: int) -> None:
    _, still_open = _alert_counts(ctx, row)
    if not still_open and not ctx.state.incidents.cols["close"][row]:
        close_row(ctx, row, kind)
        record_step(ctx, row, "i_rslv", {"by": "person"})


@handles("/alert/merge")
def merge_alerts(ctx: RequestContext) -> None:
    """Move the alerts into the incident; their old incidents close when left empty."""
    table = ctx.state.incidents
    target = table.row_of(ctx.body["incident_id"])
    alerts = [stored_alert(ctx, alert_id) for alert_id in ctx.body["alert_ids"]]
    sources = {a["_row"] for a in alerts} - {target}
    for alert in alerts:
        alert["_row"] = target
        alert["updated_at"] = ctx.now
    for row in sorted(sources):
        table.extra(row)["alert_cnt"] = _alert_counts(ctx, row)[0]
        _close_if_empty(ctx, row, MERGED)
    extra = table.extra(target)
    extra["alert_cnt"] = _alert_counts(ctx, target)[0]
    if ctx.body.get("title"):
        extra["title"] = ctx.body["title"]
    if ctx.body.get("owner_id"):
        extra["owner_id"] = ctx.body["owner_id"]
    record_step(
        ctx,
        target,
        "i_merge",
        {"alert_ids": [a["alert_id"] for a in alerts], "comment": ctx.body.get("comment", "")},
    )


@handles("/alert/close")
def close_alerts(ctx: RequestContext) -> None:
    """End the alerts now; an incident whose alerts are all closed closes too."""
    alerts = [stored_alert(ctx, alert_id) for alert_id in ctx.body["alert_ids"]]
    for alert in alerts:
        if not alert["end_time"]:
            alert.update(end_time=ctx.now, last_time=ctx.now, updated_at=ctx.now)
    for row in sorted({a["_row"] for a in alerts}):
        _close_if_empty(ctx, row, CLOSED_BY_PERSON)
