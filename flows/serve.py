"""Serve every deployment of ``prefect.yaml`` from this one process with ``prefect.serve``.

No work pool or worker is needed: this process registers the deployments (with their
schedules) on the Prefect API in ``PREFECT_API_URL`` and runs their flow runs as they come due
or are triggered (``prefect deployment run 'export-recent-incident-metrics/metrics-export-daily'``).

    python flows/serve.py                        # all four deployments
    python flows/serve.py --only rotation-weekly --block my-flashcat
    python flows/serve.py --paused               # register with schedules paused

``prefect.yaml`` stays the single description of the deployments: names, entrypoints,
schedules, triggers, parameters and tags are read from it. Relative paths in the parameters (such as the
export's ``output_dir``) resolve against the directory you start this script from.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment
    from prefect.schedules import Schedule

KIT_DIR = Path(__file__).resolve().parent
PREFECT_YAML = KIT_DIR / "prefect.yaml"
SCHEDULE_KINDS = ("cron", "rrule", "interval")


def read_deployment_specs(path: Path = PREFECT_YAML) -> list[dict[str, Any]]:
    """The ``deployments`` entries of a ``prefect.yaml``."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    specs = document.get("deployments") or []
    if not specs:
        raise ValueError(f"{path}: no deployments")
    return specs


def build_schedule(spec: dict[str, Any], where: str) -> Schedule:
    """A Prefect schedule from one ``schedules`` entry (cron, rrule or interval seconds)."""
    from prefect.schedules import Cron, Interval, RRule

    kinds = [kind for kind in SCHEDULE_KINDS if kind in spec]
    if len(kinds) != 1:
        raise ValueError(f"{where}: give exactly one of {', '.join(SCHEDULE_KINDS)}")
    options = {"timezone": spec.get("timezone"), "active": spec.get("active", True)}
    if kinds[0] == "cron":
        return Cron(spec["cron"], day_or=spec.get("day_or", True), **options)
    if kinds[0] == "rrule":
        return RRule(spec["rrule"], **options)
    return Interval(float(spec["interval"]), **options)


def load_entrypoint_flow(entrypoint: str) -> Any:
    """The flow behind a module-path entrypoint or a ``file.py:flow`` one (relative to the kit)."""
    from prefect.flows import load_flow_from_entrypoint

    if ":" in entrypoint:
        file, name = entrypoint.rsplit(":", 1)
        path = Path(file)
        entrypoint = f"{path if path.is_absolute() else KIT_DIR / path}:{name}"
    return load_flow_from_entrypoint(entrypoint, use_placeholder_flow=False)


def build_triggers(name: str, specs: list[dict[str, Any]]) -> list[Any]:
    """Deployment triggers from ``triggers`` entries, read as ``prefect deploy`` reads them."""
    from prefect.events import DeploymentTriggerTypes
    from pydantic import TypeAdapter

    adapter: TypeAdapter[Any] = TypeAdapter(DeploymentTriggerTypes)
    return [
        adapter.validate_python({"name": f"{name}__automation_{number}", **spec})
        for number, spec in enumerate(specs, start=1)
    ]


def build_deployment(
    spec: dict[str, Any], *, block: str | None = None, paused: bool = False
) -> RunnerDeployment:
    """A runner deployment for one ``prefect.yaml`` entry.

    ``block`` replaces the ``credentials`` parameter (the name of a FlashcatCredentials block).
    """
    from prefect.deployments.runner import EntrypointType

    name = spec["name"]
    entrypoint = spec["entrypoint"]
    parameters = dict(spec.get("parameters") or {})
    if block is not None:
        parameters["credentials"] = block
    flow = load_entrypoint_flow(entrypoint)
    return flow.to_deployment(
        name=name,
        description=spec.get("description"),
        tags=spec.get("tags"),
        parameters=parameters,
        schedules=[
            build_schedule(entry, f"{name}.schedules[{index}]")
            for index, entry in enumerate(spec.get("schedules") or [])
        ],
        paused=paused,
        triggers=build_triggers(name, spec.get("triggers") or []),
        entrypoint_type=EntrypointType.FILE_PATH
        if ":" in entrypoint
        else EntrypointType.MODULE_PATH,
    )


def build_deployments(
    only: list[str] | None = None,
    *,
    block: str | None = None,
    paused: bool = False,
    path: Path = PREFECT_YAML,
) -> list[RunnerDeployment]:
    """Runner deployments for the entries of ``prefect.yaml`` (all, or those named in ``only``)."""
    specs = read_deployment_specs(path)
    known = [spec["name"] for spec in specs]
    unknown = sorted(set(only or []) - set(known))
    if unknown:
        raise ValueError(f"--only: unknown deployment(s) {unknown}; known: {known}")
    return [
        build_deployment(spec, block=block, paused=paused)
        for spec in specs
        if not only or spec["name"] in only
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the flashcat-prefect deployments.")
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="serve only this deployment (repeatable)"
    )
    parser.add_argument("--block", help="FlashcatCredentials block name for every deployment")
    parser.add_argument("--paused", action="store_true", help="register schedules paused")
    parser.add_argument("--limit", type=int, default=4, help="concurrent flow runs at most")
    args = parser.parse_args(argv)

    from prefect import serve

    try:
        deployments = build_deployments(args.only, block=args.block, paused=args.paused)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    serve(*deployments, limit=args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
