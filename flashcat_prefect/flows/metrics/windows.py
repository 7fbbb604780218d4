"""Turning a user's time range into the windows ``/incident/list`` accepts.

``/incident/list`` needs both ``start_time`` and ``end_time`` (unix seconds) and refuses a
span over 31 days. We cut the range into shorter, equal windows: they respect the limit and
give the flow several independent units of work to fetch concurrently: by default about
four windows per window in flight (a "worker" here), so the fetch stays busy to the end and
the task runs stay few.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flashcat_prefect.api.constraints import MAX_UNIX_SECONDS

MAX_INCIDENT_LIST_SPAN = 31 * 86_400
"""Longest ``end_time - start_time`` that ``/incident/list`` accepts, in seconds."""

WINDOWS_PER_WORKER = 4
"""Automatic windows: about this many per worker, so workers stay busy to the end."""

MIN_AUTO_WINDOW_SECONDS = 6 * 3600
"""Automatic windows are never shorter than this: a task run costs some milliseconds."""

MAX_WINDOWS = 10_000
"""More windows than this means the window is far too short for the range."""

TimePoint = datetime | date | int | float | str


@dataclass(frozen=True, order=True)
class TimeWindow:
    """A half-open slice ``[start, end)`` of the export range, in unix seconds."""

    start: int
    end: int

    @property
    def seconds(self) -> int:
        return self.end - self.start

    def label(self, tz: ZoneInfo) -> str:
        """Short human form for log lines, in the export's time zone."""
        first = datetime.fromtimestamp(self.start, tz)
        last = datetime.fromtimestamp(self.end, tz)
        return f"{first:%Y-%m-%d %H:%M} → {last:%Y-%m-%d %H:%M}"


def to_unix_seconds(value: TimePoint, tz: ZoneInfo, *, field: str) -> int:
    """Read one bound of the range as unix seconds.

    Accepts an aware datetime, a naive datetime or a date (both read in ``tz``; a date means
    its midnight), unix seconds, or an ISO 8601 string. Anything else is a ValueError naming
    ``field``.
    """
    if isinstance(value, bool):
        raise ValueError(f"{field}: expected a datetime, date, ISO string or unix seconds")
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError(f"{field}: unix seconds must not be negative, got {value}")
        if value >= MAX_UNIX_SECONDS:
            raise ValueError(
                f"{field}: {value} is after the year 2100 in unix seconds; milliseconds? "
                "give seconds"
            )
        return int(value)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"{field}: {value!r} is not an ISO 8601 date or datetime") from exc
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=tz)
        return int(aware.timestamp())
    if isinstance(value, date):
        return int(datetime.combine(value, time.min, tzinfo=tz).timestamp())
    raise ValueError(
        f"{field}: expected a datetime, date, ISO string or unix seconds, "
        f"got {type(value).__name__}"
    )


def plan_windows(start: int, end: int, *, window_seconds: int) -> list[TimeWindow]:
    """Cut ``[start, end)`` into contiguous windows of at most ``window_seconds``.

    The windows are equal in length (the last one may be shorter), never longer than the
    31-day limit of ``/incident/list``, and together cover the range exactly once.
    """
    if end <= start:
        raise ValueError(f"end: must be after start (start={start}, end={end})")
    if window_seconds <= 0:
        raise ValueError(f"window_seconds: must be positive, got {window_seconds}")
    if window_seconds > MAX_INCIDENT_LIST_SPAN:
        raise ValueError(
            f"window_seconds: /incident/list accepts at most 31 days "
            f"({MAX_INCIDENT_LIST_SPAN} s) per request, got {window_seconds}"
        )
    count = math.ceil((end - start) / window_seconds)
    if count > MAX_WINDOWS:
        raise ValueError(
            f"window_seconds: {window_seconds} s cuts the range into {count} windows; "
            f"choose a window that gives at most {MAX_WINDOWS}"
        )
    bounds = [start + i * window_seconds for i in range(count)] + [end]
    return [TimeWindow(a, b) for a, b in itertools.pairwise(bounds)]


def auto_window_seconds(span: int, workers: int) -> int:
    """A window length for ``span`` seconds and ``workers`` parallel tasks.

    About :data:`WINDOWS_PER_WORKER` windows per worker, in whole hours, at least six hours
    and at most the 31-day limit.
    """
    wanted = math.ceil(span / (max(1, workers) * WINDOWS_PER_WORKER) / 3600) * 3600
    return min(max(wanted, MIN_AUTO_WINDOW_SECONDS), MAX_INCIDENT_LIST_SPAN)


def window_seconds_from(window: timedelta | int | float | None, *, span: int, workers: int) -> int:
    """Normalise the flow's ``window`` parameter (timedelta, seconds, or None for automatic)."""
    if window is None:
        return auto_window_seconds(span, workers)
    if isinstance(window, timedelta):
        return int(window.total_seconds())
    if isinstance(window, bool) or not isinstance(window, int | float):
        raise ValueError(f"window: expected a timedelta or seconds, got {type(window).__name__}")
    return int(window)
