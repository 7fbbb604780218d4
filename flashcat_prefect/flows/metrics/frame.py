"""The typed, flat shape of one exported incident: Arrow schema, flattening, pandas view.

An ``/incident/list`` item is nested (``assigned_to``, ``responders``) and uses ``0`` for
"not set". Here each item becomes one flat row: nulls instead of zeros, durations computed,
responders and assignment reduced to a few useful columns, and the team looked up from the
channel (incidents carry ``channel_id`` only). The work is columnar: pyarrow converts a page
of items to a struct array in C++ (:func:`wire_array`) and :func:`incident_batch` derives the
columns with Arrow compute, several times faster than a Python loop over the items. The
writer streams the batches into Parquet; :func:`typed_frame` turns a table into the pandas
frame users get: time-zone-aware datetimes, categories and nullable integers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
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


_I64, _STR = pa.int64(), pa.string()

WIRE_ITEM = pa.struct(
    [
        pa.field("incident_id", _STR),
        pa.field("num", _STR),
        pa.field("title", _STR),
        pa.field("incident_severity", _STR),
        pa.field("incident_status", _STR),
        pa.field("progress", _STR),
        pa.field("channel_id", _I64),
        pa.field("channel_name", _STR),
        *(pa.field(name, _I64) for name in TIME_COLUMNS),
        pa.field("creator_id", _I64),
        pa.field("closer_id", _I64),
        pa.field("alert_cnt", _I64),
        pa.field("ever_muted", pa.bool_()),
        pa.field(
            "responders",
            pa.list_(pa.struct([pa.field("person_id", _I64), pa.field("acknowledged_at", _I64)])),
        ),
        pa.field(
            "assigned_to",
            pa.struct(
                [
                    pa.field("person_ids", pa.list_(_I64)),
                    pa.field("type", _STR),
                    pa.field("layer_idx", _I64),
                    pa.field("escalate_rule_name", _STR),
                ]
            ),
        ),
    ]
)
"""The part of an ``/incident/list`` item the export reads (other keys are skipped)."""


def wire_array(items: Sequence[Mapping[str, Any]]) -> pa.StructArray:
    """Items as one Arrow struct array, converted in C++ (no Python loop per field).

    A value of the wrong type (say a string where an id belongs) is a ValueError naming
    the field and the incident.
    """
    try:
        return pa.array(items, type=WIRE_ITEM)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise ValueError(_wrong_type(items) or f"incident list items: {exc}") from exc


def _wrong_type(items: Sequence[Mapping[str, Any]]) -> str | None:
    """Which item and field broke the conversion (only run after a failure)."""
    for item in items:
        for wire_field in WIRE_ITEM:
            try:
                pa.array([item.get(wire_field.name)], type=wire_field.type)
            except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                return (
                    f"incident {item.get('incident_id')!r}: field {wire_field.name!r} "
                    f"has an unexpected value ({exc})"
                )
    return None


def _unset_as_null(values: pa.Array) -> pa.Array:
    """Flashduty writes 0 (or an empty string) for unset ids and times; we write null."""
    zero = pa.scalar("" if pa.types.is_string(values.type) else 0, values.type)
    return pc.if_else(pc.equal(values, zero), pa.scalar(None, values.type), values)


def _lookup(keys: pa.Array, table: Mapping[Any, Any], value_type: pa.DataType) -> pa.Array:
    """``table[key]`` for each key; null where the key is null or absent."""
    known = pa.array(list(table), keys.type)
    values = pa.array(list(table.values()), value_type)
    return pc.take(values, pc.index_in(keys, value_set=known))


def _responder_columns(responders: pa.ListArray, rows: int) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Responder count, first responder and first acknowledger (earliest ``acknowledged_at``,
    the earlier-listed responder on a tie) of each incident."""
    count = pc.fill_null(pc.list_value_length(responders), 0)
    flat = pc.list_flatten(responders)
    owner = pc.list_parent_indices(responders).to_numpy()
    person = pc.struct_field(flat, "person_id")
    acked_at = pc.fill_null(pc.struct_field(flat, "acknowledged_at"), 0).to_numpy()

    def per_incident(positions: np.ndarray) -> pa.Array:
        """``person`` at each incident's first listed position among ``positions``."""
        owners = owner[positions]
        first = positions[np.unique(owners, return_index=True)[1]]
        slots = np.full(rows, -1, dtype=np.int64)
        slots[owner[first]] = first
        return _unset_as_null(pc.take(person, pa.array(slots, mask=slots < 0)))

    acked = np.flatnonzero(acked_at > 0)
    earliest_first = acked[np.lexsort((acked, acked_at[acked], owner[acked]))]
    return count, per_incident(np.arange(len(owner))), per_incident(earliest_first)


