"""Heavy exports on Dask: one incident export per team, spread over a Dask cluster.

Needs the ``dask`` extra (``pip install 'flashcat-prefect[dask]'``, which brings
``prefect-dask``). Each team's export is a Prefect task that runs
``export_incident_metrics`` (as a subflow, with its own bounded thread pool for the fetch
windows) inside a Dask worker process, into ``<output_dir>/team-<id>/``. The default task
runner starts a local cluster; point it at an existing one with::

    from prefect_dask import DaskTaskRunner
    export_teams_on_dask.with_options(
        task_runner=DaskTaskRunner(address="tcp://scheduler:8786")
    )(credentials="flashcat", team_ids=[3001, 3002], days=90)

Every worker process paces its own calls: keep the number of workers times the client's
budget under the account's rate limit (see docs/scaling.md).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect_dask import DaskTaskRunner

from flashcat_prefect.credentials import FlashcatCredentials  # runtime: flow parameter type


@task(name="export-team-incidents", cache_policy=NO_CACHE, tags=["flashcat", "metrics"])
def export_team(
    credentials: FlashcatCredentials | str,
    team_id: int,
    start: datetime,
    end: datetime,
    output_dir: str,
    time_zone: str,
) -> dict[str, Any]:
    """Export one team's incidents; returns its range, count, files and the worker's pid."""
    # Imported here, in the worker: a flow object shipped from the client process would
    # arrive without the module globals its parameter annotations need.
    from flashcat_prefect.flows.metrics import export_incident_metrics

    report = export_incident_metrics(
        credentials,
        start,
        end,
        team_ids=[team_id],
        output_dir=str(Path(output_dir) / f"team-{team_id}"),
        formats=["parquet"],
        time_zone=time_zone,
    )
    return {
        "team_id": team_id,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "incident_count": report.incident_count,
        "files": report.files,
        "worker_pid": os.getpid(),
    }


@flow(
    name="export-teams-on-dask",
    description="Export incidents team by team, in parallel on a Dask cluster.",
    task_runner=DaskTaskRunner(cluster_kwargs={"dashboard_address": None}),
)
def export_teams_on_dask(
    credentials: FlashcatCredentials | str = "flashcat",
    team_ids: list[int] | None = None,
    days: int = 90,
    output_dir: str = "flashcat-export",
    time_zone: str = "Asia/Shanghai",
) -> list[dict[str, Any]]:
    """Export the last ``days`` days of incidents of each team in ``team_ids``."""
    if not team_ids:
        raise ValueError("team_ids: give at least one team id")
    if days < 1:
        raise ValueError(f"days: must be at least 1, got {days}")
    end = datetime.now(UTC).replace(microsecond=0)
    start = end - timedelta(days=days)
    futures = [
        export_team.submit(credentials, team_id, start, end, output_dir, time_zone)
        for team_id in team_ids
    ]
    return [future.result() for future in futures]
