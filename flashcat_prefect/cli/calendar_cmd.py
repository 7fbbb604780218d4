"""``flashcat-prefect calendar sync``: keep a service calendar in step with public holidays."""

from __future__ import annotations

from typing import Annotated

import typer

from flashcat_prefect.cli._common import (
    BlockOption,
    CliError,
    DryRunOption,
    JsonOption,
    VerboseOption,
    cli_command,
    prefect_logs,
    resolve_credentials,
    show_report,
)
from flashcat_prefect.client.errors import FlashcatValidationError

OPTION_OF_PARAMETER = {
    "cal_id": "--cal-id",
    "calendar_name": "--name",
    "create_if_missing": "--create",
    "country": "--country",
    "subdivision": "--subdivision",
    "financial_market": "--market",
    "ics": "--ics",
    "years": "--year",
    "language": "--language",
    "include_workdays": "--workdays",
    "prune": "--prune",
    "force_years": "--force-years",
}
"""The command-line option behind each flow parameter, for error messages."""


def register(app: typer.Typer) -> None:
    calendar = typer.Typer(help="Flashduty service calendars.", no_args_is_help=True)

    @calendar.command("sync")
    @cli_command
    def sync(
        cal_id: Annotated[
            str | None,
            typer.Option("--cal-id", help="Calendar to sync (cal.xxx).", show_default=False),
        ] = None,
        name: Annotated[
            str | None,
            typer.Option(
                "--name", help="Find the calendar by name instead of --cal-id.", show_default=False
            ),
        ] = None,
        create: Annotated[
            bool,
            typer.Option(
                "--create", help="Create the calendar --name if no calendar has that name."
            ),
        ] = False,
        country: Annotated[
            str | None,
            typer.Option(
                "--country",
                help="Public holidays of this ISO country code, e.g. CN.",
                show_default=False,
            ),
        ] = None,
        subdivision: Annotated[
            str | None,
            typer.Option(
                "--subdivision", help="State or province code of --country.", show_default=False
            ),
        ] = None,
        market: Annotated[
            str | None,
            typer.Option(
                "--market",
                help="Holidays of a financial market instead, e.g. XSHG.",
                show_default=False,
            ),
        ] = None,
        ics: Annotated[
            list[str] | None,
            typer.Option(
                "--ics", help="ICS file or http(s) URL to add (repeatable).", show_default=False
            ),
        ] = None,
        years: Annotated[
            list[int] | None,
            typer.Option(
                "--year",
                help="Year to sync (repeatable). Default: this year and next.",
                show_default=False,
            ),
        ] = None,
        language: Annotated[
            str | None,
            typer.Option(
                "--language", help="Language of holiday names, e.g. en_US.", show_default=False
            ),
        ] = None,
        workdays: Annotated[
            bool,
            typer.Option(
                "--workdays/--no-workdays", help="Also write makeup working days (China's)."
            ),
        ] = True,
        prune: Annotated[
            bool, typer.Option("--prune", help="Delete stale events this tool wrote earlier.")
        ] = False,
        prune_all: Annotated[
            bool, typer.Option("--prune-all", help="Make the calendar match the sources exactly.")
        ] = False,
        force_years: Annotated[
            bool, typer.Option("--force-years", help="Sync years the source has not published yet.")
        ] = False,
        dry_run: DryRunOption = False,
        block: BlockOption = None,
        as_json: JsonOption = False,
        verbose: VerboseOption = False,
    ) -> None:
        """Write public holidays (and makeup working days) into a calendar (a Prefect flow run)."""
        # deferred: importing the routine costs ~0.3-0.4 s that every other command would pay
        from flashcat_prefect.flows.holiday import sync_holiday_calendar, validate_sync_parameters

        if prune and prune_all:
            raise CliError("--prune and --prune-all: give one of them")
        if cal_id and name:
            raise CliError("--cal-id and --name: give one of them")
        parameters = dict(
            cal_id=cal_id,
            country=country,
            years=years or None,
            subdivision=subdivision,
            language=language,
            financial_market=market,
            ics=ics or None,
            include_workdays=workdays,
            prune="all" if prune_all else prune,
            dry_run=dry_run,
            force_years=force_years,
            create_if_missing=create,
            calendar_name=name,
        )
        try:
            validate_sync_parameters(**parameters)
        except FlashcatValidationError as exc:
            field, rule = exc.problems[0] if exc.problems else ("", str(exc))
            raise CliError(f"{OPTION_OF_PARAMETER.get(field, field)}: {rule}") from exc
        credentials = resolve_credentials(block)
        with prefect_logs(verbose):
            report = sync_holiday_calendar(credentials, **parameters)
        show_report(report, as_json)

    app.add_typer(calendar, name="calendar")
