"""The Prefect shell of the incident-metrics export: the flow, its window task, its outputs.

:func:`export_incident_metrics` cuts the range into windows that ``/incident/list`` accepts
(at most 31 days; by default about four per window in flight) and fetches them concurrently:
one async Prefect task per window, each following the cursor to the end, on one event loop
of a worker thread with a bounded number in flight (chosen from a measured round trip), all
paced by the client's shared per-account limiter. Each page goes straight into one
de-duplicating sink that converts it to Arrow and streams row groups into one Parquet file
from a writer thread, with bounded memory. The CSV, the summary CSV, a PNG chart, a table
artifact and a markdown report are derived from that file.

With ``since_last_run=True`` a Prefect Variable remembers where the last export stood;
the next run fetches only the recent part of the range (incidents started since, plus
those still open last time, within ``lookback``) and merges it into the existing Parquet
file by ``incident_id``, so rows are never duplicated.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.context import AsyncClientContext
from prefect.variables import Variable

from flashcat_prefect.client.errors import FlashcatError, is_retryable
from flashcat_prefect.client.pagination import CURSOR_FIELD
from flashcat_prefect.credentials import FlashcatCredentials
from flashcat_prefect.flows import _events
from flashcat_prefect.flows.metrics.aggregate import (
    noisiest_channels,
    overall_metrics,
    read_summary_frame,
    summary_table,
)
from flashcat_prefect.flows.metrics.assets import (
    file_metadata,
    incidents_asset,
    record_export_assets,
)
from flashcat_prefect.flows.metrics.background import WorkerThread
from flashcat_prefect.flows.metrics.frame import ChannelDirectory, arrow_schema
from flashcat_prefect.flows.metrics.plan import (
    CHART_NAME,
    CSV_NAME,
    DEFAULT_LOOKBACK,
    PAGE_LIMIT,
    PARQUET_NAME,
    REPORT_ARTIFACT_KEY,
    SUMMARY_NAME,
    TABLE_ARTIFACT_KEY,
    ExportFilters,
    ProgressCallback,
    checked_concurrency,
    checked_formats,
    choose_fetch_concurrency,
    incremental_start,
    watermark_variable_name,
)
from flashcat_prefect.flows.metrics.report import (
    CHART_AVAILABLE,
    MetricsExportReport,
    frame_records,
    markdown_report,
    prepare_chart,
    rounded_summary,
    summary_artifact_rows,
    write_chart,
)
from flashcat_prefect.flows.metrics.windows import (
    TimeWindow,
    plan_windows,
    to_unix_seconds,
    window_seconds_from,
)
from flashcat_prefect.flows.metrics.writer import (
    IncidentSink,
    count_changed,
    merge_into,
    parquet_to_csv,
    remove_stale_temporaries,
    watermark_state,
)
from flashcat_prefect.flows.time_zones import resolve_time_zone
from flashcat_prefect.tasks._base import TASK_RETRIES, routine_task_options

if TYPE_CHECKING:
    from flashcat_prefect.client import AsyncFlashcatClient, FlashcatClient


@dataclass(frozen=True)
class WindowResult:
    """What one window task fetched."""

    window: TimeWindow
    pages: int
    fetched: int
    accepted: int


def fetch_channel_directory(client: FlashcatClient) -> tuple[ChannelDirectory, float]:
    """Which team owns each channel, and team names (incidents carry only ``channel_id``).

    Also returns the quicker of the two lists' wall times: a sample of the round trip to
    the API, from which the export picks how many windows to fetch at once.
    """
    began = time.perf_counter()
    channels = list(client.channels.iter_list(limit=PAGE_LIMIT))
    middle = time.perf_counter()
    teams = list(client.teams.iter_list(limit=PAGE_LIMIT))
    round_trip = min(middle - began, time.perf_counter() - middle)
    directory = ChannelDirectory(
        channel_team={c.channel_id: c.team_id for c in channels if c.team_id},
        team_names={t.team_id: t.team_name for t in teams},
    )
    return directory, round_trip


WINDOW_RESUMES = 6
"""Times one window walk resumes after a page failed beyond the client's own retries."""
WINDOW_RESUME_BACKOFF = 0.5
WINDOW_RESUME_CAP = 15.0


