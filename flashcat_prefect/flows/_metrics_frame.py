"""The typed, flat shape of one exported incident: Arrow schema, flattening, pandas view.

An ``/incident/list`` item is nested (``assigned_to``, ``responders``) and uses ``0`` for
"not set". Here each item becomes one flat row: nulls instead of zeros, durations computed,
responders and assignment reduced to a few useful columns, and the team looked up from the
channel (incidents carry ``channel_id`` only). Rows go to Arrow record batches, which the
writer streams into Parquet; :func:`typed_frame` turns a table into the pandas frame users
get: time-zone-aware datetimes, categories and nullable integers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

SEVERITIES = ("Critical", "Warning", "Info", "Ok")
PROGRESSES = ("Triggered", "Processing", "Closed")
ASSIGNMENT_TYPES = ("assign", "reassign", "escalate", "reopen")

WORKDAY_START_HOUR = 9
WORKDAY_END_HOUR = 18
"""Off-hours: Saturday, Sunday, or a local start time outside 09:00-18:00."""

CATEGORIES: dict[str, tuple[str, ...]] = {
    "incident_severity": SEVERITIES,
    "incident_status": SEVERITIES,
    "progress": PROGRESSES,
    "assignment_type": ASSIGNMENT_TYPES,
}
"""Category columns and their fixed category sets (severity is ordered, worst first)."""

TIME_COLUMNS = (
    "start_time",
    "ack_time",
    "close_time",
    "end_time",
    "last_time",
    "created_at",
    "updated_at",
)

_STRING, _INT, _BOOL, _TIME, _CATEGORY = "string", "int", "bool", "time", "category"

# Column name -> kind, in file order. The time zone of the time columns is set per export.
COLUMNS: dict[str, str] = {
    "incident_id": _STRING,
    "num": _STRING,
    "title": _STRING,
    "incident_severity": _CATEGORY,
    "incident_status": _CATEGORY,
    "progress": _CATEGORY,
    "channel_id": _INT,
    "channel_name": _STRING,
    "team_id": _INT,
    "team_name": _STRING,
    **dict.fromkeys(TIME_COLUMNS, _TIME),
    "seconds_to_ack": _INT,
    "seconds_to_close": _INT,
    "creator_id": _INT,
    "closer_id": _INT,
    "alert_cnt": _INT,
    "responder_count": _INT,
    "first_responder_id": _INT,
    "first_acker_id": _INT,
    "assigned_person_ids": _STRING,
    "assignment_type": _CATEGORY,
    "escalation_layer": _INT,
    "escalate_rule_name": _STRING,
    "escalated": _BOOL,
    "ever_muted": _BOOL,
    "off_hours": _BOOL,
}
DERIVED_COLUMNS = ("off_hours",)
"""Columns computed on the Arrow batch rather than per item."""


def arrow_schema(time_zone: str) -> pa.Schema:
    """The Parquet schema of an export whose datetimes are shown in ``time_zone``."""
    types = {
        _STRING: pa.string(),
        _INT: pa.int64(),
        _BOOL: pa.bool_(),
        _TIME: pa.timestamp("s", tz=time_zone),
        _CATEGORY: pa.dictionary(pa.int32(), pa.string()),
    }
    return pa.schema([pa.field(name, types[kind]) for name, kind in COLUMNS.items()])


@dataclass(frozen=True)
class ChannelDirectory:
    """What an incident row needs to know about channels and teams, fetched once per export."""

    channel_team: Mapping[int, int] = field(default_factory=dict)
    team_names: Mapping[int, str] = field(default_factory=dict)

    def team_of(self, channel_id: int | None) -> tuple[int | None, str | None]:
        team_id = self.channel_team.get(channel_id) if channel_id is not None else None
        return team_id, self.team_names.get(team_id) if team_id is not None else None


def _set(value: Any) -> Any:
    """Flashduty writes 0 (or an empty string) for unset ids and times; we write null."""
    return value or None


def _first_acker(responders: Sequence[Mapping[str, Any]]) -> int | None:
    acked = [r for r in responders if r.get("acknowledged_at")]
    if not acked:
        return None
    return _set(min(acked, key=lambda r: r["acknowledged_at"]).get("person_id"))


def flatten_incident(item: Mapping[str, Any], directory: ChannelDirectory) -> tuple[Any, ...]:
    """One ``/incident/list`` item as a row in :data:`COLUMNS` order (without derived ones)."""
    start = item.get("start_time") or None
    ack = item.get("ack_time") or None
    close = item.get("close_time") or None
    assigned = item.get("assigned_to") or {}
    responders = item.get("responders") or []
    person_ids = assigned.get("person_ids") or []
    layer = assigned.get("layer_idx")
    channel_id = _set(item.get("channel_id"))
    team_id, team_name = directory.team_of(channel_id)
    return (
        item["incident_id"],
        _set(item.get("num")),
        item.get("title"),
        _set(item.get("incident_severity")),
        _set(item.get("incident_status")),
        _set(item.get("progress")),
        channel_id,
        _set(item.get("channel_name")),
        team_id,
        team_name,
        start,
        ack,
        close,
        _set(item.get("end_time")),
        _set(item.get("last_time")),
        _set(item.get("created_at")),
        _set(item.get("updated_at")),
        ack - start if ack and start else None,
        close - start if close and start else None,
        _set(item.get("creator_id")),
        _set(item.get("closer_id")),
        item.get("alert_cnt"),
        len(responders),
        _set(responders[0].get("person_id")) if responders else None,
        _first_acker(responders),
        ",".join(str(p) for p in person_ids) or None,
        _set(assigned.get("type")),
        layer,
        _set(assigned.get("escalate_rule_name")),
        assigned.get("type") == "escalate" or bool(layer),
        bool(item.get("ever_muted")),
    )


def off_hours_mask(start_times: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """True where a zoned start time falls on a weekend or outside 09:00-18:00 local."""
    hour = pc.hour(start_times)
    weekend = pc.greater_equal(pc.day_of_week(start_times), 5)  # Monday=0 … Sunday=6
    outside = pc.or_(pc.less(hour, WORKDAY_START_HOUR), pc.greater_equal(hour, WORKDAY_END_HOUR))
    return pc.or_(weekend, outside)


def rows_to_batch(rows: Sequence[tuple[Any, ...]], schema: pa.Schema) -> pa.RecordBatch:
    """Build one record batch from flattened rows, adding the derived columns."""
    names = [n for n in schema.names if n not in DERIVED_COLUMNS]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    arrays: dict[str, pa.Array] = {}
    for name, values in zip(names, columns, strict=True):
        target = schema.field(name).type
        if pa.types.is_dictionary(target):
            arrays[name] = pa.array(values, pa.string()).dictionary_encode()
        else:
            arrays[name] = pa.array(values, target)
    arrays["off_hours"] = off_hours_mask(arrays["start_time"])
    return pa.RecordBatch.from_arrays([arrays[n] for n in schema.names], schema=schema)


def typed_frame(table: pa.Table) -> pd.DataFrame:
    """The pandas view of exported incidents.

    Datetimes stay aware in the export's time zone, integers become nullable ``Int64``,
    flags ``boolean``, and severity/progress/status/assignment fixed categories (severity
    ordered worst first), so frames from different exports concatenate cleanly.
    """
    frame = table.to_pandas(
        types_mapper={pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}.get
    )
    for name, categories in CATEGORIES.items():
        if name in frame.columns:
            dtype = pd.CategoricalDtype(list(categories), ordered=name == "incident_severity")
            frame[name] = frame[name].astype("string").astype(dtype)
    return frame
