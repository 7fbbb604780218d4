"""``flashcat-prefect blocks create``: save the credentials blocks on the Prefect API.

Values come from flags or the environment (``FLASHCAT_APP_KEY``, ``FLASHCAT_BASE_URL``,
``FLASHCAT_INTEGRATION_KEY``), or from JSON block specs such as ``blocks/*.json``:

    {"block_type": "flashcat-credentials", "name": "flashcat",
     "data": {"app_key": "${FLASHCAT_APP_KEY}",
              "base_url": "${FLASHCAT_BASE_URL:-https://api.flashcat.cloud}"}}

Secret fields in a spec must be ``${VAR}`` references, so that keys never sit in files.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import BaseModel, ConfigDict, Field

from flashcat_prefect.cli._common import (
    ENV_APP_KEY,
    ENV_BASE_URL,
    ENV_INTEGRATION_KEY,
    CliError,
    check_url,
    cli_command,
)

if TYPE_CHECKING:
    from prefect.blocks.core import Block

DEFAULT_BLOCK_NAME = "flashcat"
SECRET_FIELDS = frozenset({"app_key", "integration_key"})
_BLOCK_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class MissingVariableError(CliError):
    """A ``${VAR}`` reference without a value in the environment (and without a default)."""


class BlockSpec(BaseModel):
    """One block document to save: its type slug, its name and its field values."""

    model_config = ConfigDict(extra="forbid")

    block_type: str = Field(description="flashcat-credentials or flashcat-integration.")
    name: str = Field(description="Block document name: lowercase letters, digits and dashes.")
    data: dict[str, Any] = Field(description="Field values; ${VAR} and ${VAR:-default} expand.")


def block_classes() -> dict[str, type[Block]]:
    """Our block classes by their Prefect type slug."""
    from flashcat_prefect.credentials import FlashcatCredentials, FlashcatIntegration

    return {cls.get_block_type_slug(): cls for cls in (FlashcatCredentials, FlashcatIntegration)}


def check_block_name(name: str, field: str = "--name") -> str:
    """``name`` if Prefect accepts it as a block document name, else a clear error."""
    if not _BLOCK_NAME.match(name):
        raise CliError(
            f"{field}: block name {name!r} must use lowercase letters, digits and dashes"
        )
    return name


def expand_env(value: Any, where: str) -> Any:
    """Replace ``${VAR}`` / ``${VAR:-default}`` in strings (recursively) from the environment."""
    if isinstance(value, dict):
        return {key: expand_env(item, f"{where}.{key}") for key, item in value.items()}
    if isinstance(value, list):
        return [expand_env(item, f"{where}[{index}]") for index, item in enumerate(value)]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        found = os.environ.get(name)
        if found:
            return found
        if default is not None:
            return default
        raise MissingVariableError(f"{where}: environment variable {name} is not set")

    return _ENV_REFERENCE.sub(substitute, value)


def load_block_spec(path: Path) -> BlockSpec:
    """Read a JSON block spec, refusing literal secrets and unknown block types."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CliError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    spec = BlockSpec.model_validate(raw)
    if spec.block_type not in block_classes():
        known = ", ".join(sorted(block_classes()))
        raise CliError(f"{path}: block_type {spec.block_type!r} is not one of {known}")
    check_block_name(spec.name, f"{path}: name")
    for field in SECRET_FIELDS & spec.data.keys():
        value = spec.data[field]
        if not (isinstance(value, str) and _ENV_REFERENCE.fullmatch(value.strip())):
            raise CliError(
                f"{path}: data.{field} must be an environment reference like "
                "${FLASHCAT_APP_KEY}, not a literal secret"
            )
    return spec


def save_block(spec: BlockSpec, *, overwrite: bool, origin: str = "block") -> str:
    """Build the block from ``spec`` (expanding the environment) and save it; returns its slug."""
    cls = block_classes()[spec.block_type]
    block = cls.model_validate(expand_env(spec.data, f"{origin}: data"))
    try:
        block.save(spec.name, overwrite=overwrite)
    except ValueError as exc:
        if "overwrite" in str(exc):
            raise CliError(
                f"block {spec.block_type}/{spec.name} already exists (use --overwrite to replace it)"
            ) from exc
        raise
    return f"{spec.block_type}/{spec.name}"


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
