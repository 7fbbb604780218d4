"""Clients reused across task runs: one per block settings, process and event loop.

Building a client for every task call (settings checks, limiter lookup, an ``httpx`` pool,
a new TCP connection) cost about as much as the call itself. Endpoint tasks therefore borrow
a shared client instead:

- sync clients are shared by every thread of a process (``httpx.Client`` is thread-safe),
  made anew in a forked child, and closed when the process exits;
- async clients are shared only within one event loop (an ``httpx.AsyncClient``'s
  connections belong to the loop that opened them); a loop that is closed or gone gets
  none of them, and its clients are dropped with it.

The key is the block's type and client settings plus a hash of its secret, so two blocks
differing in anything that shapes a request never share a client, and the key itself never
holds the secret.
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import os
import threading
import weakref
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from flashcat_prefect.client.async_client import AsyncFlashcatClient
    from flashcat_prefect.client.sync_client import FlashcatClient


class ClientBlock(Protocol):
    """What a block offers to be shared: its settings, its secret and its two clients."""

    def _client_settings(self) -> dict[str, Any]: ...

    def _secret_value(self) -> str: ...

    def get_client(self) -> FlashcatClient: ...

    def get_async_client(self) -> AsyncFlashcatClient: ...


_lock = threading.Lock()
_sync_clients: dict[tuple[Any, ...], FlashcatClient] = {}
_sync_pid = os.getpid()
_async_clients: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[Any, ...], AsyncFlashcatClient]
] = weakref.WeakKeyDictionary()


def client_key(block: ClientBlock) -> tuple[Any, ...]:
    """What makes two blocks' clients interchangeable (the secret only as a hash)."""
    secret_hash = hashlib.sha256(block._secret_value().encode()).hexdigest()
    return (type(block).__qualname__, secret_hash, *sorted(block._client_settings().items()))


def shared_client(block: ClientBlock) -> FlashcatClient:
    """The process's sync client for this block's settings (do not close it)."""
    global _sync_pid
    key = client_key(block)
    with _lock:
        if os.getpid() != _sync_pid:  # a forked child: the parent's connections are not ours
            _sync_clients.clear()
            _sync_pid = os.getpid()
        client = _sync_clients.get(key)
        if client is None:
            client = _sync_clients[key] = block.get_client()
        return client


def shared_async_client(block: ClientBlock) -> AsyncFlashcatClient:
    """The running event loop's async client for this block's settings (do not close it)."""
    loop = asyncio.get_running_loop()
    key = client_key(block)
    with _lock:
        clients = _async_clients.setdefault(loop, {})
        client = clients.get(key)
        if client is None:
            client = clients[key] = block.get_async_client()
        return client


@atexit.register
def close_shared_clients() -> None:
    """Close the sync clients (at exit; also handy in tests). Async ones go with their loop."""
    with _lock:
        clients = list(_sync_clients.values()) if os.getpid() == _sync_pid else []
        _sync_clients.clear()
    for client in clients:
        client.close()
