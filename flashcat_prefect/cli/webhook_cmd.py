"""``flashcat-prefect webhook``: run the Flashduty-to-Prefect webhook bridge.

``serve`` listens for Flashduty incident, alert and custom-action webhooks and routes them
to Prefect deployments or events; ``check`` validates a route file and lists its routes.
The shared secret comes only from the environment (``FLASHCAT_WEBHOOK_SECRET``), never from
the command line, so it does not show in process listings.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from flashcat_prefect.bridge import (
    Dispatcher,
    RouteConfigError,
    RouteTable,
    WebhookBridge,
    load_routes,
)
from flashcat_prefect.bridge.dispatch import DRAIN_SECONDS, RETRY_BASE_SECONDS, RETRY_CAP_SECONDS
from flashcat_prefect.bridge.journal import ENV_JOURNAL
from flashcat_prefect.bridge.routing import Route
from flashcat_prefect.bridge.server import serve as serve_bridge
from flashcat_prefect.cli._common import CliError, cli_command, existing_file

ENV_WEBHOOK_SECRET = "FLASHCAT_WEBHOOK_SECRET"

RoutesOption = Annotated[
    Path,
    typer.Option(
        "--routes", help="Route file (YAML), see examples/bridge-routes.yaml.", show_default=False
    ),
]


def _load_routes(path: Path) -> RouteTable:
    """The validated route table; a bad file is a usage error naming --routes."""
    try:
        return load_routes(existing_file(path, "--routes"))
    except RouteConfigError as exc:
        raise CliError(f"--routes: {exc}") from None


def _describe_match(route: Route) -> str:
    """The route's conditions as ``key=value`` pairs, or "every webhook" when it has none."""
    match = route.match.model_dump(exclude_defaults=True)
    return ", ".join(f"{key}={value}" for key, value in match.items()) or "every webhook"


def _describe_action(route: Route) -> str:
    if route.deployment is not None:
        return f"run deployment {route.deployment.name}"
    assert route.event is not None  # a route has exactly one action
    return f"emit event {route.event.name}"


def register(app: typer.Typer) -> None:
    """Attach the ``webhook`` command group."""
    group = typer.Typer(
        name="webhook",
        help="Receive Flashduty webhooks and start Prefect deployments or emit events.",
        no_args_is_help=True,
    )

    @group.command("check")
    @cli_command
    def check(routes: RoutesOption) -> None:
        """Validate a route file and list what each route does."""
        table = _load_routes(routes)
        for route in table.routes:
            typer.echo(f"{route.name}: {_describe_match(route)} -> {_describe_action(route)}")
        typer.echo(f"{len(table.routes)} route(s) OK")

    @group.command("serve")
    @cli_command
    def serve(
        routes: RoutesOption,
        host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8788,
        secret_header: Annotated[
            str, typer.Option(help=f"Header that must carry ${ENV_WEBHOOK_SECRET} when it is set.")
        ] = "X-Flashcat-Secret",
        max_concurrency: Annotated[
            int, typer.Option(help="Simultaneous Prefect calls.", min=1, max=64)
        ] = 4,
        journal: Annotated[
            Path | None,
            typer.Option(
                envvar=ENV_JOURNAL,
                show_default=False,
                help="SQLite file holding accepted webhooks until Prefect has their runs "
                "[default: $PREFECT_HOME/flashcat-bridge/journal.sqlite3].",
            ),
        ] = None,
        drain_seconds: Annotated[
            float,
            typer.Option(
                envvar="FLASHCAT_BRIDGE_DRAIN_SECONDS",
                min=0,
                max=3600,
                help="On stop, keep working this long; the rest waits in the journal.",
            ),
        ] = DRAIN_SECONDS,
        retry_cap_seconds: Annotated[
            float,
            typer.Option(
                envvar="FLASHCAT_BRIDGE_RETRY_CAP_SECONDS",
                min=RETRY_BASE_SECONDS,
                max=3600,
                help="Longest wait between two attempts while Prefect fails.",
            ),
        ] = RETRY_CAP_SECONDS,
    ) -> None:
        """Serve the bridge until interrupted (Prefect API from the usual Prefect settings)."""
        table = _load_routes(routes)
        secret = os.environ.get(ENV_WEBHOOK_SECRET) or None
        bridge = WebhookBridge(
            table,
            secret=secret,
            secret_header=secret_header,
            journal=journal,
            dispatcher=Dispatcher(
                max_concurrency=max_concurrency,
                drain_seconds=drain_seconds,
                retry_cap_seconds=retry_cap_seconds,
            ),
        )
        check_state = f"on ({secret_header})" if secret else f"off (set {ENV_WEBHOOK_SECRET})"
        typer.echo(f"{len(table.routes)} route(s); secret check {check_state}")
        typer.echo(f"journal {bridge.journal.path} ({bridge.dispatcher.pending} pending to replay)")
        typer.echo(f"listening on http://{host}:{port}/webhook")
        try:
            # The app's lifespan replays the journal on start and drains it on SIGTERM/SIGINT.
            serve_bridge(bridge.app, host=host, port=port)
        finally:
            bridge.close()

    app.add_typer(group)
