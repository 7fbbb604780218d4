"""The metrics export's pure parts, without Prefect or HTTP: windows, rows, files, figures."""

from __future__ import annotations

import csv
import itertools
import random
import statistics
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcat_prefect.flows.metrics.aggregate import (
    metrics_by,
    noisiest_channels,
    overall_metrics,
    read_summary_frame,
    summary_table,
)
from flashcat_prefect.flows.metrics.frame import (
    ChannelDirectory,
    arrow_schema,
    incident_batch,
    typed_frame,
)
from flashcat_prefect.flows.metrics.plan import (
    AUTO_MAX_FETCH_CONCURRENCY,
    ExportFilters,
    choose_fetch_concurrency,
    incremental_start,
    watermark_variable_name,
)
from flashcat_prefect.flows.metrics.windows import (
    MAX_INCIDENT_LIST_SPAN,
    MAX_WINDOWS,
    MIN_AUTO_WINDOW_SECONDS,
    TimeWindow,
    auto_window_seconds,
    plan_windows,
    to_unix_seconds,
)
from flashcat_prefect.flows.metrics.writer import (
    IncidentSink,
    merge_into,
    parquet_to_csv,
)
from flashcat_prefect.flows.time_zones import resolve_time_zone

TZ_NAME = "Asia/Shanghai"
TZ = ZoneInfo(TZ_NAME)
DIRECTORY = ChannelDirectory(channel_team={11: 1, 12: 1, 13: 2}, team_names={1: "SRE", 2: "DBA"})
BASE = int(datetime(2026, 3, 2, tzinfo=TZ).timestamp())  # a Monday, 00:00 local


def wire_incident(
    n: int,
    *,
    start: int,
    ack: int = 0,
    close: int = 0,
    channel: int = 11,
    severity: str = "Warning",
    layer: int = 0,
    kind: str = "assign",
    responders: tuple[tuple[int, int], ...] = ((101, 0),),
    updated: int | None = None,
) -> dict:
    """An /incident/list item in wire form (0 for unset, nested assignment)."""
    return {
        "incident_id": f"{n:024x}",
        "num": f"{n:06X}",
        "title": f"incident {n}",
        "incident_severity": severity,
        "incident_status": severity,
        "progress": "Closed" if close else ("Processing" if ack else "Triggered"),
        "channel_id": channel,
        "channel_name": f"channel {channel}",
        "start_time": start,
        "ack_time": ack,
        "close_time": close,
        "end_time": 0,
        "last_time": max(start, ack, close),
        "created_at": start,
        "updated_at": updated if updated is not None else max(start, ack, close),
        "creator_id": 0,
        "closer_id": 105 if close else 0,
        "alert_cnt": 1,
        "ever_muted": False,
        "responders": [
            {"person_id": p, "assigned_at": start, "acknowledged_at": acked}
            for p, acked in responders
        ],
        "assigned_to": {
            "person_ids": [p for p, _ in responders],
            "type": kind,
            "layer_idx": layer,
            "escalate_rule_name": "Default",
        },
    }


