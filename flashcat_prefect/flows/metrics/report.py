"""What a metrics export shows people: its report, the markdown page, the table rows, the chart."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field

from flashcat_prefect.flows.metrics.aggregate import METRIC_COLUMNS

CHART_AVAILABLE = importlib.util.find_spec("matplotlib") is not None
"""The PNG chart needs the optional ``charts`` extra (matplotlib)."""


class MetricsExportReport(BaseModel):
    """What one export produced."""

    incident_count: int = Field(description="Incidents in the exported files after this run.")
    fetched_count: int = Field(description="Distinct incidents fetched by this run.")
    new_count: int = Field(description="Incidents the files did not hold before this run.")
    updated_count: int = Field(
        description="Incidents already exported whose updated_at moved since the last run."
    )
    duplicates_dropped: int = Field(description="Repeated incident ids skipped while fetching.")
    windows: int
    concurrency: int = Field(description="Windows fetched at once.")
    pages: int
    start: datetime
    end: datetime
    fetched_from: datetime = Field(
        description="Start of what was fetched (later when incremental)."
    )
    time_zone: str
    incremental: bool
    files: dict[str, str] = Field(description="Format (parquet, csv, summary_csv, png) to path.")
    summary: dict[str, float | int | None] = Field(
        description="Overall figures: incidents, MTTA/MTTR median and p90 (s), ack rate, ..."
    )
    by_team: list[dict[str, Any]]
    noisiest_channels: list[dict[str, Any]]
    seconds: float
    phase_seconds: dict[str, float] = Field(
        default_factory=dict, description="Wall time of the phases: fetch, files, artifacts."
    )
    watermark_variable: str | None = None


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain JSON values (missing values as None) for the pydantic report."""
    return json.loads(frame.to_json(orient="records"))


def _fmt(value: Any) -> str:
    """Numbers for people: durations as 1h 02m / 3m 05s / 12s, shares as percentages."""
    if value is None or pd.isna(value):
        return "-"
    return f"{value:.0f}" if isinstance(value, int | float) else str(value)


def format_duration(seconds: Any) -> str:
    if seconds is None or pd.isna(seconds):
        return "-"
    seconds = round(float(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


def format_share(value: Any) -> str:
    return "-" if value is None or pd.isna(value) else f"{100 * float(value):.1f}%"


DURATION_SUFFIX = "_s"
SHARE_COLUMNS = ("ack_rate", "off_hours_share")


def readable_name(column: str) -> str:
    """The header for a formatted column: durations lose their ``_s`` (they read 5m 06s)."""
    return column.removesuffix(DURATION_SUFFIX) if column.endswith(DURATION_SUFFIX) else column


def readable_rows(table: pd.DataFrame) -> list[dict[str, str]]:
    """Rows with durations and shares formatted, under headers that match (``mtta_median``
    holds ``5m 06s``), for artifacts and markdown."""
    rows = []
    for record in table.to_dict("records"):
        row = {}
        for column, value in record.items():
            if column.endswith(DURATION_SUFFIX):
                row[readable_name(column)] = format_duration(value)
            elif column in SHARE_COLUMNS:
                row[column] = format_share(value)
            else:
                row[column] = _fmt(value)
        rows.append(row)
    return rows


def summary_artifact_rows(summary: pd.DataFrame) -> list[dict[str, str]]:
    """The summary table for the table artifact, narrow enough to read: ``key`` and ``name``
    become one ``group`` column (``SRE (3001)``; a week or severity once, not twice)."""
    names = summary["name"].astype("string").fillna("(none)")
    keys = summary["key"].astype("string").fillna("")
    group = names.where(names == keys, names + " (" + keys + ")")
    narrow = summary.drop(columns=["key", "name"])
    narrow.insert(1, "group", group)
    return readable_rows(narrow)


def markdown_table(table: pd.DataFrame, columns: list[str]) -> str:
    rows = readable_rows(table[columns])
    headers = [readable_name(column) for column in columns]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row[h] for h in headers) + " |" for row in rows]
    return "\n".join(lines)


