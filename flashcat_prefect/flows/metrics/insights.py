"""Flashduty's own insight figures as pandas DataFrames.

``/insight/{team,channel,responder,account}`` answer JSON items with totals and means per
dimension; ``/insight/{incident,team,channel,responder}/export`` answer a CSV attachment
(and are limited to 10 requests a minute). These helpers take a live client, send one
request and hand back a DataFrame, so a notebook or flow can set the server's figures next
to the ones computed from exported incidents.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

if TYPE_CHECKING:
    from flashcat_prefect.client import FlashcatClient

InsightDimension = Literal["team", "channel", "responder", "account"]
ExportDimension = Literal["incident", "team", "channel", "responder"]
# dimension -> method of the typed ``client.insights`` namespace
_INSIGHT_METHODS = {
    "team": "team",
    "channel": "channel",
    "responder": "responder",
    "account": "account",
}
_EXPORT_METHODS = {
    "incident": "export_incidents",
    "team": "export_team",
    "channel": "export_channel",
    "responder": "export_responder",
}
INSIGHT_DIMENSIONS: tuple[str, ...] = tuple(_INSIGHT_METHODS)
EXPORT_DIMENSIONS: tuple[str, ...] = tuple(_EXPORT_METHODS)

_ID_COLUMNS = ("team_id", "channel_id", "responder_id", "account_id")
_TS_COLUMNS = ("ts",)


def insight_body(
    start: int,
    end: int,
    *,
    team_ids: Sequence[int] | None = None,
    channel_ids: Sequence[int] | None = None,
    severities: Sequence[str] | None = None,
    time_zone: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The request body the insight endpoints share; unset filters are left out."""
    body: dict[str, Any] = {"start_time": start, "end_time": end, **extra}
    if team_ids:
        body["team_ids"] = list(team_ids)
    if channel_ids:
        body["channel_ids"] = list(channel_ids)
    if severities:
        body["severities"] = list(severities)
    if time_zone:
        body["time_zone"] = time_zone
    return body


def _ask(client: FlashcatClient, methods: dict[str, str], dimension: str, body: Any) -> Any:
    """Send ``body`` with the typed insights method for ``dimension`` (checked first)."""
    if dimension not in methods:
        raise ValueError(f"dimension: must be one of {', '.join(methods)}, got {dimension!r}")
    return getattr(client.insights, methods[dimension])(body)


def insight_frame(
    client: FlashcatClient, dimension: InsightDimension, body: dict[str, Any]
) -> pd.DataFrame:
    """``/insight/<dimension>`` items as a DataFrame (ids as Int64, ``ts`` as UTC datetimes)."""
    answer = _ask(client, _INSIGHT_METHODS, dimension, body)
    items = answer.items if answer is not None else None
    rows = [item.model_dump(by_alias=True, exclude_unset=True) for item in items or []]
    frame = _with_nullable_ids(pd.DataFrame(rows))
    for column in _TS_COLUMNS:
        if column in frame.columns:
            frame[column] = pd.to_datetime(frame[column], unit="s", utc=True)
    return frame


def insight_export_frame(
    client: FlashcatClient, dimension: ExportDimension, body: dict[str, Any]
) -> pd.DataFrame:
    """``/insight/<dimension>/export`` (a CSV attachment) parsed into a DataFrame."""
    text = _ask(client, _EXPORT_METHODS, dimension, body)
    if not text:
        return pd.DataFrame()
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    return _with_nullable_ids(pd.read_csv(io.StringIO(text.lstrip("\ufeff"))))


def _with_nullable_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """Numeric id columns (the known ones and any ``*_id``) as nullable ``Int64``: a gap
    would otherwise turn them into floats. Text ids (``incident_id``) stay as they are."""
    for column in frame.columns:
        is_id = column in _ID_COLUMNS or str(column).endswith("_id")
        values = frame[column]
        if is_id and is_numeric_dtype(values) and not is_bool_dtype(values):
            frame[column] = values.astype("Int64")
    return frame
