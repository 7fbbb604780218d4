"""What every handler shares: the request context, the registry and answer shaping.

A handler is ``fn(ctx) -> data``, registered for one or more paths with :func:`handles`.
Paths without a handler get the generic store verb for their last path segment; a read
with neither gets a plausible answer built from the response model, while a write with
neither is refused (never a fake success). Writes the emulator cannot reproduce faithfully
are registered with :func:`not_emulated` and answer 400 ``BadRequest`` saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from flashcat_prefect.api import Endpoint
from flashcat_prefect.api.annotations import wire_name
from flashcat_prefect.emulator.errors import ApiError
from flashcat_prefect.emulator.store import GENERIC_VERBS, resource_of
from flashcat_prefect.emulator.synth import sample

if TYPE_CHECKING:
    from flashcat_prefect.emulator.state import EmulatorState, Integration


@dataclass
class RequestContext:
    """One validated request: the state it acts on, its endpoint and its body."""

    state: EmulatorState
    endpoint: Endpoint
    body: dict[str, Any]
    query: dict[str, str]
    integration: Integration | None
    person_id: int

    @property
    def now(self) -> int:
        return self.state.clock()


class CsvAnswer(NamedTuple):
    """An export answer: CSV text sent as an attachment instead of the JSON envelope."""

    filename: str
    text: str


Handler = Callable[[RequestContext], Any]
HANDLERS: dict[str, Handler] = {}
NOT_EMULATED: dict[str, str] = {}
"""path -> why the emulator refuses that write instead of faking it"""
NOT_EMULATED_CODE = "BadRequest"


def handles(*paths: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of ``paths``."""

    def register(fn: Handler) -> Handler:
        for path in paths:
            HANDLERS[path] = fn
        return fn

    return register


def not_emulated(path: str, reason: str) -> None:
    """Make ``path`` answer 400 ``BadRequest`` ("... is not emulated: ``reason``")."""

    def refuse(ctx: RequestContext) -> None:
        raise refusal(ctx.endpoint.path, reason)

    NOT_EMULATED[path] = reason
    HANDLERS[path] = refuse


def refusal(path: str, reason: str) -> ApiError:
    """The answer to a write the emulator does not emulate."""
    return ApiError(NOT_EMULATED_CODE, f"{path} is not emulated: {reason}")


def answer_for(ctx: RequestContext) -> Any:
    """Run the handler of the request's path and shape its result to the response model."""
    handler = HANDLERS.get(ctx.endpoint.path)
    data = handler(ctx) if handler is not None else generic(ctx)
    return shape(ctx.endpoint, data)


def generic(ctx: RequestContext) -> Any:
    _, verb = resource_of(ctx.endpoint.path)
    if verb in GENERIC_VERBS:
        return ctx.state.store.handle(ctx.endpoint, ctx.body)
    if ctx.endpoint.writes:
        raise refusal(ctx.endpoint.path, "no handler changes state for it")
    return None


def response_keys(endpoint: Endpoint) -> list[str]:
    return [wire_name(n, i) for n, i in endpoint.response_model.model_fields.items()]


def shape(endpoint: Endpoint, data: Any) -> Any:
    """Fit a handler result to what the endpoint answers.

    Empty response models answer ``null``; ``create``/``upsert`` answer only the fields
    their model names (usually the new id and name); ``None`` from a handler means "nothing
    specific", answered with a plausible sample of the response model.
    """
    if isinstance(data, CsvAnswer):
        return data
    keys = response_keys(endpoint)
    if not keys:
        return None
    if data is None:
        return sample(endpoint.response_model, fill_optional=True)
    _, verb = resource_of(endpoint.path)
    if verb in ("create", "upsert") and isinstance(data, dict):
        return {k: data[k] for k in keys if k in data}
    return data
