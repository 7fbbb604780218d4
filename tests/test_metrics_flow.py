"""The incident-metrics export flow: real Prefect flow runs against the emulator over HTTP.

The truth we compare with is the emulator's own incident table (what the source holds),
read directly, never the flow's output.
"""

from __future__ import annotations

import json
import re
import statistics
from datetime import timedelta
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pytest
from prefect.artifacts import Artifact

from flashcat_prefect.emulator.seed import CHANNEL_IDS
from flashcat_prefect.flows.metrics import (
    REPORT_ARTIFACT_KEY,
    TABLE_ARTIFACT_KEY,
    export_incident_metrics,
    load_exported_incidents,
)

DAY = 86_400
TZ = "Asia/Shanghai"


def source_incidents(emulator, start: int, end: int, **filters) -> list[dict]:
    """Every incident the emulator holds with start_time in [start, end], in wire form."""
    table = emulator.state.incidents
    with emulator.state.lock:
        lo, hi = table.range_rows(start, end)
        return table.dicts(table.select(filters, lo=lo, hi=hi))


def create_incidents(
    client, severity: str, title: str, *, channel_id: int, count: int = 3
) -> set[str]:
    """Create ``count`` incidents through the API (titles numbered); return their ids."""
    return {
        client.request(
            "/incident/create",
            {"incident_severity": severity, "title": f"{title} {n}", "channel_id": channel_id},
        )["incident_id"]
        for n in range(count)
    }


def run(**parameters):
    """Run the flow; return (report, flow run id)."""
    state = export_incident_metrics(return_state=True, **parameters)
    return state.result(), state.state_details.flow_run_id


def test_full_export_matches_the_source(emulator, credentials, tmp_path):
    now = emulator.state.now
    start, end = now - 20 * DAY, now
    calls: list[tuple[int, int, int]] = []
    report, flow_run_id = run(
        credentials=credentials,
        start=start,
        end=end,
        output_dir=str(tmp_path / "out"),
        time_zone=TZ,
        window=2 * DAY,
        progress=lambda done, total, so_far: calls.append((done, total, so_far)),
    )
    source = source_incidents(emulator, start, end)
    assert len(source) > 1000

    # ids and count
    frame = load_exported_incidents(tmp_path / "out")
    assert sorted(frame["incident_id"]) == sorted(i["incident_id"] for i in source)
    assert report.incident_count == report.fetched_count == len(source)
    assert report.windows == 10 and len(calls) == 10
    assert [c[0] for c in calls] == list(range(1, 11)) and {c[1] for c in calls} == {10}
    assert calls[-1][2] == len(source)

    # MTTA / MTTR against a direct computation from the source incidents
    acks = [i["ack_time"] - i["start_time"] for i in source if i["ack_time"]]
    closes = [i["close_time"] - i["start_time"] for i in source if i["close_time"]]
    assert report.summary["mtta_median_s"] == pytest.approx(statistics.median(acks))
    assert report.summary["mtta_p90_s"] == pytest.approx(np.percentile(acks, 90))
    assert report.summary["mttr_median_s"] == pytest.approx(statistics.median(closes))
    assert report.summary["mttr_p90_s"] == pytest.approx(np.percentile(closes, 90))
    assert report.summary["ack_rate"] == pytest.approx(len(acks) / len(source))

    # a typed frame
    assert str(frame["start_time"].dt.tz) == TZ
    assert isinstance(frame["incident_severity"].dtype, pd.CategoricalDtype)
    assert frame["seconds_to_ack"].dtype == "Int64"
    by_id = {i["incident_id"]: i for i in source}
    sample = frame.iloc[0]
    assert int(sample["start_time"].timestamp()) == by_id[sample["incident_id"]]["start_time"]

    # per-team MTTA from the source, with the team taken from the channel list
    channels = httpx.post(
        f"{emulator.url}/channel/list", params={"app_key": emulator.app_key}, json={"limit": 100}
    ).json()["data"]["items"]
    team_of = {c["channel_id"]: c["team_id"] for c in channels}
    teams = {str(team_of.get(i["channel_id"])) for i in source}
    assert len(teams) > 1 and sorted(row["key"] for row in report.by_team) == sorted(teams)
    for row in report.by_team:
        members = [i for i in source if str(team_of.get(i["channel_id"])) == row["key"]]
        team_acks = [i["ack_time"] - i["start_time"] for i in members if i["ack_time"]]
        assert row["incidents"] == len(members)
        assert row["mtta_median_s"] == pytest.approx(statistics.median(team_acks))

    # files and artifacts
    assert set(report.files) == {"parquet", "csv", "summary_csv", "png"}
    csv_rows = pd.read_csv(report.files["csv"], usecols=["incident_id"])
    assert len(csv_rows) == len(source)
    summary = pd.read_csv(report.files["summary_csv"])
    assert summary.loc[summary["dimension"] == "all", "incidents"].item() == len(source)
    overall = summary[summary["dimension"] == "all"].iloc[0]
    assert overall["mtta_median_s"] == round(statistics.median(acks))  # whole seconds
    assert summary["mttr_p90_s"].dtype == "int64"
    assert Path(report.files["png"]).read_bytes()[:4] == b"\x89PNG"
    markdown, table = Artifact.get(REPORT_ARTIFACT_KEY), Artifact.get(TABLE_ARTIFACT_KEY)
    assert markdown.flow_run_id == table.flow_run_id == flow_run_id
    assert f"Incidents: **{len(source)}**" in markdown.data
    assert f"`{Path(report.files['parquet']).resolve()}`" in markdown.data  # absolute paths
    assert emulator.app_key not in markdown.data + table.data
    # Headers match their values, one "group" column instead of key + name.
    rows = json.loads(table.data)
    assert table.type == "table" and list(rows[0])[:3] == ["dimension", "group", "incidents"]
    assert "mtta_median_s" not in rows[0] and re.fullmatch(r"\d+m \d\ds", rows[0]["mtta_median"])
    teams = {row["group"] for row in rows if row["dimension"] == "team"}
    assert {f"{t['name']} ({t['key']})" for t in report.by_team} == teams
    assert "| name | incidents | mtta_median |" in markdown.data


