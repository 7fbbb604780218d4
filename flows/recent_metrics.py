"""A rolling-window front for the metrics export, for daily schedules.

``export_incident_metrics`` takes a fixed ``start``/``end``; a deployment's parameters are
fixed too, so a daily run needs something that says "the last N days, up to now". This flow
computes that range at run time and runs the export as a subflow.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prefect import flow

from flashcat_prefect.credentials import FlashcatCredentials  # runtime: flow parameter type
from flashcat_prefect.flows.metrics import MetricsExportReport, export_incident_metrics

MAX_DAYS = 3660


@flow(
    name="export-recent-incident-metrics",
    description="Export the incidents of the last N days (up to now) with MTTA/MTTR summaries.",
)
def export_recent_incident_metrics(
    credentials: FlashcatCredentials | str = "flashcat",
    days: int = 90,
    output_dir: str = "flashcat-export",
    time_zone: str = "Asia/Shanghai",
    since_last_run: bool = True,
    team_ids: list[int] | None = None,
    channel_ids: list[int] | None = None,
    severities: list[str] | None = None,
    formats: list[str] | None = None,
) -> MetricsExportReport:
    """Export incidents started in the last ``days`` days, ending now.

    Args:
        credentials: a ``FlashcatCredentials`` block, or the name of a saved one.
        days: length of the rolling range (1 to 3660).
        output_dir, time_zone, since_last_run, team_ids, channel_ids, severities, formats:
            passed on to ``export_incident_metrics`` (``formats`` default: Parquet and CSV).
    """
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days: must be between 1 and {MAX_DAYS}, got {days}")
    end = datetime.now(UTC).replace(microsecond=0)
    return export_incident_metrics(
        credentials=credentials,
        start=end - timedelta(days=days),
        end=end,
        team_ids=team_ids,
        channel_ids=channel_ids,
        severities=severities,
        output_dir=output_dir,
        formats=formats or ["parquet", "csv"],
        time_zone=time_zone,
        since_last_run=since_last_run,
    )
