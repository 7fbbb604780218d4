"""``flashcat-prefect demo``: every routine at work, offline, in about a minute.

The demo starts the bundled emulator (the ``demo`` account) on loopback and runs the four
routines as real Prefect flow runs on Prefect's embedded local server, with a Prefect home
of its own under the output directory (so nothing needs to be configured, and a Prefect
API configured in your profile is left alone):

1. holiday sync: China's public holidays and makeup working days, this year and next, into
   the "China Holidays" calendar (a year not yet published is skipped with a warning);
2. rotation: the SRE roster takes over the layers of channel 2001's "Default" rule;
3. calendar profile: the calendar just synced decides whether today is a day off, and the
   channel's day-off or working-day rules are switched on accordingly;
4. metrics export: the last 90 days of incidents to Parquet, CSV, a summary and a chart.

It ends with a summary of what changed and where the files are (also written to
``summary.md`` and ``summary.json`` in the output directory).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
import yaml
from prefect.client.orchestration import get_client
from prefect.settings import (
    PREFECT_API_KEY,
    PREFECT_API_URL,
    PREFECT_HOME,
    PREFECT_SERVER_ANALYTICS_ENABLED,
    PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
    temporary_settings,
)
from pydantic import BaseModel, Field
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from flashcat_prefect.cli._common import (
    EPHEMERAL_SERVER_STARTUP_TIMEOUT,
    CliError,
    VerboseOption,
    cli_command,
    prefect_logs,
    stop_embedded_server,
)

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from flashcat_prefect.credentials import FlashcatCredentials

DEFAULT_OUT = Path("demo-output")
EXPORT_DAYS = 90
ROTATION_WEEKS_AGO = 3
"""The demo rotation started this many Mondays ago, so today's shift is not the seeded one."""
DEMO_TIME_ZONE = "Asia/Shanghai"


class DemoStep(BaseModel):
    """One routine of the demo and what it did."""

    name: str
    outcome: str = Field(description="One line: what changed.")
    details: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    seconds: float = 0.0


class DemoSummary(BaseModel):
    """What the demo did and where its files are."""

    output_dir: str
    prefect_home: str
    steps: list[DemoStep] = Field(default_factory=list)
    files: dict[str, str] = Field(default_factory=dict, description="What each file is, by path.")
    seconds: float = 0.0

    def to_markdown(self) -> str:
        lines = ["# flashcat-prefect demo", ""]
        for step in self.steps:
            lines.append(f"- **{step.name}**: {step.outcome}")
            lines += [f"  - {detail}" for detail in step.details]
            lines += [f"  - warning: {warning}" for warning in step.warnings]
        lines += ["", "## Files", ""]
        lines += [f"- `{path}`: {what}" for path, what in self.files.items()]
        lines += [
            "",
            f"The flow runs are recorded in Prefect's database under `{self.prefect_home}`; "
            f"browse them with `PREFECT_HOME={self.prefect_home} prefect server start`.",
            "",
            f"Finished in {self.seconds:.0f} s.",
        ]
        return "\n".join(lines) + "\n"


# --- plans -----------------------------------------------------------------------------------


def rotation_plan(today: datetime) -> dict[str, Any]:
    """The demo rotation: the SRE team's six people through layers 1 and 2 of channel
    2001's "Default" rule, handing over on Mondays at 10:00, started a few weeks ago."""
    from flashcat_prefect.emulator import seed  # deferred: ~0.2 s every CLI command would pay

    monday = (today - timedelta(days=today.weekday() + 7 * ROTATION_WEEKS_AGO)).date()
    team = seed.CHANNEL_TEAMS[seed.DEFAULT_CHANNEL_ID]
    return {
        "time_zone": DEMO_TIME_ZONE,
        "rules": [
            {
                "channel_id": seed.DEFAULT_CHANNEL_ID,
                "rule_name": seed.DEFAULT_RULE_NAME,
                "rotations": [
                    {
                        "period": "weekly",
                        "start": f"{monday.isoformat()}T10:00",
                        "roster": {"person_ids": list(seed.TEAM_MEMBERS[team])},
                        "layers": [1, 2],
                    }
                ],
            }
        ],
    }


