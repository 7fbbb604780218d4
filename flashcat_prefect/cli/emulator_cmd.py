"""``flashcat-prefect emulator``: serve the local Flashduty emulator until interrupted."""

from __future__ import annotations

import typer
import uvicorn

from flashcat_prefect.cli._common import CliError, cli_command


def register(app: typer.Typer) -> None:
    """Attach the ``emulator`` command to the main app."""
    app.command("emulator")(emulator)


@cli_command
def emulator(
    port: int = typer.Option(8787, help="Port to listen on (0 picks a free one)."),
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    seed: str = typer.Option("demo", help="Seed data: demo or empty."),
    app_key: str | None = typer.Option(
        None, "--app-key", help="APP key to accept (random when not given)."
    ),
    rate_limits: bool = typer.Option(
        True, "--rate-limits/--no-rate-limits", help="Enforce Flashduty's rate limits."
    ),
    incidents: int | None = typer.Option(
        None, help="Number of seeded incidents (demo: about 10,000)."
    ),
    seed_number: int = typer.Option(0, help="Seed number for the generated data."),
) -> None:
    """Serve a stateful local Flashduty; prints its URL and APP key."""
    # deferred: importing the emulator costs ~0.4 s that every other command would pay
    from flashcat_prefect.emulator import create_app
    from flashcat_prefect.emulator.runner import bind_socket, server_config

    if app_key is not None and not app_key.strip():
        raise CliError("--app-key: must not be empty (leave it out for a random key)")
    if not 0 <= port <= 65535:
        raise CliError(f"--port: must be between 0 and 65535, not {port}")
    try:
        application = create_app(
            app_key=app_key,
            seed=seed,
            seed_number=seed_number,
            incidents=incidents,
            rate_limits=rate_limits,
        )
    except ValueError as exc:  # the message names the setting and its rule
        raise CliError(str(exc)) from None
    sock = bind_socket(host, port)
    url = f"http://{host}:{sock.getsockname()[1]}"
    key = next(iter(application.app_keys))
    typer.echo(f"Flashduty emulator serving at {url}")
    typer.echo(f"APP key: {key}")
    if application.state.integrations:
        integration = application.state.integration_for_channel(None)
        typer.echo(f"Integration key (channel {integration.channel_id}): {integration.key}")
    typer.echo(
        f"Rate limits: {'on' if rate_limits else 'off'}; press Ctrl+C to stop.",
    )
    uvicorn.Server(server_config(application)).run(sockets=[sock])
