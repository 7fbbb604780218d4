"""Insight helpers: Flashduty's own figures as DataFrames, checked against the incidents."""

from __future__ import annotations

import pandas as pd
import pytest

from flashcat_prefect.flows.metrics.insights import (
    insight_body,
    insight_export_frame,
    insight_frame,
)

DAY = 86_400


def incidents_by_team(emulator, start: int, end: int) -> dict[int, list[dict]]:
    table = emulator.state.incidents
    teams = table.directory.channel_teams
    with emulator.state.lock:
        lo, hi = table.range_rows(start, end)
        items = table.dicts(table.select({}, lo=lo, hi=hi))
    grouped: dict[int, list[dict]] = {}
    for item in items:
        grouped.setdefault(teams[item["channel_id"]], []).append(item)
    return grouped


def test_team_insight_frame_agrees_with_the_incidents(emulator, credentials):
    now = emulator.state.now
    start, end = now - 7 * DAY, now
    with credentials.get_client() as client:
        frame = insight_frame(client, "team", insight_body(start, end, time_zone="Asia/Shanghai"))
    assert frame["team_id"].dtype == "Int64"
    expected = incidents_by_team(emulator, start, end)
    got = frame.set_index("team_id")
    assert set(got.index) == set(expected)
    for team_id, items in expected.items():
        acks = [i["ack_time"] - i["start_time"] for i in items if i["ack_time"]]
        assert got.loc[team_id, "total_incident_cnt"] == len(items)
        assert got.loc[team_id, "mean_seconds_to_ack"] == pytest.approx(sum(acks) / len(acks))


def test_account_and_channel_frames_and_the_csv_exports(emulator, credentials):
    now = emulator.state.now
    start, end = now - 3 * DAY, now
    body = insight_body(start, end, channel_ids=[2001, 2002])
    with credentials.get_client() as client:
        account = insight_frame(client, "account", body)
        channels = insight_frame(client, "channel", body)
        exported = insight_export_frame(client, "incident", body)
        team_csv = insight_export_frame(client, "team", insight_body(start, end))
    total = sum(len(v) for v in incidents_by_team(emulator, start, end).values())
    assert team_csv["total_incident_cnt"].sum() == total
    assert {"team_id", "team_name", "mean_seconds_to_ack"} <= set(team_csv.columns)
    assert set(channels["channel_id"]) == {2001, 2002}
    assert account["total_incident_cnt"].sum() == channels["total_incident_cnt"].sum()
    assert isinstance(exported, pd.DataFrame)
    assert len(exported) == channels["total_incident_cnt"].sum()
    assert set(exported["channel_id"]) <= {2001, 2002}


def test_unknown_dimensions_are_refused_before_sending(emulator, credentials):
    emulator.request_log.clear()
    with credentials.get_client() as client, pytest.raises(ValueError, match=r"^dimension:"):
        insight_frame(client, "weather", insight_body(0, 1))  # type: ignore[arg-type]
    assert len(emulator.request_log) == 0