def calendar_profile_plan(cal_id: str) -> dict[str, Any]:
    """The demo profile: on days off channel 2001 pages through its "Holiday" rule and the
    "Quiet days" silence rule is on; on working days the "Default" rule is back."""
    from flashcat_prefect.emulator import seed  # deferred: ~0.2 s every CLI command would pay

    channel = seed.DEFAULT_CHANNEL_ID
    holiday = {"kind": "escalate", "channel_id": channel, "rule_name": seed.HOLIDAY_RULE_NAME}
    quiet = {"kind": "silence", "channel_id": channel, "rule_name": seed.QUIET_DAYS_RULE_NAME}
    default = {"kind": "escalate", "channel_id": channel, "rule_name": seed.DEFAULT_RULE_NAME}
    return {
        "time_zone": DEMO_TIME_ZONE,
        "source": {"cal_id": cal_id},
        "day_off": {"enable": [holiday, quiet], "disable": [default]},
        "working_day": {"enable": [default], "disable": [holiday, quiet]},
    }


def write_plan(plan: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    return path


# --- isolation -------------------------------------------------------------------------------


@contextmanager
def isolated_prefect(home: Path) -> Iterator[None]:
    """Prefect settings for a self-contained run: its own home (SQLite database) and the
    embedded server, analytics off, whatever the user's profile says."""
    home.mkdir(parents=True, exist_ok=True)
    with temporary_settings(
        updates={
            PREFECT_HOME: str(home.resolve()),
            PREFECT_SERVER_ANALYTICS_ENABLED: False,
            PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS: EPHEMERAL_SERVER_STARTUP_TIMEOUT,
        },
        restore_defaults={PREFECT_API_URL, PREFECT_API_KEY},
    ):
        try:
            yield
        finally:
            stop_embedded_server()


def start_prefect_api() -> None:
    """Start Prefect's embedded server now (it would start on the first flow run anyway)."""
    with get_client(sync_client=True) as client:
        client.api_healthcheck()


# --- the steps -------------------------------------------------------------------------------


def sync_holidays(credentials: FlashcatCredentials) -> tuple[DemoStep, str]:
    from flashcat_prefect.emulator import seed  # deferred: ~0.2 s every CLI command would pay

    # deferred: importing the routine costs ~0.3-0.4 s that every other command would pay
    from flashcat_prefect.flows.holiday import sync_holiday_calendar

    year = datetime.now(UTC).year
    report = sync_holiday_calendar(
        credentials, cal_id=seed.HOLIDAY_CALENDAR_ID, country="CN", years=[year, year + 1]
    )
    offs = sum(1 for c in report.changes if c.action == "create" and c.is_off)
    workdays = sum(1 for c in report.changes if c.action == "create" and c.is_off is False)
    step = DemoStep(
        name="Holiday sync",
        outcome=(
            f'calendar "{seed.HOLIDAY_CALENDAR_NAME}" ({report.cal_id}): {report.created} events '
            f"created ({offs} days off, {workdays} makeup working days), {report.updated} "
            f"updated, {report.deleted} deleted, {report.unchanged} unchanged; years "
            f"{', '.join(map(str, report.years)) or 'none'}"
        ),
        warnings=[
            f"{skipped} skipped: not yet published by {', '.join(sources)}"
            for skipped, sources in sorted(report.skipped_years.items())
        ],
    )
    return step, str(report.cal_id)


def rotate(credentials: FlashcatCredentials, plan_path: Path) -> tuple[DemoStep, None]:
    # deferred: importing the routine costs ~0.3-0.4 s that every other command would pay
    from flashcat_prefect.flows.rotation import RotationPlan, rotate_escalation_rules

    report = rotate_escalation_rules(credentials, RotationPlan.from_file(plan_path))
    step = DemoStep(
        name="Rotation",
        outcome=f"{len(report.changed)} of {len(report.rules)} escalation rule(s) rotated",
        details=[
            f'channel {rule.channel_id} "{rule.rule_name}": {line}'
            for rule in report.rules
            for line in rule.diff
        ],
    )
    return step, None


def switch_profile(credentials: FlashcatCredentials, plan_path: Path) -> tuple[DemoStep, None]:
    # deferred: importing the routine costs ~0.3-0.4 s that every other command would pay
    from flashcat_prefect.flows.profile import (
        CalendarProfilePlan,
        apply_calendar_profile,
    )

    report = apply_calendar_profile(credentials, CalendarProfilePlan.from_file(plan_path))
    changed = len(report.changed)
    step = DemoStep(
        name="Calendar profile",
        outcome=(
            f"{report.day.isoformat()} ({report.day:%A}) is "
            f"{'a day off' if report.is_off else 'a working day'} ({report.reason}): "
            f"{report.profile.replace('_', '-')} profile, "
            + (f"{changed} rule(s) switched" if changed else "rules already matched it")
        ),
        details=[
            f'{rule.kind.label} rule "{rule.rule_name}": {line}'
            for rule in report.rules
            for line in rule.diff
        ],
    )
    return step, None


def export_metrics(
    credentials: FlashcatCredentials,
    out_dir: Path,
    progress: Callable[[int, int, int], None],
) -> tuple[DemoStep, dict[str, str]]:
    # deferred: the export loads pandas and pyarrow (~0.8 s at every CLI start otherwise)
    from flashcat_prefect.flows.metrics import export_incident_metrics

    end = datetime.now(UTC).replace(microsecond=0)
    report = export_incident_metrics(
        credentials,
        start=end - timedelta(days=EXPORT_DAYS),
        end=end,
        output_dir=str(out_dir),
        time_zone=DEMO_TIME_ZONE,
        progress=progress,
    )
    figures = report.summary
    details = [
        f"MTTA median {_minutes(figures.get('mtta_median_s'))}, "
        f"MTTR median {_minutes(figures.get('mttr_median_s'))}, "
        f"ack rate {_percent(figures.get('ack_rate'))}, "
        f"escalations {int(figures.get('escalations') or 0):,}"
    ]
    if report.noisiest_channels:
        noisiest = report.noisiest_channels[0]
        name = noisiest.get("name") or f"channel {noisiest.get('key')}"
        details.append(f"noisiest channel: {name} ({noisiest.get('incidents', '?')} incidents)")
    step = DemoStep(
        name="Metrics export",
        outcome=(
            f"{report.incident_count:,} incidents of the last {EXPORT_DAYS} days in "
            f"{report.windows} windows"
        ),
        details=details,
    )
    return step, dict(report.files)


def _minutes(seconds: Any) -> str:
    return "n/a" if seconds is None else f"{float(seconds) / 60:.1f} min"


def _percent(share: Any) -> str:
    return "n/a" if share is None else f"{float(share):.0%}"


FILE_LABELS = {
    "parquet": "incidents (Parquet; load with flashcat_prefect.flows.load_exported_incidents)",
    "csv": "incidents (CSV)",
    "summary_csv": "MTTA/MTTR by team, channel, severity and week (CSV)",
    "png": "weekly incidents and MTTA/MTTR by team (chart)",
}


# --- orchestration ---------------------------------------------------------------------------


T = TypeVar("T")


class StepDisplay:
    """One progress line per step (a bar for the export); silent without a rich Progress."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.progress = progress
        self._task: TaskID | None = None

    def begin(self, description: str, total: int | None = 1) -> None:
        if self.progress is not None:
            self._task = self.progress.add_task(description, total=total, incidents=0)

    def update(self, done: int, total: int, incidents: int) -> None:
        """The export's progress callback."""
        if self.progress is not None and self._task is not None:
            self.progress.update(self._task, completed=done, total=total, incidents=incidents)

    def end(self, description: str) -> None:
        if self.progress is not None and self._task is not None:
            total = self.progress.tasks[self._task].total or 1
            self.progress.update(self._task, description=description, completed=total, total=total)
        self._task = None


class DemoRun:
    """Runs the steps in order, timing each and collecting them in the summary."""

    def __init__(self, summary: DemoSummary, display: StepDisplay) -> None:
        self.summary = summary
        self.display = display

    def stage(
        self, description: str, work: Callable[[], tuple[DemoStep, T]], total: int | None = 1
    ) -> T:
        self.display.begin(description, total)
        began = time.perf_counter()
        step, value = work()
        step.seconds = round(time.perf_counter() - began, 1)
        self.summary.steps.append(step)
        self.display.end(f"[green]✓[/green] {step.name} ({step.seconds:.1f} s)")
        return value


def run_demo(out_dir: Path, display: StepDisplay | None = None) -> DemoSummary:
    """Run the four routines against a fresh emulator and describe what they did."""
    from flashcat_prefect.emulator import FlashcatEmulator  # deferred: as `seed` above

    began = time.perf_counter()
    display = display or StepDisplay()
    out_dir.mkdir(parents=True, exist_ok=True)
    home = out_dir / ".prefect"
    plans = out_dir / "plans"
    summary = DemoSummary(output_dir=str(out_dir), prefect_home=str(home))
    run = DemoRun(summary, display)

    with isolated_prefect(home), FlashcatEmulator(seed="demo") as emulator:
        credentials = emulator.credentials()
        display.begin("Starting Prefect's local server")
        start_prefect_api()
        display.end(f"[green]✓[/green] Prefect local server (home: {home})")

        cal_id = run.stage(
            "Holiday sync: China, this year and next", lambda: sync_holidays(credentials)
        )
        rotation_path = write_plan(rotation_plan(datetime.now(UTC)), plans / "rotation-plan.yaml")
        profile_path = write_plan(calendar_profile_plan(cal_id), plans / "calendar-profile.yaml")
        run.stage(
            "Rotation: SRE roster on channel 2001", lambda: rotate(credentials, rotation_path)
        )
        run.stage("Calendar profile for today", lambda: switch_profile(credentials, profile_path))
        export_files = run.stage(
            f"Metrics export: last {EXPORT_DAYS} days",
            lambda: export_metrics(credentials, out_dir / "metrics", display.update),
            total=None,
        )

    summary.files = {
        str(rotation_path): "the rotation plan the demo ran (flashcat-prefect rotate --plan ...)",
        str(profile_path): "the calendar-profile plan (flashcat-prefect profile apply --plan ...)",
    }
    summary.files.update({path: FILE_LABELS.get(kind, kind) for kind, path in export_files.items()})
    markdown_path, json_path = out_dir / "summary.md", out_dir / "summary.json"
    summary.files[str(markdown_path)] = "this summary (markdown)"
    summary.files[str(json_path)] = "this summary (JSON)"
    summary.seconds = round(time.perf_counter() - began, 1)
    markdown_path.write_text(summary.to_markdown(), encoding="utf-8")
    json_path.write_text(json.dumps(summary.model_dump(), indent=2) + "\n", encoding="utf-8")
    return summary


def print_summary(summary: DemoSummary) -> None:
    console = Console()
    changes = Table(title="What changed", show_lines=False, expand=False)
    changes.add_column("Routine", style="bold")
    changes.add_column("Result")
    for step in summary.steps:
        lines = [step.outcome, *step.details, *(f"[yellow]warning:[/] {w}" for w in step.warnings)]
        changes.add_row(step.name, "\n".join(lines))
    files = Table(title="Files", expand=False)
    files.add_column("Path", style="cyan", no_wrap=True)
    files.add_column("What")
    for path, what in summary.files.items():
        files.add_row(path, what)
    console.print(changes)
    console.print(files)
    console.print(
        f"Prefect runs: [cyan]{summary.prefect_home}[/] (browse: "
        f"PREFECT_HOME={summary.prefect_home} prefect server start). "
        f"Done in {summary.seconds:.0f} s."
    )


def register(app: typer.Typer) -> None:
    @app.command("demo")
    @cli_command
    def demo(
        out: Annotated[
            Path, typer.Option("--out", help="Directory for the demo's files and Prefect home.")
        ] = DEFAULT_OUT,
        verbose: VerboseOption = False,
    ) -> None:
        """Run every routine against the bundled emulator as real Prefect flow runs."""
        if out.exists() and not out.is_dir():
            raise CliError(f"--out: {out} is a file, not a directory")
        columns = (
            SpinnerColumn(finished_text=""),
            TextColumn("{task.description}"),
            BarColumn(bar_width=20),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with prefect_logs(verbose), Progress(*columns) as progress:
            summary = run_demo(out, StepDisplay(progress))
        print_summary(summary)
