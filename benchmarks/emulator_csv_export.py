"""Rows per second of the emulator's ``/insight/incident/export`` CSV.

The export is built column by column from the incident arrays. The baseline, timed in the
same run on the same rows, is the per-row way the emulator used before: assemble every
incident as a full dict, pick the export fields into a second dict, write it (it leaves the
derived columns such as ``seconds_to_ack`` empty, so it is if anything faster than the old
code was).

    python benchmarks/emulator_csv_export.py [--incidents 1000000] [--days 31]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from flashcat_prefect.emulator import create_app  # noqa: E402
from flashcat_prefect.emulator.handlers.insights import (  # noqa: E402
    DEFAULT_EXPORT_FIELDS,
    EXPORT_BATCH,
    export_csv,
    to_csv,
)
from flashcat_prefect.emulator.incident_table import IncidentTable  # noqa: E402

DAY = 86400
OFFSET = 8 * 3600
_RENAMED = {"severity": "incident_severity", "created_at": "start_time"}


def per_row_csv(table: IncidentTable, rows: Any, names: list[str]) -> str:
    """Baseline: a full incident dict per row, then a dict of the export fields."""
    teams = table.directory.channel_teams

    def items() -> Any:
        for first in range(0, len(rows), EXPORT_BATCH):
            for incident in table.dicts(rows[first : first + EXPORT_BATCH]):
                team_id = teams.get(incident["channel_id"], 0)
                picked = {name: incident.get(_RENAMED.get(name, name), "") for name in names}
                picked.update(
                    team_id=team_id, team_name=table.directory.team_names.get(team_id, "")
                )
                yield picked

    return to_csv(names, items())


def timed(label: str, build: Any, count: int) -> float:
    began = time.perf_counter()
    text = build()
    seconds = time.perf_counter() - began
    print(
        f"{label:<28} {seconds:7.2f} s  {count / seconds:10,.0f} rows/s  {len(text) / 1e6:6.1f} MB"
    )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=31)
    args = parser.parse_args()
    app = create_app(seed="demo", incidents=args.incidents, rate_limits=False)
    table = app.state.incidents
    now = app.state.now
    lo, hi = table.range_rows(now - args.days * DAY, now)
    rows = table.select({}, lo=lo, hi=hi)[::-1]
    names = list(DEFAULT_EXPORT_FIELDS)
    print(f"exporting {len(rows):,} rows ({args.days} days), default columns")
    baseline = timed("per-row dicts (baseline)", lambda: per_row_csv(table, rows, names), len(rows))
    columnar = timed(
        "columnar (the export)", lambda: export_csv(table, rows, names, OFFSET), len(rows)
    )
    print(f"speed-up {baseline / columnar:.1f}x")


if __name__ == "__main__":
    main()
