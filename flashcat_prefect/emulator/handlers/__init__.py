"""Request handlers with specific semantics, one module per API area.

Importing a module registers its handlers (see :mod:`.base`); :func:`load` imports them all.
"""

from __future__ import annotations

import importlib

MODULES = (
    "calendars",
    "directory",
    "incidents",
    "alerts",
    "insights",
    "schedules",
    "work_items",
    "alert_actions",
    "collaboration",
    "mappings",
    "status_pages",
    "unemulated",
)


def load() -> None:
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")
