"""Insights computed from the stored incidents, so the numbers agree with the incidents.

For each incident: ``seconds_to_ack = ack_time - start_time`` (acknowledged ones only) and
``seconds_to_close = close_time - start_time`` (closed ones only); means divide those sums
by the number of acknowledged / closed incidents. Incidents are picked by ``start_time`` in
``[start_time, end_time]`` and the usual filters. Responder metrics count an incident once
for each of its responders. ``aggregate_unit`` (day|week|month) splits rows by period in
``time_zone`` (default Asia/Shanghai); ``split_hours`` splits by ``hours``: ``work``
(09:00-19:00 on weekdays), ``sleep`` (22:00-08:00) or ``off`` (the rest).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from flashcat_prefect.emulator.errors import invalid
from flashcat_prefect.emulator.handlers.base import CsvAnswer, RequestContext, handles
from flashcat_prefect.emulator.handlers.incidents import cursor_page
from flashcat_prefect.emulator.ids import ACCOUNT_ID, ACCOUNT_TIME_ZONE
from flashcat_prefect.emulator.incident_table import (
    CLOSED_BY_PERSON,
    CLOSED_BY_RECOVERY,
    MERGED,
    PROGRESSES,
    SEVERITIES,
    IncidentTable,
    object_id,
)

DEFAULT_TIME_ZONE = ACCOUNT_TIME_ZONE
EXPORT_BATCH = 2000
HOURS = ("work", "sleep", "off")
METRIC_FIELDS = (
    "total_incident_cnt",
    "total_incidents_acknowledged",
    "total_incidents_closed",
    "total_incidents_auto_closed",
    "total_incidents_manually_closed",
    "total_incidents_timeout_closed",
    "total_incidents_escalated",
    "total_incidents_manually_escalated",
    "total_incidents_timeout_escalated",
    "total_incidents_reassigned",
    "total_interruptions",
    "total_notifications",
    "total_engaged_seconds",
    "total_seconds_to_ack",
    "total_seconds_to_close",
    "mean_seconds_to_ack",
    "mean_seconds_to_close",
    "noise_reduction_pct",
    "acknowledgement_pct",
    "total_alert_cnt",
    "total_alert_event_cnt",
)
EXPORT_FIELDS = (
    "incident_id",
    "title",
    "description",
    "team_id",
    "team_name",
    "channel_id",
    "channel_name",
    "progress",
    "severity",
    "created_at",
    "closed_by",
    "seconds_to_ack",
    "seconds_to_close",
    "engaged_seconds",
    "hours",
    "responders",
    "assigned_to",
    "labels",
    "fields",
    "notifications",
    "interruptions",
    "assignments",
    "reassignments",
    "acknowledgements",
    "escalations",
    "timeout_escalations",
    "manual_escalations",
    "creator_id",
    "creator_name",
)
"""The columns of an insight incident (``/insight/incident/list`` item fields)."""
DEFAULT_EXPORT_FIELDS = (
    "incident_id",
    "title",
    "severity",
    "progress",
    "channel_id",
    "channel_name",
    "team_id",
    "team_name",
    "created_at",
    "closed_by",
    "seconds_to_ack",
    "seconds_to_close",
    "engaged_seconds",
    "hours",
)


# -- selection ------------------------------------------------------------------------------


def select_rows(ctx: RequestContext) -> np.ndarray:
    """Rows matching an insight request (time window, filters, duration bounds)."""
    body = ctx.body
    if body["end_time"] < body["start_time"]:
        raise invalid("end_time: must not be before start_time")
    if body.get("aggregate_unit") == "day" and body["end_time"] - body["start_time"] > 31 * 86400:
        raise invalid("end_time: with aggregate_unit day the time span may not exceed 31 days")
    table = ctx.state.incidents
    lo, hi = table.range_rows(body["start_time"], body["end_time"])
    rows = table.select(body, lo=lo, hi=hi, viewer=ctx.person_id, now=ctx.now)
    c = table.cols
    for name, column in (("seconds_to_ack", "ack"), ("seconds_to_close", "close")):
        low, high = body.get(f"{name}_from"), body.get(f"{name}_to")
        if low is None and high is None:
            continue
        stamp = c[column][rows]
        seconds = stamp - c["start"][rows]
        keep = stamp > 0
        if low is not None:
            keep &= seconds >= low
        if high is not None:
            keep &= seconds < high
        rows = rows[keep]
    return rows


def hours_kind(starts: np.ndarray, offset: int) -> np.ndarray:
    """0 = work, 1 = sleep, 2 = off for each start time (local ``offset`` seconds from UTC)."""
    local = starts + offset
    hour = (local // 3600) % 24
    weekday = ((local // 86400) + 3) % 7
    work = (hour >= 9) & (hour < 19) & (weekday < 5)
    sleep = (hour >= 22) | (hour < 8)
    return np.where(work, 0, np.where(sleep, 1, 2))


def _utc_offset(time_zone: str | None, at: int) -> int:
    try:
        zone = ZoneInfo(time_zone or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        raise invalid(f"time_zone: {time_zone!r} is not an IANA time zone name") from None
    # the offset at a representable moment: any int64 is a valid bound, not every one a date
    delta = dt.datetime.fromtimestamp(min(max(at, 0), 253_402_214_400), zone).utcoffset()
    return int(delta.total_seconds()) if delta else 0


def period_starts(starts: np.ndarray, unit: str, offset: int) -> np.ndarray:
    """The unix start of the local day/week/month each start time falls in."""
    local = starts + offset
    if unit == "day":
        begin = local - local % 86400
    elif unit == "week":
        days = local // 86400
        begin = (days - (days + 3) % 7) * 86400
    elif unit == "month":
        months = local.astype("datetime64[s]").astype("datetime64[M]")
        begin = months.astype("datetime64[s]").astype(np.int64)
    else:
        raise invalid("aggregate_unit: must be one of day, week, month")
    return begin - offset


# -- metrics --------------------------------------------------------------------------------


def metrics(table: IncidentTable, rows: np.ndarray) -> dict[str, Any]:
    """The metric fields for a set of incident rows."""
    c = table.cols
    start, ack, close = c["start"][rows], c["ack"][rows], c["close"][rows]
    kind = c["closed_kind"][rows]
    acked, closed = ack > 0, close > 0
    seconds_to_ack = int((ack - start)[acked].sum())
    seconds_to_close = int((close - start)[closed].sum())
    engaged = acked & closed
    n, n_ack, n_close = len(rows), int(acked.sum()), int(closed.sum())
    n_escalated = int((c["layer"][rows] > 0).sum())
    responders = (c["resp1"][rows] > 0).astype(np.int64) + (c["resp2"][rows] > 0)
    alert_cnt = n - int((c["creator"][rows] != 0).sum())
    offset = 8 * 3600
    off_hours = hours_kind(start, offset) != 0
    return {
        "total_incident_cnt": n,
        "total_incidents_acknowledged": n_ack,
        "total_incidents_closed": n_close,
        "total_incidents_auto_closed": int((kind == CLOSED_BY_RECOVERY).sum()),
        "total_incidents_manually_closed": int(
            ((kind == CLOSED_BY_PERSON) | (kind == MERGED)).sum()
        ),
        "total_incidents_timeout_closed": 0,
        "total_incidents_escalated": n_escalated,
        "total_incidents_manually_escalated": 0,
        "total_incidents_timeout_escalated": n_escalated,
        "total_incidents_reassigned": 0,
        "total_interruptions": int(responders[off_hours].sum()),
        "total_notifications": int(responders.sum()),
        "total_engaged_seconds": int((close - ack)[engaged].sum()),
        "total_seconds_to_ack": seconds_to_ack,
        "total_seconds_to_close": seconds_to_close,
        "mean_seconds_to_ack": seconds_to_ack / n_ack if n_ack else 0.0,
        "mean_seconds_to_close": seconds_to_close / n_close if n_close else 0.0,
        "noise_reduction_pct": 0.0,
        "acknowledgement_pct": 100.0 * n_ack / n if n else 0.0,
        "total_alert_cnt": alert_cnt,
        "total_alert_event_cnt": alert_cnt,
    }


def dimension_items(ctx: RequestContext, dimension: str) -> list[dict[str, Any]]:
    """Metric rows grouped by ``dimension`` (team|channel|responder|account) and period."""
    table = ctx.state.incidents
    body = ctx.body
    rows = select_rows(ctx)
    c = table.cols
    directory = table.directory
    if dimension == "responder":
        second = rows[c["resp2"][rows] > 0]
        keys = np.concatenate([c["resp1"][rows], c["resp2"][second]])
        rows = np.concatenate([rows, second])
        keep = keys > 0
        if body.get("responder_ids"):
            keep &= np.isin(keys, body["responder_ids"])
        rows, keys = rows[keep], keys[keep]
    elif dimension == "channel":
        keys = c["channel"][rows]
    elif dimension == "team":
        team_of = np.vectorize(
            lambda ch: directory.channel_teams.get(int(ch), 0), otypes=[np.int64]
        )
        keys = team_of(c["channel"][rows]) if len(rows) else np.zeros(0, np.int64)
    else:
        keys = np.zeros(len(rows), np.int64)
    offset = _utc_offset(body.get("time_zone"), body["start_time"])
    unit = body.get("aggregate_unit")
    periods = (
        period_starts(c["start"][rows], unit, offset) if unit else np.zeros(len(rows), np.int64)
    )
    hours = (
        hours_kind(c["start"][rows], offset) if body.get("split_hours") else np.full(len(rows), -1)
    )
    items = []
    for key in np.unique(keys):
        for period in np.unique(periods[keys == key]):
            for hour in np.unique(hours[(keys == key) & (periods == period)]):
                pick = rows[(keys == key) & (periods == period) & (hours == hour)]
                item = {**metrics(table, pick), "account_id": ACCOUNT_ID}
                if unit:
                    item["ts"] = int(period)
                if hour >= 0:
                    item["hours"] = HOURS[int(hour)]
                _label(item, dimension, int(key), directory)
                items.append(item)
    return items


def _label(item: dict[str, Any], dimension: str, key: int, directory: Any) -> None:
    if dimension == "team":
        item.update(team_id=key, team_name=directory.team_names.get(key, ""))
    elif dimension == "channel":
        item.update(
            channel_id=key,
            channel_name=directory.channel_names.get(key, ""),
            team_id=directory.channel_teams.get(key, 0),
        )
    elif dimension == "responder":
        item.update(responder_id=key, responder_name=directory.person_names.get(key, ""))


_NESTED_FIELDS = ("responders", "assigned_to", "labels", "fields")
"""Columns whose values are objects: read from whole incidents, not from the arrays."""
_CONSTANT_FIELDS = {"interruptions": 0, "reassignments": 0, "manual_escalations": 0}


def incident_columns(
    table: IncidentTable,
    rows: np.ndarray,
    names: list[str] | tuple[str, ...],
    offset: int,
    *,
    html_to_text: bool = False,
) -> list[list[Any]]:
    """One list per name in ``names``: the insight incident values of ``rows`` (in their
    order), computed column by column from the arrays; ``hours`` is judged at ``offset``
    seconds from UTC."""
    c = table.cols
    directory = table.directory
    start, ack, close = c["start"][rows], c["ack"][rows], c["close"][rows]
    channel = c["channel"][rows]
    escalated = c["layer"][rows] > 0  # seeded escalations all came from the ack timeout
    cache: dict[str, list[Any]] = {}

    def by_channel(values: dict[int, Any], default: Any) -> list[Any]:
        unique, inverse = np.unique(channel, return_inverse=True)
        looked_up = np.array(
            [values.get(int(ch), default) for ch in unique.tolist()] or [default], dtype=object
        )
        return looked_up[inverse].tolist() if len(unique) else []

    def edited(key: str, base: list[Any], keep: Any = None) -> list[Any]:
        for at, value in table.overlay_positions(rows, key):
            if keep is None or keep(value):
                base[at] = value
        return base

    def team_id() -> list[Any]:
        return by_channel(directory.channel_teams, 0)

    def description() -> list[Any]:
        texts = edited("description", [""] * len(rows))
        return [_html_to_text(t) for t in texts] if html_to_text else texts

    def notifications() -> list[Any]:
        counts = ((c["resp1"][rows] > 0).astype(np.int64) + (c["resp2"][rows] > 0)).tolist()
        for at, responders in table.overlay_positions(rows, "responders"):
            if responders:
                counts[at] = len(responders)
        return counts

    def creator_name() -> list[Any]:
        creators = c["creator"][rows]
        names_by_id = {
            int(p): (directory.person_short(int(p)) or {}).get("person_name", "")
            for p in np.unique(creators).tolist()
        }
        return [names_by_id[p] for p in creators.tolist()]

    def nested(name: str) -> list[Any]:
        if "_incidents" not in cache:
            cache["_incidents"] = table.dicts(rows)
        return [incident[name] for incident in cache["_incidents"]]

    def zero_unless(flag: np.ndarray, values: np.ndarray) -> list[Any]:
        return np.where(flag, values, 0).tolist()

    builders: dict[str, Any] = {
        "incident_id": lambda: [
            object_id(s, table.salt, r)
            for s, r in zip(start.tolist(), np.asarray(rows).tolist(), strict=True)
        ],
        "title": lambda: edited(
            "title",
            np.array(table.titles, dtype=object)[c["title"][rows]].tolist() if len(rows) else [],
        ),
        "description": description,
        "team_id": team_id,
        "team_name": lambda: [directory.team_names.get(t, "") for t in team_id()],
        "channel_id": channel.tolist,
        "channel_name": lambda: by_channel(directory.channel_names, ""),
        "progress": lambda: (
            np.array(PROGRESSES, dtype=object)[table.progress_codes(rows)].tolist()
            if len(rows)
            else []
        ),
        "severity": lambda: (
            np.array(SEVERITIES, dtype=object)[c["severity"][rows]].tolist() if len(rows) else []
        ),
        "created_at": start.tolist,
        "closed_by": lambda: np.where(
            close > 0,
            np.where(c["closed_kind"][rows] == CLOSED_BY_RECOVERY, "auto", "manually"),
            "",
        ).tolist(),
        "seconds_to_ack": lambda: zero_unless(ack > 0, ack - start),
        "seconds_to_close": lambda: zero_unless(close > 0, close - start),
        "engaged_seconds": lambda: zero_unless((ack > 0) & (close > 0), close - ack),
        "hours": lambda: (
            np.array(HOURS, dtype=object)[hours_kind(start, offset)].tolist() if len(rows) else []
        ),
        "notifications": notifications,
        "acknowledgements": lambda: (ack > 0).astype(np.int64).tolist(),
        "escalations": lambda: escalated.astype(np.int64).tolist(),
        "timeout_escalations": lambda: escalated.astype(np.int64).tolist(),
        "assignments": lambda: (1 + escalated).astype(np.int64).tolist(),
        "creator_id": c["creator"][rows].tolist,
        "creator_name": creator_name,
    }
    columns = []
    for name in names:
        if name in _CONSTANT_FIELDS:
            columns.append([_CONSTANT_FIELDS[name]] * len(rows))
        elif name in _NESTED_FIELDS:
            columns.append(nested(name))
        else:
            columns.append(builders[name]())
    return columns


def _html_to_text(text: str) -> str:
    """Tags dropped and entities decoded (``description_html_to_text``)."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def raw_items(
    table: IncidentTable, rows: np.ndarray, offset: int, *, html_to_text: bool = False
) -> list[dict[str, Any]]:
    """``/insight/incident/list`` items for ``rows``."""
    columns = incident_columns(table, rows, EXPORT_FIELDS, offset, html_to_text=html_to_text)
    return [dict(zip(EXPORT_FIELDS, values, strict=True)) for values in zip(*columns, strict=True)]