def test_incremental_run_adds_exactly_the_new_incidents(emulator, credentials, tmp_path):
    now = emulator.state.now
    start, end = now - 10 * DAY, now + DAY  # the clock runs on: new incidents fall in range
    common = dict(
        credentials=credentials,
        start=start,
        end=end,
        output_dir=str(tmp_path / "out"),
        since_last_run=True,
    )
    first, _ = run(**common)
    assert not first.incremental
    before = set(load_exported_incidents(tmp_path / "out")["incident_id"])
    assert len(before) == len(source_incidents(emulator, start, end))

    with credentials.get_client() as client:
        created = create_incidents(client, "Critical", "disk full", channel_id=2001)
        open_one = next(
            i
            for i in source_incidents(emulator, now - DAY, now)
            if not i["ack_time"] and not i["close_time"]
        )
        client.request("/incident/ack", {"incident_ids": [open_one["incident_id"]]})

    second, _ = run(**common)
    frame = load_exported_incidents(tmp_path / "out")
    assert second.incremental
    assert set(frame["incident_id"]) - before == created
    assert frame["incident_id"].is_unique
    assert second.incident_count == len(before) + 3 == len(frame)
    assert second.new_count == 3
    assert second.updated_count == 1
    assert second.fetched_count < len(before)  # only the recent part was fetched
    acked = frame.set_index("incident_id").loc[open_one["incident_id"]]
    assert not pd.isna(acked["ack_time"]) and acked["progress"] == "Processing"

    third, _ = run(**common)  # nothing changed: nothing new, nothing duplicated
    assert (third.new_count, third.updated_count, third.incident_count) == (0, 0, len(frame))