@task(  # re-reading a window is harmless: any transient failure is retried
    **routine_task_options(
        "fetch-incident-window",
        area="incidents",
        retries=TASK_RETRIES,  # re-reading a window is harmless
        description="Fetch every incident of one time window from /incident/list into the export.",
    )
)
async def fetch_incident_window(
    client: AsyncFlashcatClient,
    window: TimeWindow,
    filters: ExportFilters,
    sink: IncidentSink,
) -> WindowResult:
    """Follow the ``/incident/list`` cursor of one window to the end, into ``sink``.

    The window tasks of one export run on one event loop and share its client (one
    connection pool, one limiter). A page that still fails after the client's own retries
    is asked for again after a growing pause, from the cursor reached so far (up to
    :data:`WINDOW_RESUMES` times); a task retry re-reads the window. The sink's
    de-duplication keeps the result exact either way.
    """
    pages = fetched = accepted = resumes = 0
    body = filters.list_body(window)
    while True:
        try:
            # Raw pages, not client.incidents.iter_list: its model per incident would cost
            # more than the whole Arrow conversion, and the cursor must stay in view to resume.
            pages_of = client.iter_pages("/incident/list", body)  # round-trip: raw pages to Arrow
            async for data in pages_of:
                items = data.get("items") or []
                pages += 1
                fetched += len(items)
                accepted += sink.add_page(items)
                if data.get(CURSOR_FIELD):  # where a resumed walk starts
                    body = {**body, CURSOR_FIELD: data[CURSOR_FIELD]}
            return WindowResult(window=window, pages=pages, fetched=fetched, accepted=accepted)
        except FlashcatError as exc:
            if not is_retryable(exc) or resumes == WINDOW_RESUMES:
                raise
            await asyncio.sleep(min(WINDOW_RESUME_BACKOFF * 2**resumes, WINDOW_RESUME_CAP))
            resumes += 1


async def _fetch_windows(
    creds: FlashcatCredentials,
    windows: list[TimeWindow],
    filters: ExportFilters,
    sink: IncidentSink,
    concurrency: int,
    tz_label: Callable[[TimeWindow], str],
    progress: ProgressCallback | None,
) -> int:
    """Run the window tasks, ``concurrency`` at a time, and report each as it finishes;
    returns the pages read. The first failed window's error is raised."""
    logger = get_run_logger()
    gate = asyncio.Semaphore(concurrency)
    # One Prefect API client for every window task on this loop: without it each task run
    # builds its own (a TLS context each, ~40 ms of CPU).
    async with AsyncClientContext.get_or_create(), creds.get_async_client() as client:

        async def fetch(window: TimeWindow) -> WindowResult:
            async with gate:
                return await fetch_incident_window(client, window, filters, sink)

        pages = 0
        running = [asyncio.ensure_future(fetch(window)) for window in windows]
        try:
            for done, next_done in enumerate(asyncio.as_completed(running), start=1):
                result = await next_done
                pages += result.pages
                logger.info(
                    "window %d/%d %s: %d incidents in %d pages (%d new); %d exported so far",
                    done,
                    len(windows),
                    tz_label(result.window),
                    result.fetched,
                    result.pages,
                    result.accepted,
                    sink.count,
                )
                if progress is not None:
                    progress(done, len(windows), sink.count)
        finally:  # after a failure: stop the other windows while the client is still open
            for task_ in running:
                task_.cancel()
            await asyncio.gather(*running, return_exceptions=True)
    return pages


@dataclass
class ExportOutputs:
    """The files and figures derived from the exported Parquet file."""

    files: dict[str, str]
    summary: pd.DataFrame
    overall: dict[str, float | int | None]
    noisiest: pd.DataFrame
    incident_count: int
    notes: list[str]


def _write_outputs(
    parquet_path: Path,
    out: Path,
    formats: tuple[str, ...],
    window: tuple[datetime, datetime] | None = None,
) -> ExportOutputs:
    """CSV, summary CSV and chart from the Parquet file (the CSV is written in a background
    thread while the summary is computed: pyarrow's writer does not hold the GIL).
    ``window`` is the export's range, for marking partial weeks in the chart."""
    files: dict[str, str] = {}
    if "parquet" in formats:
        files["parquet"] = str(parquet_path)
    with WorkerThread("csv") as background:
        if "csv" in formats:
            background.hand_off(parquet_to_csv, parquet_path, out / CSV_NAME)
        frame = read_summary_frame(parquet_path)
        summary = summary_table(frame)
        rounded_summary(summary).to_csv(out / SUMMARY_NAME, index=False)
        notes: list[str] = []
        chart = out / CHART_NAME
        if CHART_AVAILABLE:
            write_chart(summary, chart, window)
        else:
            notes.append(
                "chart skipped: matplotlib is not installed (pip install 'flashcat-prefect[charts]')"
            )
            get_run_logger().info(notes[-1])
        if "csv" in formats:
            background.wait()
            files["csv"] = str(out / CSV_NAME)
    files["summary_csv"] = str(out / SUMMARY_NAME)
    if CHART_AVAILABLE:
        files["png"] = str(chart)
    return ExportOutputs(
        files=files,
        summary=summary,
        overall=overall_metrics(frame),
        noisiest=noisiest_channels(frame),
        incident_count=len(frame),
        notes=notes,
    )


