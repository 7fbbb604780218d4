"""Reliability figures from exported incidents: MTTA, MTTR, ack rate, escalations, off-hours.

Definitions (all durations in seconds, measured from the incident's ``start_time``):

- MTTA: time to the first acknowledgement (``ack_time``), over acknowledged incidents.
- MTTR: time to close (``close_time``), over closed incidents.
- Median and p90 use linear interpolation between order statistics (numpy's default).
- Ack rate: share of incidents acknowledged. Escalations: incidents whose current
  assignment came from an escalation (``assigned_to.type == "escalate"`` or a layer above 0).
- Off-hours share: share of incidents starting on a Saturday or Sunday, or outside
  09:00-18:00 local time in the export's time zone.

Only the columns these figures need are read from the Parquet file, so a million incidents
fit comfortably in memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from flashcat_prefect.flows.metrics.frame import typed_frame

SUMMARY_INPUT_COLUMNS = [
    "incident_severity",
    "channel_id",
    "channel_name",
    "team_id",
    "team_name",
    "start_time",
    "seconds_to_ack",
    "seconds_to_close",
    "escalated",
    "off_hours",
]

METRIC_COLUMNS = [
    "incidents",
    "mtta_median_s",
    "mtta_p90_s",
    "mttr_median_s",
    "mttr_p90_s",
    "ack_rate",
    "escalations",
    "off_hours_share",
]
COUNT_COLUMNS = ("incidents", "escalations")

DIMENSIONS = {
    "team": ("team_id", "team_name"),
    "channel": ("channel_id", "channel_name"),
    "severity": ("incident_severity", None),
    "week": ("iso_week", None),
}
"""Summary dimension -> (key column, optional display-name column)."""


def read_summary_frame(parquet_path: Path) -> pd.DataFrame:
    """The columns the summary needs, typed, plus ``iso_week`` (e.g. ``2026-W07``)."""
    names = ["channel_name", "team_name"]  # few distinct values: keep them as categories
    table = pq.read_table(parquet_path, columns=SUMMARY_INPUT_COLUMNS, read_dictionary=names)
    return with_iso_week(typed_frame(table))


def with_iso_week(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the ISO week of each incident's local start time as ``iso_week``."""
    calendar = frame["start_time"].dt.isocalendar()
    frame["iso_week"] = (
        calendar["year"].astype("string") + "-W" + calendar["week"].astype("string").str.zfill(2)
    )
    return frame


def _metrics(grouped: Any) -> pd.DataFrame:
    """The metric columns for a ``groupby`` (or a one-group stand-in) of incidents."""
    ack = grouped["seconds_to_ack"]
    close = grouped["seconds_to_close"]
    return pd.DataFrame(
        {
            "incidents": grouped.size(),
            "mtta_median_s": ack.median(),
            "mtta_p90_s": ack.quantile(0.9),
            "mttr_median_s": close.median(),
            "mttr_p90_s": close.quantile(0.9),
            "ack_rate": ack.count() / grouped.size(),
            "escalations": grouped["escalated"].sum(),
            "off_hours_share": grouped["off_hours"].mean(),
        }
    )


def metrics_by(frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Metrics per value of one summary dimension (``team``, ``channel``, ``severity``, ``week``).

    The result has ``key`` and ``name`` columns followed by :data:`METRIC_COLUMNS`, ordered by
    key; incidents without a key (e.g. a channel with no team) form a group of their own.
    """
    key_column, name_column = DIMENSIONS[dimension]
    grouped = frame.groupby(key_column, observed=True, dropna=False, sort=True)
    table = _metrics(grouped)
    if name_column is not None:
        names = grouped[name_column].first()
    else:
        names = pd.Series(table.index.astype("string"), index=table.index)
    table.insert(0, "name", names)
    table.insert(0, "key", table.index.astype("string"))
    return table.reset_index(drop=True)


def overall_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row (``key`` ``all``) with the metric columns over every incident."""
    table = _metrics(frame.assign(_all="all").groupby("_all")).reindex(["all"])
    for name in COUNT_COLUMNS:  # an empty export has zero incidents, not an unknown count
        table[name] = table[name].fillna(0).astype("int64")
    table.insert(0, "name", "all incidents")
    table.insert(0, "key", "all")
    return table.reset_index(drop=True)


def overall_metrics(frame: pd.DataFrame) -> dict[str, float | int | None]:
    """The metric columns over every incident as plain numbers (None where undefined)."""
    row = overall_table(frame).iloc[0]
    return {name: _plain(name, row[name]) for name in METRIC_COLUMNS}


def _plain(name: str, value: Any) -> float | int | None:
    if pd.isna(value):
        return None
    return int(value) if name in COUNT_COLUMNS else float(value)


def summary_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One long table: an ``all`` row, then every team, channel, severity and ISO week."""
    parts = [overall_table(frame).assign(dimension="all")]
    parts += [metrics_by(frame, dim).assign(dimension=dim) for dim in DIMENSIONS]
    table = pd.concat(parts, ignore_index=True)
    return table[["dimension", "key", "name", *METRIC_COLUMNS]]


def noisiest_channels(frame: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """The ``top`` channels by incident count (ties broken by channel id)."""
    table = metrics_by(frame, "channel")
    return (
        table.assign(_id=table["key"].astype("Int64"))
        .sort_values(["incidents", "_id"], ascending=[False, True])
        .drop(columns="_id")
        .head(top)
        .reset_index(drop=True)
    )
