"""Incident-metrics export: incidents for any range to pandas, Parquet, CSV and a summary.

:func:`export_incident_metrics` is the flow; :func:`load_exported_incidents` reads an export
back as a typed DataFrame; :func:`insight_frame` and :func:`insight_export_frame` fetch
Flashduty's own insight figures to set beside it.

The package keeps a pure core that tests call without Prefect or HTTP (``windows``: the
range cut into ``/incident/list`` windows; ``plan``: parameters, files, watermark;
``frame``: pages to Arrow rows; ``aggregate``: MTTA/MTTR figures; ``report``: what people
see; ``writer``: the files; ``insights``: the server's figures) and a Prefect shell
(``export``: the flow and its window task, run off the flow's thread by ``background``;
``assets``: the files as Prefect assets).
"""

from __future__ import annotations

from flashcat_prefect.flows.metrics.export import export_incident_metrics
from flashcat_prefect.flows.metrics.insights import (
    EXPORT_DIMENSIONS,
    INSIGHT_DIMENSIONS,
    insight_body,
    insight_export_frame,
    insight_frame,
)
from flashcat_prefect.flows.metrics.plan import (
    MAX_FETCH_CONCURRENCY,
    REPORT_ARTIFACT_KEY,
    TABLE_ARTIFACT_KEY,
    ProgressCallback,
)
from flashcat_prefect.flows.metrics.report import MetricsExportReport
from flashcat_prefect.flows.metrics.windows import MAX_INCIDENT_LIST_SPAN, TimeWindow, plan_windows
from flashcat_prefect.flows.metrics.writer import load_exported_incidents

__all__ = [
    "EXPORT_DIMENSIONS",
    "INSIGHT_DIMENSIONS",
    "MAX_FETCH_CONCURRENCY",
    "MAX_INCIDENT_LIST_SPAN",
    "REPORT_ARTIFACT_KEY",
    "TABLE_ARTIFACT_KEY",
    "MetricsExportReport",
    "ProgressCallback",
    "TimeWindow",
    "export_incident_metrics",
    "insight_body",
    "insight_export_frame",
    "insight_frame",
    "load_exported_incidents",
    "plan_windows",
]