def export_csv(
    table: IncidentTable,
    rows: np.ndarray,
    names: list[str],
    offset: int,
    *,
    html_to_text: bool = False,
) -> str:
    """The CSV export of ``rows``: written from whole columns, batch by batch."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for first in range(0, len(rows), EXPORT_BATCH):
        columns = incident_columns(
            table, rows[first : first + EXPORT_BATCH], names, offset, html_to_text=html_to_text
        )
        for at, name in enumerate(names):
            if name in _NESTED_FIELDS:
                columns[at] = [_cell(value) for value in columns[at]]
        writer.writerows(zip(*columns, strict=True))
    return out.getvalue()


# -- handlers -------------------------------------------------------------------------------


@handles("/insight/incident/list")
def insight_incidents(ctx: RequestContext) -> dict[str, Any]:
    table = ctx.state.incidents
    rows = select_rows(ctx)
    offset = _utc_offset(ctx.body.get("time_zone"), ctx.body["start_time"])
    html_to_text = bool(ctx.body.get("description_html_to_text"))
    return cursor_page(
        table,
        rows,
        ctx.body,
        limit_max=ctx.endpoint.page_limit_max,
        to_items=lambda chosen: raw_items(table, chosen, offset, html_to_text=html_to_text),
    )


@handles("/insight/team", "/insight/channel", "/insight/responder", "/insight/account")
def insight_dimension(ctx: RequestContext) -> dict[str, Any]:
    dimension = ctx.endpoint.path.rsplit("/", 1)[-1]
    return {"items": dimension_items(ctx, dimension)}


@handles("/insight/incident/export")
def export_incidents(ctx: RequestContext) -> CsvAnswer:
    table = ctx.state.incidents
    columns = list(ctx.body.get("export_fields") or DEFAULT_EXPORT_FIELDS)
    for name in columns:
        if name not in EXPORT_FIELDS:
            raise invalid(
                f"export_fields: {name!r} is not an incident column; use {', '.join(EXPORT_FIELDS)}"
            )
    rows = select_rows(ctx)
    if not ctx.body.get("asc"):
        rows = rows[::-1]
    offset = _utc_offset(ctx.body.get("time_zone"), ctx.body["start_time"])
    return CsvAnswer(
        "incidents.csv",
        export_csv(
            table,
            rows,
            columns,
            offset,
            html_to_text=bool(ctx.body.get("description_html_to_text")),
        ),
    )


@handles("/insight/team/export", "/insight/channel/export", "/insight/responder/export")
def export_dimension(ctx: RequestContext) -> CsvAnswer:
    dimension = ctx.endpoint.path.split("/")[2]
    items = dimension_items(ctx, dimension)
    label = {
        "team": ["team_id", "team_name"],
        "channel": ["channel_id", "channel_name"],
        "responder": ["responder_id", "responder_name"],
    }[dimension]
    extra = ["ts"] if ctx.body.get("aggregate_unit") else []
    extra += ["hours"] if ctx.body.get("split_hours") else []
    columns = label + extra + list(METRIC_FIELDS)
    return CsvAnswer(f"{dimension}s.csv", to_csv(columns, items))


def to_csv(columns: list[str], items: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for item in items:
        writer.writerow([_cell(item.get(col, "")) for col in columns])
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return value


@handles("/enrichment/mapping/data/download")
def download_mapping_data(ctx: RequestContext) -> CsvAnswer:
    """The rows of a mapping schema as CSV: ``key`` then one column per mapped field."""
    schema_id = ctx.body["schema_id"]
    rows = [
        r
        for r in ctx.state.store.collection("/enrichment/mapping/data").values()
        if r.get("schema_id") == schema_id
    ]
    fields = sorted({name for r in rows for name in (r.get("fields") or {})})
    items = [{"key": r.get("key", ""), **(r.get("fields") or {})} for r in rows]
    return CsvAnswer(f"mapping-{schema_id}.csv", to_csv(["key", *fields], items))
