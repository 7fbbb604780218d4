"""Attach every command group to the main app.

Each group module exposes ``register(app: typer.Typer) -> None``.
"""

from __future__ import annotations

import importlib

import typer

GROUP_MODULES = (
    "flashcat_prefect.cli.emulator_cmd",
)


def register(app: typer.Typer) -> None:
    for name in GROUP_MODULES:
        importlib.import_module(name).register(app)
