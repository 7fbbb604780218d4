"""Saving Flashcat blocks from JSON specs, and the one-line error report, outside the CLI.

``flashcat-prefect blocks create`` and the deployment kit's ``blocks/create_blocks.py`` both
read specs such as ``blocks/*.json`` and save the blocks they describe::

    {"block_type": "flashcat-credentials", "name": "flashcat",
     "data": {"app_key": "${FLASHCAT_APP_KEY}",
              "base_url": "${FLASHCAT_BASE_URL:-https://api.flashcat.cloud}"}}

Secret fields in a spec must be ``${VAR}`` references, so that keys never sit in files. Any
failure reads the same from both: :func:`describe_error` gives one line and an exit code.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from prefect.blocks.core import Block
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from flashcat_prefect.client.errors import FlashcatValidationError
from flashcat_prefect.client.redaction import redact as redact_known
from flashcat_prefect.credentials import FlashcatCredentials, FlashcatIntegration

ENV_APP_KEY = "FLASHCAT_APP_KEY"
ENV_BASE_URL = "FLASHCAT_BASE_URL"
ENV_INTEGRATION_KEY = "FLASHCAT_INTEGRATION_KEY"
SECRET_ENV_VARS = (ENV_APP_KEY, ENV_INTEGRATION_KEY)
SECRET_FIELDS = frozenset({"app_key", "integration_key"})

EXIT_FAILURE = 1
"""The command ran and something went wrong (API error, failed flow run, I/O)."""
EXIT_USAGE = 2
"""The input was wrong (bad option, missing credentials, invalid plan); nothing was sent."""
MAX_ERROR_CHARS = 1000
"""Longest error line printed."""

_BLOCK_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class InputError(Exception):
    """A problem the user fixes by changing the input (a spec, the command line, the
    environment); nothing was sent."""


class MissingVariableError(InputError):
    """A ``${VAR}`` reference without a value in the environment (and without a default)."""


class BlockSpec(BaseModel):
    """One block document to save: its type slug, its name and its field values."""

    model_config = ConfigDict(extra="forbid")

    block_type: str = Field(description="flashcat-credentials or flashcat-integration.")
    name: str = Field(description="Block document name: lowercase letters, digits and dashes.")
    data: dict[str, Any] = Field(description="Field values; ${VAR} and ${VAR:-default} expand.")


def block_classes() -> dict[str, type[Block]]:
    """Our block classes by their Prefect type slug."""
    return {cls.get_block_type_slug(): cls for cls in (FlashcatCredentials, FlashcatIntegration)}


def check_block_name(name: str, field: str = "--name") -> str:
    """``name`` if Prefect accepts it as a block document name, else a clear error."""
    if not _BLOCK_NAME.match(name):
        raise InputError(
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
        raise InputError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    spec = BlockSpec.model_validate(raw)
    if spec.block_type not in block_classes():
        known = ", ".join(sorted(block_classes()))
        raise InputError(f"{path}: block_type {spec.block_type!r} is not one of {known}")
    check_block_name(spec.name, f"{path}: name")
    for field in SECRET_FIELDS & spec.data.keys():
        value = spec.data[field]
        if not (isinstance(value, str) and _ENV_REFERENCE.fullmatch(value.strip())):
            raise InputError(
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
            raise InputError(
                f"block {spec.block_type}/{spec.name} already exists (use --overwrite to replace it)"
            ) from exc
        raise
    return f"{spec.block_type}/{spec.name}"


def describe_error(exc: BaseException) -> tuple[str, int]:
    """Turn an exception into a one-line message and an exit code."""
    if isinstance(exc, InputError):
        return str(exc), EXIT_USAGE
    if isinstance(exc, ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or exc.title}: {error['msg']}"
            for error in exc.errors()[:3]
        )
        more = f" (+{exc.error_count() - 3} more)" if exc.error_count() > 3 else ""
        return f"invalid {exc.title}: {problems}{more}", EXIT_USAGE
    if isinstance(exc, FlashcatValidationError):
        return str(exc), EXIT_USAGE
    if isinstance(exc, FileNotFoundError):
        return f"file not found: {exc.filename or exc}", EXIT_USAGE
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}", EXIT_FAILURE


def error_line(message: str) -> str:
    """``error: <message>`` on one line, with secrets scrubbed, cut to
    :data:`MAX_ERROR_CHARS` characters (an API may echo a whole plan back)."""
    line = one_line(redact(message[: MAX_ERROR_CHARS * 4]))
    if len(line) > MAX_ERROR_CHARS:
        line = f"{line[:MAX_ERROR_CHARS]}… ({len(message) - MAX_ERROR_CHARS} more characters)"
    return f"error: {line}"


def one_line(text: str) -> str:
    """Collapse whitespace (including newlines) so a message fits on one line."""
    return " ".join(text.split())


def redact(text: str) -> str:
    """``text`` with key query parameters, registered keys and the secret environment
    variables' values replaced by ``***``."""
    secrets = tuple(os.environ.get(name, "") for name in SECRET_ENV_VARS)
    return redact_known(redact_known(text), secrets)
