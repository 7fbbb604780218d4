"""What one export will do, decided before any request: filters, formats, files, watermark.

Plain functions and values the flow uses to check its parameters, pick how many windows to
fetch at once and where an incremental run starts; no Prefect and no HTTP.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from flashcat_prefect.flows.metrics.frame import SEVERITIES
from flashcat_prefect.flows.metrics.windows import TimeWindow

PAGE_LIMIT = 100
MIN_FETCH_CONCURRENCY = 2
AUTO_MAX_FETCH_CONCURRENCY = 16
"""Most windows in flight the automatic choice picks (when latency dominates)."""
MAX_FETCH_CONCURRENCY = 64
"""Most windows in flight a caller may ask for."""
PAGE_WORK_SECONDS = 0.005
"""About what one 100-incident page costs this process (HTTP, decoding, conversion) and the
server beyond a small request; each such stretch of round trip keeps one more window in
flight (see :func:`choose_fetch_concurrency`)."""
DEFAULT_LOOKBACK = timedelta(days=7)
LATE_ARRIVAL_OVERLAP = 3600
"""Incremental runs re-read the last hour before the newest start seen, for late arrivals."""

FORMATS = ("parquet", "csv")
PARQUET_NAME = "incidents.parquet"
CSV_NAME = "incidents.csv"
SUMMARY_NAME = "summary.csv"
CHART_NAME = "incidents-chart.png"
TABLE_ARTIFACT_KEY = "flashcat-incident-metrics"
REPORT_ARTIFACT_KEY = "flashcat-incident-metrics-report"
WATERMARK_PREFIX = "flashcat_metrics_watermark_"

ProgressCallback = Callable[[int, int, int], None]
"""``(done_windows, total_windows, incidents_so_far) -> None``, e.g. to drive a progress bar."""


@dataclass(frozen=True)
class ExportFilters:
    """The incident filters of one export, validated, in the shapes the API wants."""

    team_ids: tuple[int, ...] = ()
    channel_ids: tuple[int, ...] = ()
    severities: tuple[str, ...] = ()

    @classmethod
    def checked(
        cls,
        team_ids: Sequence[int] | None,
        channel_ids: Sequence[int] | None,
        severities: Sequence[str] | None,
    ) -> ExportFilters:
        return cls(
            team_ids=_ids("team_ids", team_ids),
            channel_ids=_ids("channel_ids", channel_ids),
            severities=_severities(severities),
        )

    def list_body(self, window: TimeWindow) -> dict[str, Any]:
        """The first-page ``/incident/list`` body for ``window``."""
        body: dict[str, Any] = {
            "start_time": window.start,
            "end_time": window.end,
            "limit": PAGE_LIMIT,
            "asc": True,
        }
        if self.team_ids:
            body["team_ids"] = list(self.team_ids)
        if self.channel_ids:
            body["channel_ids"] = list(self.channel_ids)
        if self.severities:
            body["incident_severity"] = ",".join(self.severities)
        return body


def _ids(field: str, values: Sequence[int] | None) -> tuple[int, ...]:
    if values is None:
        return ()
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise ValueError(f"{field}: expected a list of integer ids")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{field}: every id must be a positive integer, got {value!r}")
    return tuple(sorted(set(values)))


def _severities(values: Sequence[str] | None) -> tuple[str, ...]:
    if values is None:
        return ()
    allowed = SEVERITIES[:3]
    if isinstance(values, str):
        values = [values]
    for value in values:
        if value not in allowed:
            raise ValueError(f"severities: each must be one of {', '.join(allowed)}, got {value!r}")
    return tuple(s for s in allowed if s in values)


def checked_formats(values: Sequence[str]) -> tuple[str, ...]:
    """The incident file formats to keep; at least one of :data:`FORMATS`."""
    chosen = (values,) if isinstance(values, str) else tuple(values)
    unknown = [v for v in chosen if v not in FORMATS]
    if unknown or not chosen:
        raise ValueError(f"formats: choose from {', '.join(FORMATS)}, got {list(chosen)!r}")
    return chosen


def checked_concurrency(concurrency: int | None) -> int | None:
    """A caller's choice of windows fetched at once (None: choose automatically)."""
    if concurrency is not None and (
        isinstance(concurrency, bool)
        or not isinstance(concurrency, int)
        or not 1 <= concurrency <= MAX_FETCH_CONCURRENCY
    ):
        raise ValueError(
            f"concurrency: a whole number from 1 to {MAX_FETCH_CONCURRENCY}, got {concurrency!r}"
        )
    return concurrency


def watermark_variable_name(base_url: str, filters: ExportFilters, output_path: Path) -> str:
    """Prefect Variable name for one export's watermark.

    Derived from a hash of the API base URL, the filters and the output file, never from
    the key: the watermark describes what that file holds.
    """
    identity = json.dumps(
        {
            "base_url": base_url.rstrip("/"),
            "team_ids": filters.team_ids,
            "channel_ids": filters.channel_ids,
            "severities": filters.severities,
            "output": output_path.as_posix(),
        },
        sort_keys=True,
    )
    return WATERMARK_PREFIX + hashlib.sha256(identity.encode()).hexdigest()[:24]


def incremental_start(watermark: dict[str, Any], start: int, lookback_seconds: int) -> int:
    """Where an incremental run starts fetching.

    From the oldest incident still open at the last run (it may have been acknowledged or
    closed since), or an hour before the newest start seen, whichever is earlier; never
    further back than ``lookback`` before that newest start, nor before the range start.
    """
    newest = int(watermark["newest_start"])
    oldest_open = int(watermark.get("oldest_open_start") or newest)
    return max(start, newest - lookback_seconds, min(oldest_open, newest - LATE_ARRIVAL_OVERLAP))


def choose_fetch_concurrency(round_trip: float, limit: int = AUTO_MAX_FETCH_CONCURRENCY) -> int:
    """How many windows to fetch at once, given one measured round trip (seconds).

    Enough requests in flight to cover the time a page spends away from this process, and
    no more: on a fast link two keep the server and this process both busy (more would only
    wait behind this process's own work); when latency dominates, up to ``limit``.
    """
    wanted = math.ceil(round_trip / PAGE_WORK_SECONDS) + 1
    return max(MIN_FETCH_CONCURRENCY, min(limit, wanted))
