"""Flow state hooks that page on failure and resolve on recovery through the Flashduty Event API.

Usage:

    from prefect import flow
    from flashcat_prefect.hooks import alert_on_failure, resolve_on_recovery

    @flow(
        on_failure=[alert_on_failure("etl-alerts", severity="Critical")],
        on_crashed=[alert_on_failure("etl-alerts", severity="Critical")],
        on_completion=[resolve_on_recovery("etl-alerts")],
    )
    def nightly_etl(): ...

Every text they send is first cleaned of keys (``app_key=...``, ``integration_key=...`` and
any key a client of this process uses). Both hooks push with the same ``alert_key`` (by default one per deployment, or per flow when
the run has no deployment), so repeated failures merge into one Flashduty alert and incident,
and the next successful run closes it. The hooks never raise into the flow they watch: a
failed push is logged as a warning and the flow's own state is untouched.

Title, description and alert key templates may use ``{flow_name}``, ``{flow_run_name}``,
``{flow_run_id}``, ``{deployment_name}``, ``{state_name}``, ``{state_message}`` and
``{run_url}``.
"""

from __future__ import annotations

import hashlib
import logging
import string
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from prefect.client.orchestration import get_client
from prefect.logging import get_run_logger
from prefect.utilities.urls import url_for

from flashcat_prefect.client.redaction import redact, redact_all
from flashcat_prefect.credentials import (
    ALERT_DESCRIPTION_MAX,
    ALERT_TITLE_MAX,
    FlashcatIntegration,
)

if TYPE_CHECKING:
    from prefect import Flow
    from prefect.client.schemas.objects import FlowRun, State

logger = logging.getLogger("flashcat_prefect.hooks")

Severity = Literal["Critical", "Warning", "Info"]
FlowStateHook = Callable[["Flow[Any, Any]", "FlowRun", "State[Any]"], None]

DEFAULT_TITLE = "Prefect flow {flow_name} failed ({state_name})"
DEFAULT_DESCRIPTION = "{state_message}\n\nFlow run: {flow_run_name}\n{run_url}"
RECOVERED_TITLE = "Prefect flow {flow_name} recovered"

ALERT_KEY_MAX = 255
LABEL_KEY_MAX = 128
LABEL_VALUE_MAX = 2048
LABELS_MAX = 50
OWN_LABELS = 7
"""Labels the hooks add themselves: source, flow, deployment, flow_run, flow_run_id, run_url, state."""


@dataclass(frozen=True)
class RunFacts:
    """What a hook knows about the flow run; also the fields templates may use."""

    flow_name: str
    flow_run_name: str
    flow_run_id: str
    deployment_name: str
    state_name: str
    state_message: str
    run_url: str

    @classmethod
    def collect(cls, flow: Flow[Any, Any], flow_run: FlowRun, state: State[Any]) -> RunFacts:
        """Gather the facts; the deployment name and run URL are best effort."""
        return cls(
            flow_name=flow.name,
            flow_run_name=flow_run.name or "",
            flow_run_id=str(flow_run.id),
            deployment_name=_deployment_name(flow.name, flow_run),
            state_name=state.name or state.type.value.title(),
            state_message=state.message or "",
            run_url=_run_url(flow_run),
        )

    def scrubbed(self, *secrets: str) -> RunFacts:
        """The facts with keys masked (see :func:`scrub_event`)."""
        return RunFacts(**scrub_event(asdict(self), *secrets))

    def default_alert_key(self) -> str:
        """One key per deployment, or per flow for runs without a deployment."""
        if self.deployment_name:
            return f"prefect/deployment/{self.deployment_name}"
        return f"prefect/flow/{self.flow_name}"

    def labels(self) -> dict[str, str]:
        """Labels every pushed event carries (empty facts are left out)."""
        labels = {
            "source": "prefect",
            "flow": self.flow_name,
            "deployment": self.deployment_name,
            "flow_run": self.flow_run_name,
            "flow_run_id": self.flow_run_id,
            "run_url": self.run_url,
            "state": self.state_name,
        }
        return {key: value for key, value in labels.items() if value}