def _publish_artifacts(outputs: ExportOutputs, range_text: str) -> None:
    """The summary table and the markdown report, as Prefect artifacts of the flow run."""
    create_table_artifact(
        key=TABLE_ARTIFACT_KEY,
        table=summary_artifact_rows(outputs.summary),
        description=f"Incident metrics by team, channel, severity and ISO week, {range_text}",
    )
    create_markdown_artifact(
        key=REPORT_ARTIFACT_KEY,
        markdown=markdown_report(
            title="Incident metrics",
            range_text=range_text,
            overall=outputs.overall,
            summary=outputs.summary,
            noisiest=outputs.noisiest,
            files=outputs.files,
            notes=outputs.notes,
        ),
        description="Incident metrics export",
    )


@flow(
    name="export-incident-metrics",
    description="Export Flashduty incidents for a range to Parquet/CSV with MTTA/MTTR summaries.",
    log_prints=False,
)
def export_incident_metrics(
    credentials: FlashcatCredentials | str,
    start: datetime | date | str | int,
    end: datetime | date | str | int,
    team_ids: list[int] | None = None,
    channel_ids: list[int] | None = None,
    severities: list[str] | None = None,
    output_dir: str = "flashcat-export",
    formats: Sequence[str] = ("parquet", "csv"),
    time_zone: str = "Asia/Shanghai",
    since_last_run: bool = False,
    window: timedelta | None = None,
    lookback: timedelta = DEFAULT_LOOKBACK,
    progress: ProgressCallback | None = None,
    concurrency: int | None = None,
) -> MetricsExportReport:
    """Export and summarise the incidents that started between ``start`` and ``end``.

    Both bounds are included, as ``/incident/list`` counts them. CSV datetimes are local
    times in ``time_zone`` with their offset (``2026-03-02 10:00:00+08:00``); the Parquet
    file keeps the zone. The data files are materialized as Prefect assets and the run
    emits ``flashcat.incidents.exported`` (see docs/deploy.md).

    Args:
        credentials: a ``FlashcatCredentials`` block, or the name of a saved one.
        start, end: the range; datetimes (naive ones read in ``time_zone``), dates
            (midnight in ``time_zone``), ISO strings or unix seconds.
        team_ids, channel_ids, severities: optional filters (severities from Critical,
            Warning, Info).
        output_dir: where ``incidents.parquet``, ``incidents.csv``, ``summary.csv`` and
            ``incidents-chart.png`` go (created if missing).
        formats: which incident files to keep: ``parquet`` and/or ``csv``. The summary CSV
            is always written; the chart when matplotlib is installed.
        time_zone: IANA zone for datetimes, ISO weeks and the off-hours rule.
        since_last_run: fetch only what is new or changed since the last run with the same
            base URL, filters and output directory, and merge it into the existing file.
        window: length of one fetch window (at most 31 days); by default about four
            windows per window fetched at once, each at least six hours.
        lookback: how far back an incremental run re-reads to catch changed incidents.
        progress: optional ``(done_windows, total_windows, incidents_so_far)`` callback.
        concurrency: windows fetched at once (1 to 64). By default chosen from a measured
            round trip: 2 on a fast link, up to 16 when network latency dominates.
    """
    began = time.perf_counter()
    timings: dict[str, float] = {}
    logger = get_run_logger()
    tz = resolve_time_zone(time_zone)
    start_ts = to_unix_seconds(start, tz, field="start")
    end_ts = to_unix_seconds(end, tz, field="end")
    filters = ExportFilters.checked(team_ids, channel_ids, severities)
    chosen_formats = checked_formats(formats)
    if end_ts <= start_ts:
        raise ValueError(f"end: must be after start (start={start_ts}, end={end_ts})")
    if window is not None:  # a chosen window must suit the whole range
        plan_windows(
            start_ts, end_ts, window_seconds=window_seconds_from(window, span=0, workers=1)
        )
    concurrency = checked_concurrency(concurrency)
    if since_last_run and "parquet" not in chosen_formats:
        raise ValueError("formats: since_last_run merges into the Parquet file; keep 'parquet'")
    creds = FlashcatCredentials.resolve(credentials)

    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    for stale in remove_stale_temporaries(out, (PARQUET_NAME, CSV_NAME)):
        logger.info("removed %s, left by an export that did not finish", stale.name)
    parquet_path = out / PARQUET_NAME
    variable_name = watermark_variable_name(creds.base_url, filters, out)
    watermark = Variable.get(variable_name, default=None) if since_last_run else None
    incremental = bool(watermark) and parquet_path.exists()
    fetch_from = (
        incremental_start(watermark, start_ts, int(lookback.total_seconds()))
        if incremental
        else start_ts
    )
    if since_last_run and not incremental:
        logger.info("no earlier export found for %s: exporting the whole range", variable_name)
    schema = arrow_schema(time_zone)
    with creds.get_client() as client:
        directory, round_trip = fetch_channel_directory(client)
    if CHART_AVAILABLE:  # import matplotlib during the fetch (after the round trip is timed)
        threading.Thread(target=prepare_chart, name="import-matplotlib", daemon=True).start()
    at_once = concurrency or choose_fetch_concurrency(round_trip)
    windows: list[TimeWindow] = []
    if fetch_from < end_ts:
        span = end_ts - fetch_from
        seconds = window_seconds_from(window, span=span, workers=at_once)
        windows = plan_windows(fetch_from, end_ts, window_seconds=seconds)
    logger.info(
        "exporting incidents %s in %d windows, %d at a time (round trip %.0f ms; %s)",
        TimeWindow(fetch_from, end_ts).label(tz) if windows else "(nothing new to fetch)",
        len(windows),
        at_once,
        round_trip * 1000,
        "incremental" if incremental else "full",
    )
    # The fetch runs on an event loop of its own thread, so the flow works the same whether
    # or not its caller already runs a loop; Ctrl-C or a cancelled run cancels it.
    with IncidentSink(parquet_path, schema, directory) as sink, WorkerThread("fetch") as loop:
        pages = loop.run_async(
            _fetch_windows, creds, windows, filters, sink, at_once, lambda w: w.label(tz), progress
        )
    new_count, updated_count = sink.count, 0
    if incremental:
        new_count, updated_count = count_changed(
            sink.tmp_path, parquet_path, watermark["updated_at"]
        )
        merge_into(parquet_path, sink.tmp_path, parquet_path, schema)
        sink.tmp_path.unlink(missing_ok=True)
    else:
        sink.tmp_path.replace(parquet_path)
    timings["fetch"] = time.perf_counter() - began

    window_range = (datetime.fromtimestamp(start_ts, tz), datetime.fromtimestamp(end_ts, tz))
    outputs = _write_outputs(parquet_path, out, chosen_formats, window_range)
    if since_last_run:
        Variable.set(variable_name, watermark_state(parquet_path), overwrite=True)
    if "parquet" not in chosen_formats:
        parquet_path.unlink(missing_ok=True)
    timings["files"] = time.perf_counter() - began - timings["fetch"]

    range_text = f"{TimeWindow(start_ts, end_ts).label(tz)} ({time_zone})" + (
        f"; fetched from {datetime.fromtimestamp(fetch_from, tz):%Y-%m-%d %H:%M} (incremental)"
        if incremental
        else ""
    )
    _publish_artifacts(outputs, range_text)
    timings["artifacts"] = time.perf_counter() - began - timings["fetch"] - timings["files"]
    report = MetricsExportReport(
        incident_count=outputs.incident_count,
        fetched_count=sink.count,
        new_count=new_count,
        updated_count=updated_count,
        duplicates_dropped=sink.duplicates,
        windows=len(windows),
        concurrency=at_once,
        pages=pages,
        start=datetime.fromtimestamp(start_ts, tz),
        end=datetime.fromtimestamp(end_ts, tz),
        fetched_from=datetime.fromtimestamp(fetch_from, tz),
        time_zone=time_zone,
        incremental=incremental,
        files=outputs.files,
        summary=outputs.overall,
        by_team=frame_records(
            outputs.summary[outputs.summary["dimension"] == "team"].drop(columns="dimension")
        ),
        noisiest_channels=frame_records(outputs.noisiest),
        seconds=round(time.perf_counter() - began, 3),
        phase_seconds={name: round(value, 3) for name, value in timings.items()},
        watermark_variable=variable_name if since_last_run else None,
    )
    _announce_export(creds, report, out, len(outputs.summary))
    logger.info(
        "exported %d incidents (%d fetched, %d new, %d updated) in %.1f s",
        report.incident_count,
        report.fetched_count,
        report.new_count,
        report.updated_count,
        report.seconds,
    )
    return report


def _announce_export(
    creds: FlashcatCredentials, report: MetricsExportReport, out: Path, summary_rows: int
) -> None:
    """Tell the rest of Prefect: the files as materialized assets (the account's incidents
    upstream), and one ``flashcat.incidents.exported`` event."""
    time_range = {"start": report.start.isoformat(), "end": report.end.isoformat()}
    metadata = file_metadata(
        report.files, rows=report.incident_count, summary_rows=summary_rows, time_range=time_range
    )
    record_export_assets(creds, report.files, metadata)
    _events.incidents_exported(creds, report, out, incidents_asset(creds).key)