def incident_batch(
    items: pa.StructArray | Sequence[Mapping[str, Any]],
    schema: pa.Schema,
    directory: ChannelDirectory,
) -> pa.RecordBatch:
    """``/incident/list`` items (raw, or already through :func:`wire_array`) as one record
    batch of :data:`COLUMNS`: nulls for unset values, durations, the channel's team,
    responders and assignment reduced to a few columns, off-hours from the local start."""
    wire = items if isinstance(items, pa.StructArray) else wire_array(items)
    field = dict(zip(WIRE_ITEM.names, wire.flatten(), strict=True))
    assigned = field["assigned_to"]

    def assignment(name: str) -> pa.Array:
        return pc.struct_field(assigned, name)

    columns: dict[str, pa.Array] = {
        name: _unset_as_null(field[name])
        for name in (
            "num",
            "incident_severity",
            "incident_status",
            "progress",
            "channel_id",
            "channel_name",
            *TIME_COLUMNS,
            "creator_id",
            "closer_id",
        )
    }
    columns["incident_id"] = field["incident_id"]
    columns["title"] = field["title"]
    columns["alert_cnt"] = field["alert_cnt"]
    columns["team_id"] = _lookup(columns["channel_id"], directory.channel_team, _I64)
    columns["team_name"] = _lookup(columns["team_id"], directory.team_names, _STR)
    columns["seconds_to_ack"] = pc.subtract(columns["ack_time"], columns["start_time"])
    columns["seconds_to_close"] = pc.subtract(columns["close_time"], columns["start_time"])
    (
        columns["responder_count"],
        columns["first_responder_id"],
        columns["first_acker_id"],
    ) = _responder_columns(field["responders"], len(wire))
    person_ids = pc.cast(assignment("person_ids"), pa.list_(_STR))
    columns["assigned_person_ids"] = _unset_as_null(pc.binary_join(person_ids, ","))
    columns["assignment_type"] = _unset_as_null(assignment("type"))
    columns["escalation_layer"] = assignment("layer_idx")
    columns["escalate_rule_name"] = _unset_as_null(assignment("escalate_rule_name"))
    columns["escalated"] = pc.or_(
        pc.fill_null(pc.equal(columns["assignment_type"], "escalate"), False),
        pc.fill_null(pc.not_equal(columns["escalation_layer"], 0), False),
    )
    columns["ever_muted"] = pc.fill_null(field["ever_muted"], False)
    for name in TIME_COLUMNS:
        columns[name] = columns[name].cast(schema.field(name).type)
    columns["off_hours"] = off_hours_mask(columns["start_time"])
    for name in CATEGORIES:
        columns[name] = pc.dictionary_encode(columns[name])
    return pa.RecordBatch.from_arrays([columns[n] for n in schema.names], schema=schema)


def off_hours_mask(start_times: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """True where a zoned start time falls on a weekend or outside 09:00-18:00 local."""
    hour = pc.hour(start_times)
    weekend = pc.greater_equal(pc.day_of_week(start_times), 5)  # Monday=0 … Sunday=6
    outside = pc.or_(pc.less(hour, WORKDAY_START_HOUR), pc.greater_equal(hour, WORKDAY_END_HOUR))
    return pc.or_(weekend, outside)


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
