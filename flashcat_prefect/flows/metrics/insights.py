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
INSIGHT_DIMENSIONS: tuple[str, ...] = ("team", "channel", "responder", "account")
EXPORT_DIMENSIONS: tuple[str, ...] = ("incident", "team", "channel", "responder")

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


def _check(dimension: str, allowed: tuple[str, ...], parameter: str) -> None:
    if dimension not in allowed:
        raise ValueError(f"{parameter}: must be one of {', '.join(allowed)}, got {dimension!r}")


def insight_frame(
    client: FlashcatClient, dimension: InsightDimension, body: dict[str, Any]
) -> pd.DataFrame:
    """``/insight/<dimension>`` items as a DataFrame (ids as Int64, ``ts`` as UTC datetimes)."""
    _check(dimension, INSIGHT_DIMENSIONS, "dimension")
    insights = client.insights
    call = {
        "team": insights.team,
        "channel": insights.channel,
        "responder": insights.responder,
        "account": insights.account,
    }[dimension]
    answer = call(body)
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
    _check(dimension, EXPORT_DIMENSIONS, "dimension")
    insights = client.insights
    call = {
        "incident": insights.export_incidents,
        "team": insights.export_team,
        "channel": insights.export_channel,
        "responder": insights.export_responder,
    }[dimension]
    text = call(body)
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
