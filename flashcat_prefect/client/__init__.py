"""Sync and async clients for the Flashduty Open API, over one transport core.

``FlashcatClient`` / ``AsyncFlashcatClient`` send any endpoint (``request``), validated calls
(``call``), walk lists (``iter_pages``/``iter_items``) and expose the typed namespaces
generated from the catalog. Errors are in :mod:`flashcat_prefect.client.errors`.
"""

from __future__ import annotations

from flashcat_prefect.client._core import USER_AGENT, FlashcatResponseError
from flashcat_prefect.client.async_client import AsyncFlashcatClient
from flashcat_prefect.client.errors import *  # noqa: F403 (the error classes are public API)
from flashcat_prefect.client.errors import __all__ as _error_names
from flashcat_prefect.client.ratelimit import RateLimiter
from flashcat_prefect.client.settings import DEFAULT_BASE_URL, ClientSettings, ConnectionSettings
from flashcat_prefect.client.sync_client import FlashcatClient

__all__ = [
    "DEFAULT_BASE_URL",
    "USER_AGENT",
    "AsyncFlashcatClient",
    "ClientSettings",
    "ConnectionSettings",
    "FlashcatClient",
    "FlashcatResponseError",
    "RateLimiter",
    *_error_names,
]
