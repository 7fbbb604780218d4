"""``flashcat-prefect rotate``: hand escalation-rule layers to who is on duty, from a plan."""

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
    parse_datetime,
    resolve_credentials,
    run_rule_flow,
)

PlanOption = Annotated[
    Path,
    typer.Option(
        "--plan",
        help="Rotation plan, YAML or JSON (see examples/rotation-plan.yaml).",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    @app.command("rotate")
    @cli_command
    def rotate(
        plan: PlanOption,
        at: Annotated[
            str | None,
            typer.Option(
                "--at",
                help="Rotate for this instant (ISO 8601; without an offset it is UTC). "
                "Default: now.",
                show_default=False,
            ),
        ] = None,
        dry_run: DryRunOption = False,
        snapshot: SnapshotOption = None,
        block: BlockOption = None,
        as_json: JsonOption = False,
        verbose: VerboseOption = False,
    ) -> None:
        """Set the plan's escalation-rule layers to the people on duty (a Prefect flow run)."""
        # deferred: importing the routine costs ~0.3-0.4 s that every other command would pay
        from flashcat_prefect.flows.rotation import RotationPlan, rotate_escalation_rules

        rotation_plan = RotationPlan.from_file(existing_file(plan, "--plan"))
        instant = parse_datetime(at, "--at")
        credentials = resolve_credentials(block)
        run_rule_flow(
            rotate_escalation_rules,
            credentials,
            rotation_plan,
            dry_run=dry_run,
            snapshot=snapshot,
            verbose=verbose,
            as_json=as_json,
            at=instant,
        )
