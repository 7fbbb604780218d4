"""Checking time-zone parameters, shared by every routine and the CLI."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def resolve_time_zone(name: str, *, field: str = "time_zone") -> ZoneInfo:
    """The IANA zone ``name``, or a ValueError that names ``field``."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{field}: {name!r} is not an IANA time zone name") from exc