def rounded_summary(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary as written to ``summary.csv``: durations in whole seconds, shares to four
    decimals (the computed medians and percentiles carry float noise)."""
    rounded = summary.copy()
    for column in rounded.columns:
        if column.endswith(DURATION_SUFFIX):
            rounded[column] = rounded[column].astype("Float64").round(0).astype("Int64")
        elif column in SHARE_COLUMNS:
            rounded[column] = rounded[column].astype("Float64").round(4)
    return rounded


def markdown_report(
    *,
    title: str,
    range_text: str,
    overall: Mapping[str, Any],
    summary: pd.DataFrame,
    noisiest: pd.DataFrame,
    files: Mapping[str, str],
    notes: list[str],
) -> str:
    """The flow's markdown artifact: headline figures, per-team table, noisy channels, files."""
    headline = [
        f"- Incidents: **{overall['incidents']}**",
        f"- MTTA median / p90: **{format_duration(overall['mtta_median_s'])}** / "
        f"{format_duration(overall['mtta_p90_s'])}",
        f"- MTTR median / p90: **{format_duration(overall['mttr_median_s'])}** / "
        f"{format_duration(overall['mttr_p90_s'])}",
        f"- Ack rate: {format_share(overall['ack_rate'])}; escalations: "
        f"{overall['escalations']}; off-hours share: {format_share(overall['off_hours_share'])} "
        "(weekends or outside 09:00-18:00 local)",
    ]
    columns = ["name", *METRIC_COLUMNS]
    teams = summary[summary["dimension"] == "team"]
    parts = [
        f"# {title}",
        range_text,
        "\n".join(headline),
        "## By team",
        markdown_table(teams, columns) if len(teams) else "No incidents.",
        "## Noisiest channels",
        markdown_table(noisiest, columns) if len(noisiest) else "No incidents.",
        "## Files",
        "\n".join(
            f"- {fmt}: [`{Path(path).resolve()}`]({Path(path).resolve().as_uri()})"
            for fmt, path in files.items()
        ),
    ]
    if notes:
        parts += ["## Notes", "\n".join(f"- {note}" for note in notes)]
    return "\n\n".join(parts) + "\n"


def prepare_chart() -> None:
    """Import matplotlib with the file-only Agg backend (slow the first time; call it early
    in a background thread to take the cost off the end of a run)."""
    import matplotlib  # deferred: optional (the charts extra) and slow to import

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot


def iso_week_label(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def partial_weeks(start: datetime, end: datetime) -> set[str]:
    """ISO weeks (``2026-W07``) the range ``start``..``end`` covers only in part: the first
    unless it starts on a Monday at midnight, the last unless it ends at the week's end."""
    partial: set[str] = set()
    first_monday = datetime.combine(
        start.date() - timedelta(days=start.weekday()), time(), start.tzinfo
    )
    if start > first_monday:
        partial.add(iso_week_label(start))
    next_monday = datetime.combine(
        end.date() + timedelta(days=7 - end.weekday()), time(), end.tzinfo
    )
    if end < next_monday - timedelta(seconds=1):
        partial.add(iso_week_label(end))
    return partial


WEEK_COLOR, PARTIAL_COLOR = "#4c72b0", "#b8c7e0"
MTTA_COLOR, MTTR_COLOR = "#dd8452", "#55a868"


def write_chart(
    summary: pd.DataFrame, path: Path, window: tuple[datetime, datetime] | None = None
) -> Path:
    """PNG in three panels: incidents per ISO week (weeks the range covers only in part
    hatched and labelled), MTTA median per team (minutes) and MTTR median per team (hours),
    each on its own scale. No legends: the titles and tick labels say it all, and nothing
    sits over the bars."""
    prepare_chart()
    import matplotlib.pyplot as plt  # deferred: optional and slow (see prepare_chart)

    weeks = summary[summary["dimension"] == "week"]
    teams = summary[summary["dimension"] == "team"]
    partial = partial_weeks(*window) if window else set()
    figure, (weekly_axes, mtta_axes, mttr_axes) = plt.subplots(
        1, 3, figsize=(15, 4.8), gridspec_kw={"width_ratios": [1.6, 1, 1]}
    )
    try:
        labels = weeks["key"].astype(str).tolist()
        bars = weekly_axes.bar(
            labels,
            weeks["incidents"],
            color=[PARTIAL_COLOR if week in partial else WEEK_COLOR for week in labels],
        )
        for bar, week in zip(bars, labels, strict=True):
            if week in partial:
                bar.set_hatch("//")
        weekly_axes.set_xticks(
            range(len(labels)),
            [f"{week}\n(partial)" if week in partial else week for week in labels],
            rotation=60,
            fontsize=7,
        )
        weekly_axes.set_title(
            "Incidents per ISO week" + (" (hatched: partly in range)" if partial else "")
        )
        names = teams["name"].fillna("(no team)").astype(str).tolist()
        for axes, column, scale, unit, color, title in (
            (mtta_axes, "mtta_median_s", 60, "minutes", MTTA_COLOR, "MTTA median by team"),
            (mttr_axes, "mttr_median_s", 3600, "hours", MTTR_COLOR, "MTTR median by team"),
        ):
            values = (teams[column].astype("Float64") / scale).fillna(0).tolist()
            axes.bar(range(len(names)), values, color=color)
            axes.set_xticks(range(len(names)), names, rotation=30, fontsize=8, ha="right")
            axes.set_ylabel(unit)
            axes.set_title(title)
        figure.tight_layout()
        figure.savefig(path, dpi=110)
    finally:
        plt.close(figure)
    return path