TEMPLATE_FIELDS = tuple(RunFacts.__dataclass_fields__)


def _deployment_name(flow_name: str, flow_run: FlowRun) -> str:
    if flow_run.deployment_id is None:
        return ""
    try:
        with get_client(sync_client=True) as client:
            deployment = client.read_deployment(flow_run.deployment_id)
        return f"{flow_name}/{deployment.name}"
    except Exception:  # the API may be unreachable; the id still identifies the deployment
        return str(flow_run.deployment_id)


def _run_url(flow_run: FlowRun) -> str:
    try:
        return url_for(flow_run) or ""
    except Exception:
        return ""


def check_template(template: str, *, field: str) -> None:
    """Raise ``ValueError`` naming ``field`` when ``template`` uses an unknown placeholder."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise ValueError(
            f"{field}: not a valid template ({exc}); write literal braces as {{{{ }}}}"
        ) from None
    for name in names:
        if name not in TEMPLATE_FIELDS:
            raise ValueError(
                f"{field}: unknown placeholder {{{name}}}; use one of "
                + ", ".join(f"{{{known}}}" for known in TEMPLATE_FIELDS)
            )


def _fill(template: str, facts: RunFacts, limit: int) -> str:
    return template.format(**asdict(facts))[:limit]


def _alert_key(template: str | None, facts: RunFacts) -> str:
    key = facts.default_alert_key() if template is None else template.format(**asdict(facts))
    if len(key) <= ALERT_KEY_MAX:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{key[: ALERT_KEY_MAX - 17]}#{digest}"


def _check_labels(labels: Mapping[str, str] | None) -> dict[str, str]:
    checked = dict(labels or {})
    if len(checked) > LABELS_MAX - OWN_LABELS:
        raise ValueError(
            f"labels: at most {LABELS_MAX - OWN_LABELS} labels (the hook adds up to {OWN_LABELS} of its own)"
        )
    for key, value in checked.items():
        if not isinstance(key, str) or not key or len(key) > LABEL_KEY_MAX:
            raise ValueError(
                f"labels: key {key!r} must be a string of 1 to {LABEL_KEY_MAX} characters"
            )
        if not isinstance(value, str) or len(value) > LABEL_VALUE_MAX:
            raise ValueError(
                f"labels[{key!r}]: value must be a string of at most {LABEL_VALUE_MAX} characters"
            )
    return checked


def _check_severity(severity: str) -> None:
    if severity not in get_args(Severity):
        raise ValueError(
            f"severity: must be one of {', '.join(get_args(Severity))}, got {severity!r}"
        )


def _load_integration(integration: FlashcatIntegration | str) -> FlashcatIntegration:
    if not isinstance(integration, str):
        return integration
    return FlashcatIntegration.load(integration, _sync=True)


def _secret_of(integration: Any) -> str:
    key = getattr(integration, "integration_key", None)
    return key.get_secret_value() if hasattr(key, "get_secret_value") else ""


def _warn(message: str, secret: str = "") -> None:
    """Log to the flow run (whose logger our redacting filter does not reach), key masked."""
    message = redact(message, (secret,))
    try:
        get_run_logger().warning(message)
    except Exception:
        logger.warning(message)


def scrub_event(event: Mapping[str, Any], *secrets: str) -> dict[str, Any]:
    """``event`` with keys masked in every text it carries (title, description, alert key, labels).

    A run's message can quote a URL with ``app_key=...`` or a key itself; what the hooks and
    the notification block send to Flashduty must not. ``secrets`` are masked next to the
    query-parameter form and every key a client of this process registered.
    """

    def clean(value: Any) -> Any:
        return redact_all(value, *secrets) if isinstance(value, str) else value

    scrubbed = {name: clean(value) for name, value in event.items()}
    if isinstance(event.get("labels"), Mapping):
        scrubbed["labels"] = {clean(key): clean(value) for key, value in event["labels"].items()}
    return scrubbed


def _check_integration(integration: Any) -> None:
    if not isinstance(integration, str) and not callable(getattr(integration, "push_alert", None)):
        raise TypeError(
            "integration: pass a FlashcatIntegration block or the name of a saved one, "
            f"not {type(integration).__name__}"
        )


def _make_hook(
    hook_name: str,
    integration: FlashcatIntegration | str,
    build_event: Callable[[RunFacts], dict[str, Any]],
) -> FlowStateHook:
    """A hook that pushes ``build_event(facts)`` and swallows (but logs) every error."""

    def hook(flow: Flow[Any, Any], flow_run: FlowRun, state: State[Any]) -> None:
        block: Any = None
        try:
            block = _load_integration(integration)
            secret = _secret_of(block)
            # Mask keys before the templates cut texts to length (a cut key would not match).
            event = build_event(RunFacts.collect(flow, flow_run, state).scrubbed(secret))
            block.push_alert(**scrub_event(event, secret))
        except Exception as exc:
            _warn(
                f"{hook_name}: could not push to Flashduty ({type(exc).__name__}: {exc}); "
                "the flow run's state is unchanged",
                _secret_of(block),
            )

    hook.__name__ = hook.__qualname__ = hook_name
    return hook


def _event_builder(
    *,
    event_status: str,
    title: str,
    description: str | None,
    labels: Mapping[str, str] | None,
    alert_key: str | None,
) -> Callable[[RunFacts], dict[str, Any]]:
    """Check the templates now; return the function that fills them when the hook runs."""
    check_template(title, field="title")
    if description is not None:
        check_template(description, field="description")
    if alert_key is not None:
        check_template(alert_key, field="alert_key")
    extra_labels = _check_labels(labels)

    def build_event(facts: RunFacts) -> dict[str, Any]:
        event = {
            "event_status": event_status,
            "title_rule": _fill(title, facts, ALERT_TITLE_MAX),
            "alert_key": _alert_key(alert_key, facts),
            "labels": {**facts.labels(), **extra_labels},
        }
        if description is not None:
            event["description"] = _fill(description, facts, ALERT_DESCRIPTION_MAX)
        return event

    return build_event


def alert_on_failure(
    integration: FlashcatIntegration | str,
    *,
    severity: Severity = "Critical",
    title: str = DEFAULT_TITLE,
    description: str = DEFAULT_DESCRIPTION,
    labels: Mapping[str, str] | None = None,
    alert_key: str | None = None,
) -> FlowStateHook:
    """A flow hook (for ``on_failure`` / ``on_crashed``) that pushes an alert event.

    Args:
        integration: A ``FlashcatIntegration`` block, or the name of a saved one (loaded
            when the hook runs, so the key is not baked into the flow).
        severity: Critical, Warning or Info.
        title: Alert title template (see the module docstring for placeholders).
        description: Alert description template.
        labels: Extra labels sent with the event, next to flow, deployment, flow_run_id,
            run_url and state.
        alert_key: Template of the de-duplication key; by default one per deployment
            (or per flow), so repeated failures merge into one alert.

    Returns:
        The hook; it never raises into the flow.
    """
    _check_integration(integration)
    _check_severity(severity)
    build_event = _event_builder(
        event_status=severity,
        title=title,
        description=description,
        labels=labels,
        alert_key=alert_key,
    )
    return _make_hook("alert_on_failure", integration, build_event)


def resolve_on_recovery(
    integration: FlashcatIntegration | str,
    *,
    title: str = RECOVERED_TITLE,
    labels: Mapping[str, str] | None = None,
    alert_key: str | None = None,
) -> FlowStateHook:
    """A flow hook (for ``on_completion``) that sends ``Ok`` for the failure hook's alert key.

    Flashduty closes the alert (and the incident once all its alerts recovered). An ``Ok``
    for a key with no open alert changes nothing, so the hook pushes on every success.

    Args:
        integration: The same integration (block or saved name) as ``alert_on_failure``.
        title: Title template of the recovery event.
        labels: Extra labels.
        alert_key: The same ``alert_key`` template given to ``alert_on_failure``, if any.
    """
    _check_integration(integration)
    build_event = _event_builder(
        event_status="Ok", title=title, description=None, labels=labels, alert_key=alert_key
    )
    return _make_hook("resolve_on_recovery", integration, build_event)
