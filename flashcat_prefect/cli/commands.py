"""Attach every command group to the main app.

Each group module exposes ``register(app: typer.Typer) -> None``.
"""

from __future__ import annotations

import importlib

import typer

GROUP_MODULES = (
    "flashcat_prefect.cli.demo_cmd",
    "flashcat_prefect.cli.emulator_cmd",
    "flashcat_prefect.cli.webhook_cmd",
    "flashcat_prefect.cli.calendar_cmd",
    "flashcat_prefect.cli.rotate_cmd",
    "flashcat_prefect.cli.profile_cmd",
    "flashcat_prefect.cli.export_cmd",
    "flashcat_prefect.cli.blocks_cmd",
)


def register(app: typer.Typer) -> None:
    for name in GROUP_MODULES:
        importlib.import_module(name).register(app)
