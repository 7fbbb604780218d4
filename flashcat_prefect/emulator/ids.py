"""Identifier shapes of the emulated account: ObjectIDs, calendar ids, integer ids."""

from __future__ import annotations

import itertools
import random
import threading

ACCOUNT_ID = 1_000_001
ACCOUNT_NAME = "Demo Corp"
ACCOUNT_LOCALE = "en-US"
ACCOUNT_TIME_ZONE = "Asia/Shanghai"
"""The emulated account: its id, name, locale and time zone, wherever the API shows them."""
_BASE57 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class IdFactory:
    """Makes new ids; deterministic for a given seed number, safe across threads."""

    def __init__(self, seed_number: int = 0, clock_seconds: int = 0) -> None:
        self._random = random.Random(f"ids-{seed_number}")
        self._counter = itertools.count(1)
        self._ints = itertools.count(5_000_001)
        self._clock_seconds = clock_seconds
        self._lock = threading.Lock()

    def object_id(self, at: int | None = None) -> str:
        """A 24-hex ObjectID: 8 hex of seconds, 10 of machine/random, 6 of counter."""
        with self._lock:
            stamp = (at if at is not None else self._clock_seconds) & 0xFFFFFFFF
            middle = self._random.getrandbits(40)
            return f"{stamp:08x}{middle:010x}{next(self._counter) & 0xFFFFFF:06x}"

    def integer(self) -> int:
        with self._lock:
            return next(self._ints)

    def short_uuid(self, prefix: str = "") -> str:
        with self._lock:
            return prefix + "".join(self._random.choice(_BASE57) for _ in range(22))

    def hex(self, length: int) -> str:
        with self._lock:
            return f"{self._random.getrandbits(4 * length):0{length}x}"


def new_id_for(field_name: str, integer: bool, ids: IdFactory) -> int | str:
    """A fresh id of the shape Flashduty uses for ``field_name``."""
    if integer:
        return ids.integer()
    if field_name == "cal_id":
        return ids.short_uuid("cal.")
    if field_name == "event_id":
        return ids.short_uuid("cale.")
    return ids.object_id()
