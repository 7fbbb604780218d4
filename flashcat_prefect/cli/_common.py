"""Pieces every command group shares: where credentials come from, and how errors look.

Credentials come from a saved ``FlashcatCredentials`` block (``--block NAME``) or from the
environment (``FLASHCAT_APP_KEY``, optional ``FLASHCAT_BASE_URL``). Every command runs under
:func:`cli_command`, which turns any failure into one ``error: ...`` line on stderr and a
non-zero exit code, with secrets scrubbed from the text.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, ParamSpec, TypeVar
from urllib.parse import urlsplit

import typer
from prefect.events.worker import EventsWorker
from prefect.logging.handlers import APILogHandler, APILogWorker
from prefect.settings import (
    PREFECT_SERVER_ANALYTICS_ENABLED,
    PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
    temporary_settings,
)
from rich.console import Console
from rich.markdown import Markdown

from flashcat_prefect.blocks_kit import (
    ENV_APP_KEY,
    ENV_BASE_URL,
    EXIT_FAILURE,
    InputError,
    describe_error,
    error_line,
)
from flashcat_prefect.blocks_kit import EXIT_USAGE as EXIT_USAGE  # commands and tests read it here
from flashcat_prefect.credentials import FlashcatCredentials

if TYPE_CHECKING:
    from pydantic import BaseModel

ENV_BLOCK = "FLASHCAT_BLOCK"
MIN_YEAR, MAX_YEAR = 1970, 2100
"""Dates and instants given on the command line must fall in these years."""

BlockOption = Annotated[
    str | None,
    typer.Option(
        "--block",
        envvar=ENV_BLOCK,
        help=(
            "Name of a saved FlashcatCredentials block. Without it, credentials come from "
            f"{ENV_APP_KEY} (and optional {ENV_BASE_URL})."
        ),
        show_default=False,
    ),
]
DryRunOption = Annotated[
    bool,
    typer.Option("--dry-run", help="Plan and report the changes without writing anything."),
]
SnapshotOption = Annotated[
    Path | None,
    typer.Option(
        "--snapshot", help="Also save the changed rules, as read before, to this JSON file."
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print the flow's report as JSON instead of a summary.")
]
VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="Show Prefect's flow and task run logs.")
]


class CliError(InputError):
    """A problem the user can fix by changing the command line or the environment."""


P = ParamSpec("P")
R = TypeVar("R")


def resolve_credentials(block: str | None) -> FlashcatCredentials:
    """Load the named credentials block, or build credentials from the environment."""
    if block:
        try:
            return FlashcatCredentials.load(block)
        except ValueError as exc:
            raise CliError(
                f"--block: no FlashcatCredentials block named {block!r} on the Prefect API "
                "(create one with `flashcat-prefect blocks create`)"
            ) from exc
    app_key = os.environ.get(ENV_APP_KEY, "").strip()
    if not app_key:
        raise CliError(
            f"no credentials: pass --block NAME or set {ENV_APP_KEY} (and optionally {ENV_BASE_URL})"
        )
    fields: dict[str, Any] = {"app_key": app_key}
    base_url = os.environ.get(ENV_BASE_URL, "").strip()
    if base_url:
        fields["base_url"] = base_url
    return FlashcatCredentials(**fields)


def existing_file(path: Path, option: str) -> Path:
    """Return ``path`` if it is a readable file, else fail naming the option."""
    if not path.is_file():
        raise CliError(f"{option}: file not found: {path}")
    return path


def parse_datetime(value: str | None, option: str) -> datetime | None:
    """An ISO 8601 date-time from the command line, or a clear error naming the option."""
    return _parse_iso(value, option, datetime.fromisoformat, "2026-10-01T10:00:00+08:00")


def parse_date(value: str | None, option: str) -> date | None:
    """An ISO 8601 date (YYYY-MM-DD) from the command line, or a clear error naming the option."""
    return _parse_iso(value, option, date.fromisoformat, "2026-10-01")


def _parse_iso(value: str | None, option: str, parse: Callable[[str], R], example: str) -> R | None:
    if value is None:
        return None
    try:
        parsed = parse(value.strip())
    except ValueError as exc:
        raise CliError(f"{option}: {value[:40]!r} is not a value like {example}") from exc
    year = parsed.year  # type: ignore[attr-defined]
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CliError(f"{option}: the year must be between {MIN_YEAR} and {MAX_YEAR}, not {year}")
    return parsed


def check_url(value: str | None, option: str) -> str | None:
    """``value`` if it is an http(s) URL with a host, else a clear error naming the option."""
    if value is None:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CliError(f"{option}: must be an http:// or https:// URL with a host")
    return value.strip()


def check_ids(values: list[int] | None, option: str) -> list[int] | None:
    """Positive ids, or a clear error naming the option."""
    for value in values or []:
        if not 0 < value < 2**63:
            raise CliError(f"{option}: ids are positive integers, not {value}")
    return values


class _HideFromConsole(logging.Filter):
    """Drops every record: installed on console handlers only, for a quiet command."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


