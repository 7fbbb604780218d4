"""What the metrics export shows people: partial weeks in the chart, rounded summary figures,
narrow artifact tables, and id columns that stay integers when they have gaps."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pyarrow as pa

from flashcat_prefect.flows.metrics.insights import _with_nullable_ids
from flashcat_prefect.flows.metrics.report import (
    CHART_AVAILABLE,
    partial_weeks,
    rounded_summary,
    summary_artifact_rows,
    write_chart,
)
from flashcat_prefect.flows.metrics.writer import local_iso_with_offset

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def summary() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dimension": ["all", "team", "severity", "week", "week"],
            "key": ["all", "3001", "Critical", "2026-W44", "2026-W45"],
            "name": ["all incidents", "SRE", "Critical", "2026-W44", "2026-W45"],
            "incidents": [10, 10, 4, 6, 4],
            "mtta_median_s": [306.4, 306.5, 59.9, None, 12.0],
            "mtta_p90_s": [1887.2000000001] * 5,
            "mttr_median_s": [3926.0] * 5,
            "mttr_p90_s": [27511.600000000024] * 5,
            "ack_rate": [0.9087837837837838] * 5,
            "escalations": [0] * 5,
            "off_hours_share": [0.543918918918919] * 5,
        }
    )


def test_partial_weeks_are_the_ends_the_range_covers_in_part() -> None:
    # 2026-10-26 is a Monday (ISO week 44); 2026-11-08 a Sunday (week 45).
    assert partial_weeks(at("2026-10-26T00:00:00"), at("2026-11-08T23:59:59")) == set()
    assert partial_weeks(at("2026-10-28T09:00:00"), at("2026-11-04T09:00:00")) == {
        "2026-W44",
        "2026-W45",
    }
    assert partial_weeks(at("2026-10-26T00:00:00"), at("2026-11-04T00:00:00")) == {"2026-W45"}


def test_artifact_rows_have_one_group_column_and_headers_that_match_the_values() -> None:
    rows = summary_artifact_rows(summary())
    assert list(rows[0]) == [
        "dimension",
        "group",
        "incidents",
        "mtta_median",
        "mtta_p90",
        "mttr_median",
        "mttr_p90",
        "ack_rate",
        "escalations",
        "off_hours_share",
    ]
    assert [row["group"] for row in rows] == [
        "all incidents (all)",
        "SRE (3001)",
        "Critical",
        "2026-W44",
        "2026-W45",
    ]
    assert rows[1]["mtta_median"] == "5m 06s" and rows[1]["ack_rate"] == "90.9%"
    assert rows[3]["mtta_median"] == "-"


def test_summary_csv_durations_are_whole_seconds() -> None:
    text = io.StringIO()
    rounded_summary(summary()).to_csv(text, index=False)
    read = pd.read_csv(io.StringIO(text.getvalue()))
    assert read["mtta_median_s"].tolist()[:3] == [306, 306, 60]  # half to even, like round()
    assert read["mttr_p90_s"].tolist()[0] == 27512
    assert read["ack_rate"].tolist()[0] == 0.9088
    assert "27511.6" not in text.getvalue()


def test_chart_is_written_with_partial_weeks(tmp_path: Path) -> None:
    if not CHART_AVAILABLE:
        return
    chart = write_chart(
        summary(), tmp_path / "chart.png", (at("2026-10-28T09:00"), at("2026-11-04T09:00"))
    )
    assert chart.read_bytes()[:4] == b"\x89PNG"


def test_id_columns_with_gaps_stay_nullable_integers() -> None:
    csv = "incident_id,team_id,creator_id,title\n6adf0892,3001,,a\n6adf0893,,101,b\n"
    frame = _with_nullable_ids(pd.read_csv(io.StringIO(csv)))
    assert frame["team_id"].dtype == "Int64" and frame["creator_id"].dtype == "Int64"
    assert frame["creator_id"].tolist() == [pd.NA, 101]
    assert frame["incident_id"].dtype != "Int64"  # text ids stay text


def test_csv_times_carry_the_offset_of_their_own_date() -> None:
    # New York changes offset during the year; None stays empty.
    zone = ZoneInfo("America/New_York")
    stamps = [1_700_000_000, None, 1_690_000_000]
    column = pa.array(
        [None if s is None else s * 1000 for s in stamps], pa.timestamp("ms", tz=str(zone))
    )
    expected = [
        None if s is None else datetime.fromtimestamp(s, zone).isoformat(sep=" ") for s in stamps
    ]
    assert local_iso_with_offset(column).to_pylist() == expected
    assert expected[0].endswith("-05:00") and expected[2].endswith("-04:00")
