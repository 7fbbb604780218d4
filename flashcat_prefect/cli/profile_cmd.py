"""``flashcat-prefect profile apply``: day-off or working-day rules, decided by a calendar."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flashcat_prefect.cli._common import (
    BlockOption,
    DryRunOption,
    JsonOption,
    SnapshotOption,
    VerboseOption,
    cli_command,
    existing_file,
    parse_date,
    resolve_credentials,
    run_rule_flow,
)


def register(app: typer.Typer) -> None:
    profile = typer.Typer(
        help="Switch channel rules between day-off and working-day profiles.",
        no_args_is_help=True,
    )

    @profile.command("apply")
    @cli_command
    def apply(
        plan: Annotated[
            Path,
            typer.Option(
                "--plan",
                help="Calendar-profile plan, YAML or JSON (see examples/calendar-profile.yaml).",
                show_default=False,
            ),
        ],
        day: Annotated[
            str | None,
            typer.Option(
                "--day",
                help="Day to decide, YYYY-MM-DD. Default: today in the plan's time zone.",
                show_default=False,
            ),
        ] = None,
        dry_run: DryRunOption = False,
        snapshot: SnapshotOption = None,
        block: BlockOption = None,
        as_json: JsonOption = False,
        verbose: VerboseOption = False,
    ) -> None:
        """Enable/disable rules for a day off or a working day (a Prefect flow run)."""
        # deferred: importing the routine costs ~0.3-0.4 s that every other command would pay
        from flashcat_prefect.flows.profile import (
            CalendarProfilePlan,
            apply_calendar_profile,
        )

        profile_plan = CalendarProfilePlan.from_file(existing_file(plan, "--plan"))
        chosen_day = parse_date(day, "--day")
        credentials = resolve_credentials(block)
        run_rule_flow(
            apply_calendar_profile,
            credentials,
            profile_plan,
            dry_run=dry_run,
            snapshot=snapshot,
            verbose=verbose,
            as_json=as_json,
            day=chosen_day,
        )

    app.add_typer(profile, name="profile")
