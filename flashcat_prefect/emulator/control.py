"""Control routes of a served emulator, under ``/_emulator/`` (they need the app key too).

``GET  /_emulator/info``             seed, clock, resource counts
``POST /_emulator/reset``            ``{seed?, seed_number?, incidents?, now?}``; also clears
                                     faults, the request log and rate-limit windows
``GET  /_emulator/requests``         the request log: ``{counts, total, entries}``
``POST /_emulator/requests/clear``   forget the request log
``GET  /_emulator/faults``           the faults in force
``POST /_emulator/faults/add``       ``{kind, path?, probability?, times?, seconds?, status?,
                                     code?, message?, retry_after?, after_handler?}``
``POST /_emulator/faults/sequence``  ``{path, steps: [fault fields | kind | null, ...]}``
``POST /_emulator/faults/clear``     remove every fault
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flashcat_prefect.emulator.errors import ApiError

if TYPE_CHECKING:
    from flashcat_prefect.emulator.app import EmulatorApp


def control_answer(app: EmulatorApp, route: str, method: str, body: dict[str, Any]) -> Any:
    """Run one control route; ``route`` is the path after ``/_emulator/``."""
    state = app.state
    if route == "info":
        return {
            "seed": state.seed,
            "seed_number": state.seed_number,
            "now": state.now,
            "clock": state.clock(),
            "counts": state.resource_counts(),
            "rate_limits": app.rate_limits,
        }
    if route == "reset" and method == "POST":
        reset_app(
            app, **{k: body[k] for k in ("seed", "seed_number", "incidents", "now") if k in body}
        )
        return {"seed": state.seed, "counts": state.resource_counts()}
    if route == "requests":
        return app.request_log.to_dict()
    if route == "requests/clear" and method == "POST":
        app.request_log.clear()
        return None
    if route == "faults":
        return app.faults.describe()
    if route == "faults/add" and method == "POST":
        return app.faults.add(**body).to_dict()
    if route == "faults/sequence" and method == "POST":
        if not isinstance(body.get("path"), str) or not body["path"]:
            raise ValueError("path: required, the API path whose next answers the steps script")
        app.faults.sequence(body["path"], body.get("steps") or [])
        return app.faults.describe()
    if route == "faults/clear" and method == "POST":
        app.faults.clear()
        return None
    raise ApiError("RouteNotFound", f"control route {method} /_emulator/{route} does not exist")


def reset_app(app: EmulatorApp, **seed_options: Any) -> None:
    """Back to a fresh seed: state, faults, request log and rate-limit windows."""
    app.state.reset(**seed_options)
    app.faults.clear()
    app.request_log.clear()
    app.limiter.reset()