def test_filters_reach_the_api_and_bad_input_sends_nothing(emulator, credentials, tmp_path):
    now = emulator.state.now
    start, end = now - 5 * DAY, now
    channel = CHANNEL_IDS[0]
    credentials.save("metrics-export-test", overwrite=True)  # as a deployment passes it
    report, _ = run(
        credentials="metrics-export-test",
        start=start,
        end=end,
        channel_ids=[channel],
        severities=["Critical", "Warning"],
        output_dir=str(tmp_path / "out"),
        formats=["csv"],
    )
    expected = source_incidents(
        emulator, start, end, channel_ids=[channel], incident_severity="Critical,Warning"
    )
    exported = pd.read_csv(report.files["csv"], usecols=["incident_id"])
    assert sorted(exported["incident_id"]) == sorted(i["incident_id"] for i in expected)
    assert "parquet" not in report.files and not (tmp_path / "out" / "incidents.parquet").exists()

    emulator.request_log.clear()
    for bad, field in (
        ({"severities": ["Fatal"]}, "severities"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"start": now, "end": now - DAY}, "end"),
        ({"formats": ["xlsx"]}, "formats"),
        ({"window": 40 * DAY}, "window_seconds"),
    ):
        parameters = {"credentials": credentials, "start": start, "end": end, **bad}
        with pytest.raises(ValueError, match=f"{field}:"):
            export_incident_metrics(**parameters, output_dir=str(tmp_path / "bad"))
    assert len(emulator.request_log) == 0


@pytest.mark.parametrize(
    ("status", "pattern", "client_retries", "window_hours"),
    [
        # 36 windows: every fourth of the first 36 pages answers 503; the client resends
        (503, (True, False, False, False), 8, 4),
        # 24 windows, and the client does not retry at all: two of every five of the first
        # 24 pages fail with a 500, so each window walk resumes from its cursor after a pause
        (500, (True, False, True, False, False), 0, 6),
    ],
    ids=["503s-retried-by-the-client", "40pct-500s-beyond-the-client"],
)
def test_transient_server_errors_do_not_lose_or_duplicate_incidents(
    emulator, credentials, tmp_path, status, pattern, client_retries, window_hours
):
    now = emulator.state.now
    start, end = now - 6 * DAY, now
    windows = 6 * 24 // window_hours
    # A script, not a probability: every window asks at least one page, so all of its
    # faults are played whichever window each one meets.
    script = [pattern[n % len(pattern)] for n in range(windows)]
    emulator.faults.sequence(
        "/incident/list",
        [{"kind": "http_error", "status": status} if bad else None for bad in script],
    )
    report, _ = run(
        credentials=credentials.model_copy(update={"max_retries": client_retries}),
        start=start,
        end=end,
        output_dir=str(tmp_path / "out"),
        formats=["parquet"],
        window=timedelta(hours=window_hours),
        concurrency=4,
    )
    failed = [e for e in emulator.request_log.for_path("/incident/list") if e.status == status]
    assert len(failed) == sum(script) > 0, "every scripted fault was played"
    frame = load_exported_incidents(tmp_path / "out", columns=["incident_id"])
    source = source_incidents(emulator, start, end)
    assert sorted(frame["incident_id"]) == sorted(i["incident_id"] for i in source)
    assert report.incident_count == len(source)


def test_an_export_removes_what_a_killed_run_left_behind(emulator, credentials, tmp_path):
    """Temporary files of an export that never finished are deleted by the next one."""
    out = tmp_path / "out"
    out.mkdir()
    stale = [out / ".incidents.parquet.0123abcd.tmp", out / ".incidents.csv.4567ef01.tmp"]
    for path in stale:
        path.write_bytes(b"half a file")
    keep = out / "notes.txt"  # not ours: left alone
    keep.write_text("mine")
    now = emulator.state.now
    run(credentials=credentials, start=now - DAY, end=now, output_dir=str(out))
    assert not any(path.exists() for path in stale)
    assert keep.read_text() == "mine"
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
