"""What a metrics export shows people: the markdown report, the table rows and the chart."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from flashcat_prefect.flows._metrics_aggregate import METRIC_COLUMNS

CHART_AVAILABLE = importlib.util.find_spec("matplotlib") is not None
"""The PNG chart needs the optional ``charts`` extra (matplotlib)."""


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


def readable_rows(table: pd.DataFrame) -> list[dict[str, str]]:
    """Summary rows with durations and shares formatted, for artifacts and markdown."""
    rows = []
    for record in table.to_dict("records"):
        row = {}
        for column, value in record.items():
            if column.endswith("_s"):
                row[column] = format_duration(value)
            elif column in ("ack_rate", "off_hours_share"):
                row[column] = format_share(value)
            else:
                row[column] = _fmt(value)
        rows.append(row)
    return rows


def markdown_table(table: pd.DataFrame, columns: list[str]) -> str:
    rows = readable_rows(table[columns])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(row[c] for c in columns) + " |" for row in rows]
    return "\n".join(lines)


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
        "\n".join(f"- {fmt}: `{path}`" for fmt, path in files.items()),
    ]
    if notes:
        parts += ["## Notes", "\n".join(f"- {note}" for note in notes)]
    return "\n\n".join(parts) + "\n"


def prepare_chart() -> None:
    """Import matplotlib with the file-only Agg backend (slow the first time; call it early
    in a background thread to take the cost off the end of a run)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot


def write_chart(summary: pd.DataFrame, path: Path) -> Path:
    """PNG: incidents per ISO week, and MTTA/MTTR medians (minutes) per team."""
    prepare_chart()
    import matplotlib.pyplot as plt

    weeks = summary[summary["dimension"] == "week"]
    teams = summary[summary["dimension"] == "team"]
    figure, (weekly_axes, team_axes) = plt.subplots(1, 2, figsize=(13, 4.5))
    try:
        weekly_axes.bar(weeks["key"].astype(str), weeks["incidents"], color="#4c72b0")
        weekly_axes.set_title("Incidents per ISO week")
        weekly_axes.tick_params(axis="x", labelrotation=60, labelsize=7)

        names = teams["name"].fillna("(no team)").astype(str).tolist()
        positions = range(len(names))
        mtta = (teams["mtta_median_s"].astype("Float64") / 60).fillna(0).tolist()
        mttr = (teams["mttr_median_s"].astype("Float64") / 60).fillna(0).tolist()
        team_axes.bar([p - 0.2 for p in positions], mtta, width=0.4, label="MTTA median")
        team_axes.bar([p + 0.2 for p in positions], mttr, width=0.4, label="MTTR median")
        team_axes.set_xticks(list(positions), names, rotation=30, fontsize=8)
        team_axes.set_ylabel("minutes")
        team_axes.set_title("MTTA / MTTR by team")
        team_axes.legend()
        figure.tight_layout()
        figure.savefig(path, dpi=110)
    finally:
        plt.close(figure)
    return path
