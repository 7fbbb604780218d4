"""The ``flashcat-prefect`` command line: thin fronts over the flows and the emulator.

Each command group lives in its own module and is attached here.
"""

from __future__ import annotations

import typer

from flashcat_prefect.cli import commands
from flashcat_prefect.cli._common import offline_prefect

app = typer.Typer(
    name="flashcat-prefect",
    help="Flashduty on-call automation with Prefect: demo, emulator, calendars, rotation, exports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
_attached = False


def build_app() -> typer.Typer:
    """The app with every command group attached (idempotent)."""
    global _attached
    if not _attached:
        commands.register(app)
        _attached = True
    return app


def main() -> None:
    """Console-script entry point."""
    with offline_prefect():
        build_app()()