def console_handlers() -> list[logging.Handler]:
    """Every handler of every logger except Prefect's API log handlers (run and worker logs)."""
    loggers = [logging.root, *logging.root.manager.loggerDict.values()]
    found: dict[int, logging.Handler] = {}
    for logger in loggers:
        for handler in getattr(logger, "handlers", ()):
            if not isinstance(handler, APILogHandler):
                found[id(handler)] = handler
    return list(found.values())


@contextmanager
def prefect_logs(verbose: bool) -> Iterator[None]:
    """Show log records on the console only when asked; send run logs to the Prefect API always.

    Without ``verbose`` the command's own output (report, summary, one ``error:`` line) is
    all the user sees: the reports carry the warnings, and a failure would otherwise print
    its traceback through Prefect's logger before our one-line message. Only the console
    handlers are muted (a filter on each), so Prefect's API log handler still records every
    flow and task run's logs on the server, failures included. Handler filters survive
    Prefect re-applying its logging configuration (it only resets levels).
    """
    if verbose:
        yield
        return
    hide = _HideFromConsole()
    muted = console_handlers()
    for handler in muted:
        handler.addFilter(hide)
    try:
        yield
    finally:
        for handler in muted:
            handler.removeFilter(hide)


def deliver_run_telemetry() -> None:
    """Send the run logs and events still queued in this process to the Prefect API now
    (before an embedded server goes away with them). A no-op if Prefect was never loaded."""
    if "prefect.logging.handlers" not in sys.modules:
        return
    APILogWorker.drain_all(timeout=10)
    EventsWorker.drain_all(timeout=10)


EPHEMERAL_SERVER_STARTUP_TIMEOUT = 180
"""Seconds to wait for Prefect's embedded server (its default of 20 is short on a busy box)."""


@contextmanager
def offline_prefect() -> Iterator[None]:
    """Defaults for the commands' Prefect use, unless the user's environment says otherwise:
    no analytics from an embedded server, and a patient wait for that server to start."""
    updates: dict[Any, Any] = {}
    if "PREFECT_SERVER_ANALYTICS_ENABLED" not in os.environ:
        updates[PREFECT_SERVER_ANALYTICS_ENABLED] = False
    if "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS" not in os.environ:
        updates[PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS] = EPHEMERAL_SERVER_STARTUP_TIMEOUT
    os.environ.setdefault("DO_NOT_TRACK", "1")
    with temporary_settings(updates=updates):
        try:
            yield
        finally:
            with prefect_logs(verbose=False):
                stop_embedded_server()


def stop_embedded_server() -> None:
    """Deliver queued run logs and events, then stop Prefect's embedded server if this process
    started one (now, quietly, rather than at interpreter exit, where it logs a line after
    the command's output)."""
    deliver_run_telemetry()
    server_module = sys.modules.get("prefect.server.api.server")
    if server_module is not None:
        server_module.SubprocessASGIServer().stop()


def show_report(report: BaseModel, as_json: bool) -> None:
    """Print a flow report: JSON on request (or when the report has no ``to_markdown()``),
    else its markdown, rendered for the terminal."""
    to_markdown = getattr(report, "to_markdown", None)
    if as_json or to_markdown is None:
        typer.echo(report.model_dump_json(indent=2))
        return
    Console().print(Markdown(to_markdown()))


def run_rule_flow(
    flow: Callable[..., Any],
    credentials: FlashcatCredentials,
    plan: BaseModel,
    *,
    dry_run: bool,
    snapshot: Path | None,
    verbose: bool,
    as_json: bool,
    **options: Any,
) -> None:
    """Run a rule-changing flow (rotation, calendar profile) and print its report."""
    with prefect_logs(verbose):
        report = flow(
            credentials,
            plan,
            dry_run=dry_run,
            snapshot_path=str(snapshot) if snapshot else None,
            **options,
        )
    show_report(report, as_json)


def fail(message: str, code: int = EXIT_FAILURE) -> NoReturn:
    """Print one ``error:`` line on stderr and leave with ``code``."""
    typer.echo(error_line(message), err=True)
    raise typer.Exit(code)


def cli_command(func: Callable[P, R]) -> Callable[P, R]:
    """Run a command so that any failure ends as one clear line and a non-zero exit."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            message, code = describe_error(exc)
            fail(message, code)

    return wrapper
