"""``flashcat-prefect blocks create``: save the credentials blocks on the Prefect API.

Values come from flags or the environment (``FLASHCAT_APP_KEY``, ``FLASHCAT_BASE_URL``,
``FLASHCAT_INTEGRATION_KEY``), or from JSON block specs such as ``blocks/*.json``, read and
saved by :mod:`flashcat_prefect.blocks_kit` (which the deployment kit uses too).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flashcat_prefect.blocks_kit import (
    ENV_APP_KEY,
    ENV_BASE_URL,
    ENV_INTEGRATION_KEY,
    BlockSpec,
    check_block_name,
    load_block_spec,
    save_block,
)
from flashcat_prefect.cli._common import CliError, check_url, cli_command

DEFAULT_BLOCK_NAME = "flashcat"


def specs_from_values(
    name: str,
    *,
    app_key: str | None,
    base_url: str | None,
    integration_key: str | None,
    integration_name: str | None,
) -> list[BlockSpec]:
    """The block specs that the given values (flags or environment) describe."""
    check_block_name(name)
    specs: list[BlockSpec] = []
    url = {"base_url": base_url} if base_url else {}
    if app_key:
        specs.append(
            BlockSpec(
                block_type="flashcat-credentials", name=name, data={"app_key": app_key, **url}
            )
        )
    if integration_key:
        specs.append(
            BlockSpec(
                block_type="flashcat-integration",
                name=check_block_name(integration_name or name, "--integration-name"),
                data={"integration_key": integration_key, **url},
            )
        )
    if not specs:
        raise CliError(
            f"nothing to create: set {ENV_APP_KEY} and/or {ENV_INTEGRATION_KEY} "
            "(or pass --app-key / --integration-key, or --from-json FILE)"
        )
    return specs


def register(app: typer.Typer) -> None:
    blocks = typer.Typer(
        help="Save Flashcat credentials blocks on the Prefect API.", no_args_is_help=True
    )

    @blocks.command("create")
    @cli_command
    def create(
        name: Annotated[
            str, typer.Option("--name", help="Block name for the credentials (and integration).")
        ] = DEFAULT_BLOCK_NAME,
        app_key: Annotated[
            str | None,
            typer.Option(
                "--app-key",
                envvar=ENV_APP_KEY,
                help="Flashduty APP key. Prefer the environment variable: flags show in `ps`.",
                show_default=False,
            ),
        ] = None,
        base_url: Annotated[
            str | None,
            typer.Option(
                "--base-url", envvar=ENV_BASE_URL, help="API root URL (default: Flashduty's)."
            ),
        ] = None,
        integration_key: Annotated[
            str | None,
            typer.Option(
                "--integration-key",
                envvar=ENV_INTEGRATION_KEY,
                help="Integration (event push) key; saves a FlashcatIntegration block too.",
                show_default=False,
            ),
        ] = None,
        integration_name: Annotated[
            str | None,
            typer.Option(
                "--integration-name", help="Name of the integration block (default: --name)."
            ),
        ] = None,
        from_json: Annotated[
            list[Path] | None,
            typer.Option(
                "--from-json",
                help="Create blocks from JSON specs (like blocks/*.json) instead of flags.",
            ),
        ] = None,
        overwrite: Annotated[
            bool, typer.Option("--overwrite", help="Replace blocks that already exist.")
        ] = False,
    ) -> None:
        """Create the FlashcatCredentials (and FlashcatIntegration) blocks."""
        if from_json:
            specs = [(str(path), load_block_spec(path)) for path in from_json]
        else:
            specs = [
                ("flags/environment", spec)
                for spec in specs_from_values(
                    name,
                    app_key=app_key,
                    base_url=check_url(base_url, "--base-url"),
                    integration_key=integration_key,
                    integration_name=integration_name,
                )
            ]
        for origin, spec in specs:
            slug = save_block(spec, overwrite=overwrite, origin=origin)
            typer.echo(f"saved block {slug}")

    app.add_typer(blocks, name="blocks")
