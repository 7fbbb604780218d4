"""Keep a Flashduty service calendar in step with public holidays.

``sync_holiday_calendar`` reads days off (and China's makeup working days) from the
``holidays`` library for a country or a financial market and/or from ICS files or URLs,
diffs them by date against the calendar's events and writes only the difference: one event
per date, tagged as the flow's own so that pruning never touches events people entered by
hand. Re-running with the same inputs writes nothing. Every run publishes a markdown
artifact with the day-by-day table and returns a :class:`CalendarSyncReport`.

The pieces: :mod:`._sources` (sources), :mod:`._plan` (the pure diff),
:mod:`._request` (parameter checks), :mod:`._calendar` (API calls).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.task_runners import ThreadPoolTaskRunner
from pydantic import BaseModel, Field

from flashcat_prefect.credentials import FlashcatCredentials
from flashcat_prefect.flows import _events
from flashcat_prefect.flows.holiday._calendar import (
    CalendarRef,
    YearSync,
    converge_year,
    resolve_calendar,
)
from flashcat_prefect.flows.holiday._plan import DayChange, Prune, count_actions
from flashcat_prefect.flows.holiday._request import (
    DesiredDays,
    SyncRequest,
    collect_desired_days,
    validate_sync_parameters,
)
from flashcat_prefect.flows.holiday._sources import DesiredDay
from flashcat_prefect.tasks._base import TASK_RETRIES, routine_task_options

MAX_WORKERS = 4
"""Years synced at the same time (each year is one task)."""

RETRIES = TASK_RETRIES
"""Retries of the tasks safe to run again (the year sync re-reads before it writes)."""


def _cell(text: str) -> str:
    """``text`` safe inside a markdown table cell: pipes escaped, newlines flattened."""
    return text.replace("|", "\\|").replace("\n", " ")


class CalendarSyncReport(BaseModel):
    """What one holiday sync planned (dry run) or did, with the day-by-day changes."""

    cal_id: str | None = Field(
        description="The synced calendar; None when a dry run would create it."
    )
    calendar_name: str | None = None
    calendar_created: bool = False
    dry_run: bool = False
    prune: Prune = False
    sources: list[str] = Field(default_factory=list)
    years: list[int] = Field(default_factory=list, description="Years that were synced.")
    skipped_years: dict[int, list[str]] = Field(
        default_factory=dict,
        description="Years left out, with the sources that have not published them.",
    )
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: int = Field(0, description="Changes deliberately not made (see each change's note).")
    rewrites: int = Field(
        0, description="Writes repeated because a fault left them undone or unknown."
    )
    unsettled: int = Field(
        0,
        description="Creates whose answer timed out and that had not landed when the sync "
        "stopped waiting; if one lands later, the next sync removes the duplicate.",
    )
    changes: list[DayChange] = Field(default_factory=list)
    artifact_key: str | None = None

    def to_markdown(self) -> str:
        """The run as markdown: totals, skipped years and one table row per date."""
        title = self.cal_id or f"{self.calendar_name} (to be created)"
        mode = "dry run, nothing written" if self.dry_run else "applied"
        lines = [
            f"# Holiday calendar sync: {_cell(title)}",
            "",
            f"Mode: **{mode}**; prune: `{self.prune}`; sources: {', '.join(self.sources)}; "
            f"years: {', '.join(map(str, self.years)) or 'none'}.",
            "",
            "| created | updated | deleted | unchanged | skipped | rewrites |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {self.created} | {self.updated} | {self.deleted} | {self.unchanged} "
            f"| {self.skipped} | {self.rewrites} |",
            "",
        ]
        if self.unsettled:
            lines.append(
                f"- {self.unsettled} created event(s) timed out and had not landed when the "
                "sync stopped waiting; if they land later, the next sync removes the duplicates."
            )
        for year, sources in sorted(self.skipped_years.items()):
            lines.append(
                f"- {year} skipped: not yet published by {', '.join(sources)} "
                "(force_years=True syncs it anyway)."
            )
        lines += [
            "",
            "| date | day | action | kind | summary | note |",
            "|---|---|---|---|---|---|",
        ]
        for change in self.changes:
            kind = {True: "day off", False: "working day", None: ""}[change.is_off]
            lines.append(
                f"| {change.day.isoformat()} | {change.day:%a} | {change.action} | {kind} "
                f"| {_cell(change.summary)} | {_cell(change.note)} |"
            )
        if not self.changes:
            lines.append("| | | no days in range | | | |")
        return "\n".join(lines) + "\n"


# --- tasks ---------------------------------------------------------------------------------


@task(
    **routine_task_options(
        "resolve-holiday-calendar",
        area="calendars",
        retries=RETRIES,
        description="Check the calendar, or find it by name and create it when asked.",
    )
)
def find_or_create_calendar(credentials: FlashcatCredentials, request: SyncRequest) -> CalendarRef:
    with credentials.get_client() as client:
        return resolve_calendar(
            client,
            cal_id=request.cal_id,
            name=request.calendar_name,
            create_if_missing=request.create_if_missing,
            dry_run=request.dry_run,
        )


@task(
    **routine_task_options(
        "load-holiday-sources",
        area="calendars",
        retries=RETRIES,
        description="Read the holiday sources and merge their days.",
    )
)
def load_holiday_sources(request: SyncRequest, timezone: str) -> DesiredDays:
    return collect_desired_days(request, timezone=timezone)


@task(
    task_run_name="sync-{year}",
    # One attempt: converge_year repairs faults itself, pass after pass, and counts what its
    # writes did; a task retry would start a fresh count and report only the last attempt.
    **routine_task_options(
        "sync-calendar-year",
        area="calendars",
        description="Diff one year of the calendar against the sources and write the difference.",
    ),
)
def sync_calendar_year(
    credentials: FlashcatCredentials,
    cal_id: str | None,
    year: int,
    desired: dict[dt.date, DesiredDay],
    prune: Prune,
    dry_run: bool,
) -> YearSync:
    if cal_id is None:
        return converge_year(None, None, year, desired, prune=prune, dry_run=dry_run)
    with credentials.get_client() as client:
        return converge_year(client, cal_id, year, desired, prune=prune, dry_run=dry_run)


# --- report and artifact -----------------------------------------------------------------------


def build_report(
    request: SyncRequest,
    calendar: CalendarRef,
    days: DesiredDays,
    results: list[YearSync],
) -> CalendarSyncReport:
    changes: list[DayChange] = []
    deleted_ids: set[str | None] = set()
    for result in sorted(results, key=lambda r: r.year):
        for change in result.changes:
            if change.action == "delete":
                # An event spanning two years is planned (and deleted) by both years' tasks.
                if change.event_id in deleted_ids:
                    continue
                deleted_ids.add(change.event_id)
            changes.append(change)
    counts = count_actions(changes)
    ledgers = [result.ledger for result in results if result.ledger is not None]
    if ledgers:
        # What the writes did across every pass, not what the first plan meant to do.
        counts["create"] = sum(ledger.created for ledger in ledgers)
        counts["update"] = len(set().union(*(ledger.updated_ids for ledger in ledgers)))
        counts["delete"] = len(set().union(*(ledger.deleted_ids for ledger in ledgers)))
    return CalendarSyncReport(
        cal_id=calendar.cal_id,
        calendar_name=request.calendar_name,
        calendar_created=calendar.created,
        dry_run=request.dry_run,
        prune=request.prune,
        sources=request.source_labels,
        years=days.years,
        skipped_years=days.skipped_years,
        created=counts["create"],
        updated=counts["update"],
        deleted=counts["delete"],
        unchanged=counts["unchanged"],
        skipped=counts["skipped"],
        rewrites=sum(result.rewrites for result in results),
        unsettled=sum(result.unsettled for result in results),
        changes=changes,
    )


def artifact_key(report: CalendarSyncReport) -> str:
    """``holiday-sync-<calendar>`` in the characters Prefect allows in keys."""
    slug = re.sub(r"[^a-z0-9]+", "-", (report.cal_id or report.calendar_name or "").lower())
    return "-".join(part for part in ("holiday-sync", slug.strip("-")[:60]) if part)


# --- the flow ------------------------------------------------------------------------------------


@flow(
    name="flashcat-holiday-sync",
    task_runner=ThreadPoolTaskRunner(max_workers=MAX_WORKERS),
    # validate_sync_parameters checks every parameter with messages naming field and rule;
    # Prefect's coercion would only blur those (e.g. turn "yes" into True).
    validate_parameters=False,
)
def sync_holiday_calendar(
    credentials: FlashcatCredentials | str,
    cal_id: str | None = None,
    country: str | None = None,
    years: int | list[int] | None = None,
    subdivision: str | None = None,
    language: str | None = None,
    financial_market: str | None = None,
    ics: str | Path | list[str | Path] | None = None,
    include_workdays: bool = True,
    prune: Prune = False,
    dry_run: bool = False,
    force_years: bool = False,
    create_if_missing: bool = False,
    calendar_name: str | None = None,
) -> CalendarSyncReport:
    """Sync a Flashduty service calendar with public holidays and/or ICS calendars.

    Args:
        credentials: a ``FlashcatCredentials`` block, or the name of a saved one.
        cal_id: the calendar to sync (``cal.…``); or leave it out and give ``calendar_name``.
        country: ISO country code for the ``holidays`` library, e.g. ``"CN"``.
        years: a year or years to sync (default: this year and next).
        subdivision: a state or province code of ``country``.
        language: language of holiday names, e.g. ``"en_US"`` (default: the country's own).
        financial_market: a market code for the ``holidays`` library, e.g. ``"XSHG"``.
        ics: ICS file paths or http(s) URLs; recurring events are expanded. Events are days
            off unless their CATEGORIES say ``Workday``.
        include_workdays: also write makeup working days (``is_off=false``), e.g. China's.
        prune: False keeps stale events; True deletes stale events this flow wrote; ``"all"``
            makes the calendar match the sources exactly, deleting or taking over any event.
        dry_run: plan and report without writing anything.
        force_years: sync years a source has not published yet (China: no makeup days yet).
        create_if_missing: create the calendar ``calendar_name`` when no calendar has that name.
        calendar_name: find (or create) the calendar by name when ``cal_id`` is not given.

    Returns:
        A ``CalendarSyncReport`` with counts and the day-by-day changes.
    """
    logger = get_run_logger()
    request = validate_sync_parameters(
        cal_id=cal_id,
        country=country,
        years=years,
        subdivision=subdivision,
        language=language,
        financial_market=financial_market,
        ics=ics,
        include_workdays=include_workdays,
        prune=prune,
        dry_run=dry_run,
        force_years=force_years,
        create_if_missing=create_if_missing,
        calendar_name=calendar_name,
    )
    block = FlashcatCredentials.resolve(credentials)
    calendar = find_or_create_calendar(block, request)
    if calendar.created:
        logger.info("Created calendar %r (%s)", request.calendar_name, calendar.cal_id)
    days = load_holiday_sources(request, calendar.timezone)
    for year, sources in sorted(days.skipped_years.items()):
        logger.warning(
            "Skipping %s: %s has not published it yet (force_years=True syncs it anyway)",
            year,
            ", ".join(sources),
        )
    futures = [
        sync_calendar_year.submit(
            block, calendar.cal_id, year, days.by_year[year], request.prune, request.dry_run
        )
        for year in days.years
    ]
    results = [future.result() for future in futures]
    report = build_report(request, calendar, days, results)
    for change in report.changes:
        if change.action == "skipped":
            logger.warning("%s %s: %s", change.day, change.summary, change.note)
    if report.unsettled:
        logger.warning(
            "%d created events timed out and had not landed when the sync stopped waiting; "
            "if they land later, the next sync removes the duplicates",
            report.unsettled,
        )
    report.artifact_key = artifact_key(report)
    create_markdown_artifact(
        markdown=report.to_markdown(),
        key=report.artifact_key,
        description=f"Holiday calendar sync of {report.cal_id or report.calendar_name}",
    )
    logger.info(
        "%s %s: %d created, %d updated, %d deleted, %d unchanged, %d skipped, %d rewrites",
        "Planned" if request.dry_run else "Synced",
        report.cal_id or report.calendar_name,
        report.created,
        report.updated,
        report.deleted,
        report.unchanged,
        report.skipped,
        report.rewrites,
    )
    if not request.dry_run and report.cal_id:
        _events.calendar_synced(block, report)
    return report
