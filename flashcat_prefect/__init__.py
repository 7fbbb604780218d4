"""flashcat-prefect: the Flashduty on-call Open API as Prefect blocks, tasks and flows.

Importing the package registers the blocks with Prefect (``prefect block register -m
flashcat_prefect``). Heavier parts (flows, emulator) are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flashcat_prefect._lazy import lazy_names
from flashcat_prefect._version import __version__
from flashcat_prefect.credentials import FlashcatCredentials, FlashcatIntegration
from flashcat_prefect.notifications import FlashcatNotification

if TYPE_CHECKING:
    from flashcat_prefect.client import AsyncFlashcatClient, FlashcatClient
    from flashcat_prefect.emulator import FlashcatEmulator

__getattr__, __dir__ = lazy_names(
    __name__,
    {
        "FlashcatClient": "flashcat_prefect.client",
        "AsyncFlashcatClient": "flashcat_prefect.client",
        "FlashcatEmulator": "flashcat_prefect.emulator",
    },
)


__all__ = [
    "AsyncFlashcatClient",
    "FlashcatClient",
    "FlashcatCredentials",
    "FlashcatEmulator",
    "FlashcatIntegration",
    "FlashcatNotification",
    "__version__",
]