def random_incidents(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    items = []
    for n in range(1, count + 1):
        start = BASE + rng.randrange(0, 21 * 86_400)
        ack = start + rng.randrange(5, 4000) if rng.random() < 0.8 else 0
        close = max(ack, start) + rng.randrange(60, 20_000) if rng.random() < 0.7 else 0
        escalated = rng.random() < 0.2
        items.append(
            wire_incident(
                n,
                start=start,
                ack=ack,
                close=close,
                channel=rng.choice([11, 12, 13, 14]),
                severity=rng.choice(["Critical", "Warning", "Info"]),
                layer=1 if escalated else 0,
                kind="escalate" if escalated else "assign",
            )
        )
    return items


def write_export(items: list[dict], path: Path, *, batch_rows: int = 50) -> IncidentSink:
    sink = IncidentSink(path, arrow_schema(TZ_NAME), DIRECTORY, batch_rows=batch_rows)
    with sink:
        for i in range(0, len(items), 10):
            sink.add_page(items[i : i + 10])
    sink.tmp_path.replace(path)
    return sink


# -- windows --------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    start=st.integers(0, 2_000_000_000),
    span=st.integers(1, 400 * 86_400),
    data=st.data(),
)
def test_windows_cover_the_range_contiguously_within_the_span_limit(start, span, data):
    window = data.draw(st.integers(max(1, -(-span // MAX_WINDOWS)), MAX_INCIDENT_LIST_SPAN))
    windows = plan_windows(start, start + span, window_seconds=window)
    assert windows[0].start == start
    assert windows[-1].end == start + span
    for left, right in itertools.pairwise(windows):
        assert left.end == right.start
    assert all(0 < w.seconds <= window <= MAX_INCIDENT_LIST_SPAN for w in windows)


def test_automatic_windows_give_each_worker_several_whole_hour_windows():
    assert auto_window_seconds(90 * 86_400, 8) == 68 * 3600  # 90 days / 32 = 67.5 h, rounded up
    assert (
        len(plan_windows(0, 90 * 86_400, window_seconds=auto_window_seconds(90 * 86_400, 8))) == 32
    )
    assert auto_window_seconds(3600, 8) == MIN_AUTO_WINDOW_SECONDS
    assert auto_window_seconds(5 * 365 * 86_400, 8) == MAX_INCIDENT_LIST_SPAN
    assert auto_window_seconds(10 * 86_400, 1) % 3600 == 0


@pytest.mark.parametrize(
    ("start", "end", "window", "field"),
    [
        (100, 100, 10, "end"),
        (200, 100, 10, "end"),
        (0, 100, 0, "window_seconds"),
        (0, 100, MAX_INCIDENT_LIST_SPAN + 1, "window_seconds"),
        (0, 86_400 * 365, 60, "window_seconds"),
    ],
)
def test_bad_ranges_and_windows_name_the_field(start, end, window, field):
    with pytest.raises(ValueError, match=rf"^{field}:"):
        plan_windows(start, end, window_seconds=window)


def test_time_points_are_read_in_the_export_time_zone():
    midnight = int(datetime(2026, 1, 5, tzinfo=TZ).timestamp())
    assert to_unix_seconds(date(2026, 1, 5), TZ, field="start") == midnight
    assert to_unix_seconds(datetime(2026, 1, 5), TZ, field="start") == midnight
    assert to_unix_seconds("2026-01-05", TZ, field="start") == midnight
    assert to_unix_seconds("2026-01-04T16:00:00+00:00", TZ, field="start") == midnight
    assert to_unix_seconds(midnight, TZ, field="start") == midnight
    for bad in ("next tuesday", -5, True, [1]):
        with pytest.raises(ValueError, match=r"^end:"):
            to_unix_seconds(bad, TZ, field="end")
    with pytest.raises(ValueError, match=r"^time_zone:"):
        resolve_time_zone("Mars/Olympus")


# -- rows and the typed frame ----------------------------------------------------------


def test_a_flattened_row_turns_zeros_into_nulls_and_flattens_assignment():
    item = wire_incident(
        1,
        start=BASE + 10 * 3600,
        ack=BASE + 10 * 3600 + 90,
        channel=13,
        layer=2,
        kind="escalate",
        responders=((102, 0), (103, BASE + 10 * 3600 + 90)),
    )
    batch = incident_batch([item], arrow_schema(TZ_NAME), DIRECTORY)
    row = typed_frame(pq_table(batch)).iloc[0]
    assert row["seconds_to_ack"] == 90
    assert pd.isna(row["seconds_to_close"]) and pd.isna(row["close_time"])
    assert pd.isna(row["creator_id"])
    assert (row["team_id"], row["team_name"]) == (2, "DBA")
    assert row["responder_count"] == 2
    assert (row["first_responder_id"], row["first_acker_id"]) == (102, 103)
    assert row["assigned_person_ids"] == "102,103"
    assert row["escalation_layer"] == 2 and bool(row["escalated"])
    assert row["start_time"] == datetime(2026, 3, 2, 10, tzinfo=TZ)


def pq_table(batch):
    import pyarrow as pa

    return pa.Table.from_batches([batch])


def expected_row(item: dict) -> dict:
    """The export's row for one item, restated item by item in plain Python (the oracle)."""

    def unset(value):
        return value or None

    assigned = item.get("assigned_to") or {}
    responders = item.get("responders") or []
    acked = [r for r in responders if r.get("acknowledged_at")]
    start, ack, close = (unset(item.get(k)) for k in ("start_time", "ack_time", "close_time"))
    team_id = DIRECTORY.channel_team.get(unset(item.get("channel_id")))
    layer = assigned.get("layer_idx")
    return {
        "incident_id": item["incident_id"],
        "num": unset(item.get("num")),
        "title": item.get("title"),
        "incident_severity": unset(item.get("incident_severity")),
        "progress": unset(item.get("progress")),
        "channel_id": unset(item.get("channel_id")),
        "team_id": team_id,
        "team_name": DIRECTORY.team_names.get(team_id),
        "start_time": start,
        "ack_time": ack,
        "close_time": close,
        "updated_at": unset(item.get("updated_at")),
        "seconds_to_ack": ack - start if ack and start else None,
        "seconds_to_close": close - start if close and start else None,
        "closer_id": unset(item.get("closer_id")),
        "alert_cnt": item.get("alert_cnt"),
        "responder_count": len(responders),
        "first_responder_id": unset(responders[0].get("person_id")) if responders else None,
        "first_acker_id": unset(min(acked, key=lambda r: r["acknowledged_at"]).get("person_id"))
        if acked
        else None,
        "assigned_person_ids": ",".join(map(str, assigned.get("person_ids") or [])) or None,
        "assignment_type": unset(assigned.get("type")),
        "escalation_layer": layer,
        "escalate_rule_name": unset(assigned.get("escalate_rule_name")),
        "escalated": assigned.get("type") == "escalate" or bool(layer),
        "ever_muted": bool(item.get("ever_muted")),
    }


_maybe_zero = st.one_of(st.none(), st.just(0), st.integers(1, 400))
_responder = st.fixed_dictionaries(
    {"person_id": _maybe_zero},
    optional={"acknowledged_at": st.one_of(st.none(), st.sampled_from([0, BASE + 5, BASE + 9]))},
)
_wire_item = st.fixed_dictionaries(
    {"incident_id": st.text("0123456789abcdef", min_size=24, max_size=24)},
    optional={
        "num": st.sampled_from(["", "00A1"]),
        "title": st.sampled_from(["", "disk full"]),
        "incident_severity": st.sampled_from(["", "Critical", "Info"]),
        "progress": st.sampled_from(["Triggered", "Closed"]),
        "channel_id": st.sampled_from([0, 11, 13, 14]),
        "start_time": st.sampled_from([0, BASE, BASE + 3600]),
        "ack_time": st.sampled_from([0, BASE + 60]),
        "close_time": st.one_of(st.none(), st.sampled_from([0, BASE + 7200])),
        "updated_at": st.sampled_from([0, BASE + 7200]),
        "closer_id": _maybe_zero,
        "alert_cnt": st.one_of(st.none(), st.integers(0, 5)),
        "ever_muted": st.one_of(st.none(), st.booleans()),
        "responders": st.one_of(st.none(), st.lists(_responder, max_size=4)),
        "assigned_to": st.one_of(
            st.none(),
            st.fixed_dictionaries(
                {},
                optional={
                    "person_ids": st.one_of(st.none(), st.lists(st.integers(1, 300), max_size=3)),
                    "type": st.sampled_from(["", "assign", "escalate", "reassign"]),
                    "layer_idx": st.one_of(st.none(), st.integers(0, 3)),
                    "escalate_rule_name": st.sampled_from(["", "Default"]),
                },
            ),
        ),
    },
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_wire_item, max_size=12))
def test_incident_batch_matches_a_plain_reading_of_each_item(items):
    """The columnar conversion agrees, item by item, with the plain-Python oracle above,
    for missing keys, nulls, zeros, empty lists and acknowledgement ties."""
    batch = incident_batch(items, arrow_schema(TZ_NAME), DIRECTORY)
    rows = batch.to_pylist()
    assert len(rows) == len(items)
    for item, row in zip(items, rows, strict=True):
        want = expected_row(item)
        got = {name: row[name] for name in want}
        for name in ("start_time", "ack_time", "close_time", "updated_at"):
            got[name] = int(got[name].timestamp()) if got[name] is not None else None
        assert got == want


def test_first_acker_is_the_earliest_and_the_earlier_listed_on_a_tie():
    tie = BASE + 5
    items = [
        wire_incident(1, start=BASE, responders=((102, BASE + 9), (103, tie), (104, tie))),
        wire_incident(2, start=BASE, responders=((105, 0), (106, 0))),
        wire_incident(3, start=BASE, responders=()),
        wire_incident(4, start=BASE, responders=((107, tie), (108, BASE + 1))),
    ]
    batch = incident_batch(items, arrow_schema(TZ_NAME), DIRECTORY)
    assert batch.column("first_acker_id").to_pylist() == [103, None, None, 108]
    assert batch.column("first_responder_id").to_pylist() == [102, 105, None, 107]
    assert [expected_row(i)["first_acker_id"] for i in items] == [103, None, None, 108]


def test_incident_batch_names_the_field_with_a_wrong_type():
    item = wire_incident(1, start=BASE)
    item["channel_id"] = "eleven"
    with pytest.raises(ValueError, match=r"incident '0+1': field 'channel_id'"):
        incident_batch([wire_incident(2, start=BASE), item], arrow_schema(TZ_NAME), DIRECTORY)


def test_typed_frame_dtypes():
    items = random_incidents(30)
    batch = incident_batch(items, arrow_schema(TZ_NAME), DIRECTORY)
    frame = typed_frame(pq_table(batch))
    assert str(frame["start_time"].dt.tz) == TZ_NAME
    assert frame["start_time"].dt.unit == "s"
    assert isinstance(frame["incident_severity"].dtype, pd.CategoricalDtype)
    assert frame["incident_severity"].cat.ordered
    assert list(frame["progress"].cat.categories) == ["Triggered", "Processing", "Closed"]
    for column in ("channel_id", "team_id", "seconds_to_ack", "escalation_layer"):
        assert frame[column].dtype == "Int64", column
    assert frame["escalated"].dtype == "boolean"
    # channel 14 has no team in the directory: a null team, not a zero
    assert frame.loc[frame["channel_id"] == 14, "team_id"].isna().all()


@pytest.mark.parametrize(
    ("local", "off"),
    [
        (datetime(2026, 3, 2, 9, 0), False),  # Monday 09:00
        (datetime(2026, 3, 2, 17, 59), False),
        (datetime(2026, 3, 2, 8, 59), True),
        (datetime(2026, 3, 2, 18, 0), True),
        (datetime(2026, 3, 7, 11, 0), True),  # Saturday
        (datetime(2026, 3, 8, 11, 0), True),  # Sunday
    ],
)
def test_off_hours_uses_local_time_and_weekends(local, off):
    start = int(local.replace(tzinfo=TZ).timestamp())
    batch = incident_batch([wire_incident(1, start=start)], arrow_schema(TZ_NAME), DIRECTORY)
    assert batch.column("off_hours")[0].as_py() is off


# -- the sink, merge and CSV -------------------------------------------------------------


def test_sink_keeps_each_incident_once_across_threads(tmp_path):
    items = random_incidents(600)
    path = tmp_path / "incidents.parquet"
    sink = IncidentSink(path, arrow_schema(TZ_NAME), DIRECTORY, batch_rows=64)

    def feed(offset: int) -> None:  # overlapping slices, as windows touching at edges give
        for i in range(offset, len(items), 25):
            sink.add_page(items[i : i + 40])

    threads = [threading.Thread(target=feed, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sink.close()
    assert not path.exists()  # written under a temporary name until the caller commits
    table = pq.read_table(sink.tmp_path)
    ids = table.column("incident_id").to_pylist()
    assert sorted(ids) == sorted(i["incident_id"] for i in items)
    assert sink.count == len(items) and sink.duplicates > 0
    assert pq.ParquetFile(sink.tmp_path).metadata.num_row_groups > 1  # written in batches


def test_sink_failure_leaves_no_file(tmp_path):
    path = tmp_path / "incidents.parquet"
    with pytest.raises(RuntimeError), IncidentSink(path, arrow_schema(TZ_NAME), DIRECTORY) as sink:
        sink.add_page(random_incidents(5))
        raise RuntimeError("window failed")
    assert list(tmp_path.iterdir()) == []


def test_merge_replaces_by_id_and_adds_new_rows(tmp_path):
    old = random_incidents(200)
    write_export(old, tmp_path / "incidents.parquet")
    changed = [dict(i, title="edited", updated_at=i["updated_at"] + 50) for i in old[150:]]
    brand_new = [wire_incident(n, start=BASE + n) for n in range(1000, 1020)]
    write_export(changed + brand_new, tmp_path / "fresh.parquet")
    kept, replaced = merge_into(
        tmp_path / "incidents.parquet",
        tmp_path / "fresh.parquet",
        tmp_path / "incidents.parquet",
        arrow_schema(TZ_NAME),
    )
    assert (kept, replaced) == (150, 50)
    frame = typed_frame(pq.read_table(tmp_path / "incidents.parquet"))
    assert frame["incident_id"].is_unique
    assert len(frame) == 220
    titles = frame.set_index("incident_id")["title"]
    assert (titles[[i["incident_id"] for i in old[150:]]] == "edited").all()
    assert (titles[[i["incident_id"] for i in old[:150]]] != "edited").all()


def test_csv_holds_every_exported_row(tmp_path):
    items = random_incidents(120)
    write_export(items, tmp_path / "incidents.parquet")
    parquet_to_csv(tmp_path / "incidents.parquet", tmp_path / "incidents.csv")
    with open(tmp_path / "incidents.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["incident_id"] for r in rows) == sorted(i["incident_id"] for i in items)
    by_id = {r["incident_id"]: r for r in rows}
    sample = items[0]
    assert by_id[sample["incident_id"]]["incident_severity"] == sample["incident_severity"]
    local = datetime.fromtimestamp(sample["start_time"], TZ).isoformat(sep=" ")
    assert local.endswith("+08:00")
    assert by_id[sample["incident_id"]]["start_time"] == local  # local time with its offset


# -- figures -----------------------------------------------------------------------------


def direct_figures(items: list[dict]) -> dict:
    """MTTA/MTTR etc. computed straight from wire items with the standard library."""
    acks = [i["ack_time"] - i["start_time"] for i in items if i["ack_time"]]
    closes = [i["close_time"] - i["start_time"] for i in items if i["close_time"]]

    def off(i):
        local = datetime.fromtimestamp(i["start_time"], TZ)
        return local.weekday() >= 5 or not 9 <= local.hour < 18

    return {
        "incidents": len(items),
        "mtta_median_s": statistics.median(acks) if acks else None,
        "mtta_p90_s": float(np.percentile(acks, 90)) if acks else None,
        "mttr_median_s": statistics.median(closes) if closes else None,
        "mttr_p90_s": float(np.percentile(closes, 90)) if closes else None,
        "ack_rate": len(acks) / len(items),
        "escalations": sum(1 for i in items if i["assigned_to"]["type"] == "escalate"),
        "off_hours_share": sum(map(off, items)) / len(items),
    }


def test_summary_figures_match_a_direct_computation(tmp_path):
    items = random_incidents(500)
    write_export(items, tmp_path / "incidents.parquet")
    frame = read_summary_frame(tmp_path / "incidents.parquet")
    assert overall_metrics(frame) == pytest.approx(direct_figures(items))

    by_team = metrics_by(frame, "team").set_index("key")
    for team_id, channels in ((1, {11, 12}), (2, {13})):
        expected = direct_figures([i for i in items if i["channel_id"] in channels])
        got = by_team.loc[str(team_id)]
        for name, value in expected.items():
            assert got[name] == pytest.approx(value), (team_id, name)

    by_week = metrics_by(frame, "week").set_index("key")
    for week_key, count in by_week["incidents"].items():
        year, week = week_key.split("-W")
        expected = sum(
            1
            for i in items
            if datetime.fromtimestamp(i["start_time"], TZ).isocalendar()[:2]
            == (int(year), int(week))
        )
        assert count == expected
    assert by_week["incidents"].sum() == len(items)


def test_summary_table_and_noisiest_channels(tmp_path):
    items = random_incidents(300)
    write_export(items, tmp_path / "incidents.parquet")
    frame = read_summary_frame(tmp_path / "incidents.parquet")
    table = summary_table(frame)
    assert list(table["dimension"].unique()) == ["all", "team", "channel", "severity", "week"]
    for dimension in ("team", "channel", "severity", "week"):
        assert table.loc[table["dimension"] == dimension, "incidents"].sum() == len(items)
    counts: dict[int, int] = {}
    for i in items:
        counts[i["channel_id"]] = counts.get(i["channel_id"], 0) + 1
    top = noisiest_channels(frame, top=2)
    assert top["key"].tolist() == [
        str(c) for c, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
    ]


def test_empty_export_has_zero_incidents_and_no_durations(tmp_path):
    write_export([], tmp_path / "incidents.parquet")
    figures = overall_metrics(read_summary_frame(tmp_path / "incidents.parquet"))
    assert figures["incidents"] == 0 and figures["escalations"] == 0
    assert figures["mtta_median_s"] is None and figures["ack_rate"] is None


# -- filters, watermark and incremental range --------------------------------------------


def test_filters_are_checked_before_anything_is_sent():
    with pytest.raises(ValueError, match=r"^team_ids:"):
        ExportFilters.checked(["7"], None, None)
    with pytest.raises(ValueError, match=r"^channel_ids:"):
        ExportFilters.checked(None, [0], None)
    with pytest.raises(ValueError, match=r"^severities:"):
        ExportFilters.checked(None, None, ["Fatal"])
    filters = ExportFilters.checked([3, 1, 3], [2001], ["Info", "Critical"])
    body = filters.list_body(TimeWindow(10, 20))
    assert body["team_ids"] == [1, 3]
    assert body["incident_severity"] == "Critical,Info"
    assert (body["start_time"], body["end_time"], body["limit"]) == (10, 20, 100)


def test_watermark_name_depends_on_filters_and_output_not_on_a_key():
    base = watermark_variable_name("http://127.0.0.1:9", ExportFilters(), Path("out"))
    assert base == watermark_variable_name("http://127.0.0.1:9/", ExportFilters(), Path("out"))
    assert base != watermark_variable_name("http://127.0.0.1:9", ExportFilters((1,)), Path("out"))
    assert base != watermark_variable_name("http://127.0.0.1:9", ExportFilters(), Path("other"))
    assert all(c.isdigit() or c.islower() or c == "_" for c in base) and len(base) <= 255


def test_incremental_start_rereads_open_incidents_within_the_lookback():
    day = 86_400
    newest = 100 * day
    week = 7 * day
    assert incremental_start({"newest_start": newest}, 0, week) == newest - 3600
    mark = {"newest_start": newest, "oldest_open_start": newest - 2 * day}
    assert incremental_start(mark, 0, week) == newest - 2 * day
    mark = {"newest_start": newest, "oldest_open_start": newest - 30 * day}
    assert incremental_start(mark, 0, week) == newest - week
    assert incremental_start(mark, newest - day, week) == newest - day


def test_time_window_label_is_local():
    window = TimeWindow(BASE, BASE + 86_400)
    assert window.label(TZ) == "2026-03-02 00:00 → 2026-03-03 00:00"
    assert timedelta(seconds=window.seconds) == timedelta(days=1)


@pytest.mark.parametrize(
    ("round_trip", "expected"),
    [
        (0.0005, 2),
        (0.004, 2),
        (0.009, 3),
        (0.05, 11),
        (0.2, AUTO_MAX_FETCH_CONCURRENCY),
        (2.0, AUTO_MAX_FETCH_CONCURRENCY),
    ],
)
def test_fetch_concurrency_follows_the_round_trip(round_trip, expected):
    """Two windows at once on a fast link; more as latency grows, never past the limit."""
    assert choose_fetch_concurrency(round_trip) == expected
    assert choose_fetch_concurrency(round_trip, limit=3) == min(expected, 3)
