"""``flashcat-prefect export incidents``: incidents to Parquet/CSV with a live progress bar."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from flashcat_prefect.cli._common import (
    BlockOption,
    CliError,
    JsonOption,
    VerboseOption,
    check_ids,
    cli_command,
    parse_datetime,
    prefect_logs,
    resolve_credentials,
)
from flashcat_prefect.flows.time_zones import resolve_time_zone

if TYPE_CHECKING:
    from flashcat_prefect.flows.metrics import ProgressCallback

DEFAULT_DAYS = 90
MAX_DAYS = 3660
"""Ten years: the longest range ``--days`` asks for."""
SEVERITY_CHOICES = ("Critical", "Warning", "Info")
FORMAT_CHOICES = ("parquet", "csv")


def export_range(start: str | None, end: str | None, days: int) -> tuple[datetime, datetime]:
    """The export range from the options: ``--start``/``--end`` (naive values are read in the
    export's time zone by the flow), else the ``--days`` days before ``--end`` or now."""
    if not 1 <= days <= MAX_DAYS:
        raise CliError(f"--days: must be between 1 and {MAX_DAYS}, got {days}")
    upper = parse_datetime(end, "--end") or datetime.now(UTC).replace(microsecond=0)
    lower = parse_datetime(start, "--start") or upper - timedelta(days=days)
    if lower.tzinfo is None and upper.tzinfo is not None:
        lower = lower.replace(tzinfo=upper.tzinfo)
    if upper.tzinfo is None and lower.tzinfo is not None:
        upper = upper.replace(tzinfo=lower.tzinfo)
    if lower >= upper:
        raise CliError("--start: must be before --end")
    return lower, upper


def check_time_zone(name: str) -> str:
    try:
        resolve_time_zone(name, field="--time-zone")
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    return name


@contextmanager
def progress_bar(enabled: bool) -> Iterator[ProgressCallback | None]:
    """A rich progress bar over the export's windows, fed by the flow's progress callback."""
    if not enabled:
        yield None
        return
    with Progress(
        TextColumn("[bold]exporting incidents"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("windows · {task.fields[incidents]:,} incidents"),
        TimeElapsedColumn(),
        transient=False,
    ) as progress:
        task_id = progress.add_task("export", total=None, incidents=0)

        def update(done: int, total: int, incidents: int) -> None:
            progress.update(task_id, completed=done, total=total, incidents=incidents)

        yield update


def register(app: typer.Typer) -> None:
    export = typer.Typer(help="Export Flashduty data to files.", no_args_is_help=True)

    @export.command("incidents")
    @cli_command
    def incidents(
        start: Annotated[
            str | None,
            typer.Option(
                "--start", help="Range start, ISO 8601 (date or date-time).", show_default=False
            ),
        ] = None,
        end: Annotated[
            str | None,
            typer.Option("--end", help="Range end, ISO 8601. Default: now.", show_default=False),
        ] = None,
        days: Annotated[
            int, typer.Option("--days", help="Without --start: export this many days up to --end.")
        ] = DEFAULT_DAYS,
        out: Annotated[Path, typer.Option("--out", help="Output directory for the files.")] = Path(
            "flashcat-export"
        ),
        formats: Annotated[
            list[str] | None,
            typer.Option(
                "--format",
                help="parquet and/or csv (repeatable). Default: both.",
                show_default=False,
            ),
        ] = None,
        team_ids: Annotated[
            list[int] | None, typer.Option("--team-id", help="Only these teams (repeatable).")
        ] = None,
        channel_ids: Annotated[
            list[int] | None, typer.Option("--channel-id", help="Only these channels (repeatable).")
        ] = None,
        severities: Annotated[
            list[str] | None,
            typer.Option("--severity", help="Only Critical, Warning and/or Info (repeatable)."),
        ] = None,
        time_zone: Annotated[
            str, typer.Option("--time-zone", help="IANA zone for dates and the summaries.")
        ] = "Asia/Shanghai",
        since_last_run: Annotated[
            bool,
            typer.Option(
                "--since-last-run", help="Fetch only what changed since the last export into --out."
            ),
        ] = False,
        show_progress: Annotated[
            bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")
        ] = True,
        block: BlockOption = None,
        as_json: JsonOption = False,
        verbose: VerboseOption = False,
    ) -> None:
        """Export incidents to Parquet/CSV with MTTA/MTTR summaries (a Prefect flow run)."""
        # deferred: the export loads pandas and pyarrow (~0.8 s) only when the command runs
        from flashcat_prefect.flows.metrics import export_incident_metrics

        for value in formats or []:
            if value not in FORMAT_CHOICES:
                raise CliError(f"--format: {value!r} is not one of {', '.join(FORMAT_CHOICES)}")
        for value in severities or []:
            if value not in SEVERITY_CHOICES:
                raise CliError(f"--severity: {value!r} is not one of {', '.join(SEVERITY_CHOICES)}")
        range_start, range_end = export_range(start, end, days)
        check_time_zone(time_zone)
        check_ids(team_ids, "--team-id")
        check_ids(channel_ids, "--channel-id")
        credentials = resolve_credentials(block)
        with prefect_logs(verbose), progress_bar(show_progress and not as_json) as progress:
            report = export_incident_metrics(
                credentials,
                range_start,
                range_end,
                team_ids=team_ids or None,
                channel_ids=channel_ids or None,
                severities=severities or None,
                output_dir=str(out),
                formats=list(formats or FORMAT_CHOICES),
                time_zone=time_zone,
                since_last_run=since_last_run,
                progress=progress,
            )
        if as_json:
            typer.echo(report.model_dump_json(indent=2))
            return
        typer.echo(
            f"exported {report.incident_count:,} incidents "
            f"({report.fetched_count:,} fetched, {report.new_count:,} new) "
            f"from {report.start:%Y-%m-%d %H:%M} to {report.end:%Y-%m-%d %H:%M} {report.time_zone}"
        )
        for kind, path in report.files.items():
            typer.echo(f"  {kind:<12} {path}")

    app.add_typer(export, name="export")
