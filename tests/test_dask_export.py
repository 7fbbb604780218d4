"""Heavy exports on a local Dask cluster (the optional ``dask`` extra, ``flows/dask_export.py``).

Two teams are exported in parallel by Dask worker processes; each team's files must hold
exactly what the ordinary (thread-pool) export of that team holds for the same range.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from flashcat_prefect.emulator import FlashcatEmulator

pytest.importorskip("prefect_dask")
pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

REPO = Path(__file__).resolve().parents[1]
KIT = REPO / "flows"
TEAMS = [3001, 3002]


def incident_ids(parquet: str | Path) -> list[str]:
    return pq.read_table(parquet, columns=["incident_id"]).column("incident_id").to_pylist()


def test_team_exports_on_dask_workers_match_the_plain_export(
    emulator: FlashcatEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect_dask import DaskTaskRunner

    from flashcat_prefect.flows.metrics import export_incident_metrics

    # Dask's worker processes import the kit module by name, as the test process does.
    monkeypatch.syspath_prepend(str(KIT))
    paths = [str(KIT), str(REPO), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, paths)))
    from dask_export import export_teams_on_dask

    cluster = {
        "n_workers": 2,
        "threads_per_worker": 1,
        "processes": True,
        "dashboard_address": None,
    }
    on_dask = export_teams_on_dask.with_options(task_runner=DaskTaskRunner(cluster_kwargs=cluster))
    results = on_dask(
        emulator.credentials(), team_ids=TEAMS, days=3, output_dir=str(tmp_path / "dask")
    )

    assert [result["team_id"] for result in results] == TEAMS
    assert all(result["worker_pid"] != os.getpid() for result in results)
    exported: dict[int, list[str]] = {}
    for result in results:
        ids = incident_ids(result["files"]["parquet"])
        assert len(ids) == len(set(ids)) == result["incident_count"] > 0
        exported[result["team_id"]] = ids
    assert not set(exported[TEAMS[0]]) & set(exported[TEAMS[1]])

    for result in results:
        plain = export_incident_metrics(
            emulator.credentials(),
            datetime.fromisoformat(result["start"]),
            datetime.fromisoformat(result["end"]),
            team_ids=[result["team_id"]],
            output_dir=str(tmp_path / "plain" / str(result["team_id"])),
            formats=["parquet"],
        )
        assert sorted(exported[result["team_id"]]) == sorted(incident_ids(plain.files["parquet"]))
    assert sys.modules["dask_export"].__file__ == str(KIT / "dask_export.py")
