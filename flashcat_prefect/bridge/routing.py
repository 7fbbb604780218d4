"""Routing rules: which Flashduty webhooks start which Prefect deployment or event.

A route file (YAML or JSON) holds a list of routes. Each route has a ``match`` block (every
condition given must hold; an empty list or a missing key matches anything) and exactly one
action: ``deployment`` (create a flow run of a deployment, parameters filled from the payload
with ``{{path}}`` placeholders) or ``event`` (emit a Prefect event). Every matching route fires;
see ``examples/bridge-routes.yaml``.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from flashcat_prefect.bridge.templates import check_template

Severity = Literal["Critical", "Warning", "Info"]
Status = Literal["Critical", "Warning", "Info", "Ok"]
Kind = Literal["incident", "alert"]


class RouteConfigError(ValueError):
    """The route file is not valid; the message names the field and the rule."""


def kind_of(event_type: str) -> Kind | None:
    """``incident`` for ``i_*`` event types, ``alert`` for ``a_*``, else None."""
    if event_type.startswith("i_"):
        return "incident"
    if event_type.startswith("a_"):
        return "alert"
    return None


@dataclass(frozen=True)
class WebhookFacts:
    """What routes can match on, read from one validated webhook body."""

    kind: Kind
    event_type: str
    event_id: str
    subject_id: str
    title: str = ""
    channel_id: int | None = None
    channel_name: str = ""
    severity: str = ""
    status: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, body: Mapping[str, Any]) -> WebhookFacts:
        """Read the facts of an incident, custom-action or alert webhook body."""
        event_type = str(body.get("event_type", ""))
        kind: Kind = kind_of(event_type) or (
            "alert" if isinstance(body.get("alert"), Mapping) else "incident"
        )
        subject = body.get(kind) or {}
        return cls(
            kind=kind,
            event_type=event_type,
            # Custom-action samples carry event_id inside the incident; accept both places.
            event_id=_text(body.get("event_id") or subject.get("event_id")),
            subject_id=_text(subject.get(f"{kind}_id")),
            title=str(subject.get("title") or ""),
            channel_id=subject.get("channel_id"),
            channel_name=str(subject.get("channel_name") or ""),
            severity=str(subject.get(f"{kind}_severity") or ""),
            status=str(subject.get(f"{kind}_status") or ""),
            labels={str(k): str(v) for k, v in (subject.get("labels") or {}).items()},
        )


def _text(value: Any) -> str:
    """A webhook field as text; a missing or null field is empty (not the text "None")."""
    return "" if value is None else str(value)


def _is_regex(value: str) -> bool:
    return len(value) >= 2 and value.startswith("/") and value.endswith("/")


def _value_matches(wanted: str, actual: str) -> bool:
    if _is_regex(wanted):
        return re.search(wanted[1:-1], actual) is not None
    return wanted == actual


class RouteMatch(BaseModel):
    """Conditions on a webhook; all given conditions must hold."""

    model_config = ConfigDict(extra="forbid")

    event_types: list[str] = Field(
        default_factory=list,
        description="Event types or shell patterns, e.g. i_new, i_custom, a_*.",
    )
    kinds: list[Kind] = Field(default_factory=list, description="incident and/or alert.")
    channel_ids: list[int] = Field(default_factory=list)
    channel_names: list[str] = Field(default_factory=list)
    severities: list[Severity] = Field(default_factory=list)
    statuses: list[Status] = Field(default_factory=list)
    labels: dict[str, str | list[str]] = Field(
        default_factory=dict,
        description="Label key to one value or a list of accepted values; /regex/ values search.",
    )

    @field_validator("labels")
    @classmethod
    def _regexes_compile(cls, labels: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
        for key, wanted in labels.items():
            for value in [wanted] if isinstance(wanted, str) else wanted:
                if _is_regex(value):
                    try:
                        re.compile(value[1:-1])
                    except re.error as exc:
                        raise ValueError(
                            f"label {key!r}: bad regular expression {value}: {exc}"
                        ) from None
        return labels

    def accepts(self, facts: WebhookFacts) -> bool:
        """True when every given condition holds for ``facts``."""
        checks = (
            not self.event_types
            or any(fnmatch.fnmatchcase(facts.event_type, pattern) for pattern in self.event_types),
            not self.kinds or facts.kind in self.kinds,
            not self.channel_ids or facts.channel_id in self.channel_ids,
            not self.channel_names or facts.channel_name in self.channel_names,
            not self.severities or facts.severity in self.severities,
            not self.statuses or facts.status in self.statuses,
            all(self._label_matches(key, wanted, facts) for key, wanted in self.labels.items()),
        )
        return all(checks)

    @staticmethod
    def _label_matches(key: str, wanted: str | list[str], facts: WebhookFacts) -> bool:
        actual = facts.labels.get(key)
        if actual is None:
            return False
        options = [wanted] if isinstance(wanted, str) else wanted
        return any(_value_matches(option, actual) for option in options)


class DeploymentAction(BaseModel):
    """Create a flow run of a deployment (it runs wherever the deployment is served)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, description="'flow-name/deployment-name' or a deployment id.")
    parameters: dict[str, Any] = Field(
        default_factory=dict, description="Flow parameters; {{path}} placeholders read the payload."
    )
    tags: list[str] = Field(default_factory=list)
    flow_run_name: str | None = None
    job_variables: dict[str, Any] = Field(default_factory=dict)


class EventAction(BaseModel):
    """Emit a Prefect event (for automations) about the incident or alert."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="flashduty.{{event_type}}", min_length=1)
    resource: dict[str, str] = Field(
        default_factory=dict,
        description="Extra resource labels; 'prefect.resource.id' defaults to flashduty.<kind>.<id>.",
    )
    payload: dict[str, Any] | None = Field(
        default=None, description="Event payload; by default the whole webhook body."
    )


class Route(BaseModel):
    """One rule: a match block and exactly one action."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=100)
    match: RouteMatch = Field(default_factory=RouteMatch)
    deployment: DeploymentAction | None = None
    event: EventAction | None = None

    @model_validator(mode="after")
    def _one_action(self) -> Route:
        if (self.deployment is None) == (self.event is None):
            raise ValueError("a route needs exactly one action: 'deployment' or 'event'")
        action = self.deployment or self.event
        check_template(action.model_dump(), where=f"route {self.name!r}")
        return self


class RouteTable(BaseModel):
    """All routes of a bridge."""

    model_config = ConfigDict(extra="forbid")

    routes: list[Route] = Field(default_factory=list)

    @field_validator("routes")
    @classmethod
    def _unique_names(cls, routes: list[Route]) -> list[Route]:
        seen: set[str] = set()
        for route in routes:
            if route.name in seen:
                raise ValueError(f"route name {route.name!r} is used twice; names must be unique")
            seen.add(route.name)
        return routes

    def matching(self, facts: WebhookFacts) -> list[Route]:
        """The routes that fire for ``facts``, in file order."""
        return [route for route in self.routes if route.match.accepts(facts)]


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        lines.append(f"{where}: {item['msg']}")
    return "; ".join(lines)


def parse_routes(data: Mapping[str, Any] | list[Any] | None) -> RouteTable:
    """Validate already-loaded route data (a mapping with ``routes`` or a bare list)."""
    if data is None:
        data = {}
    if isinstance(data, list):
        data = {"routes": data}
    try:
        return RouteTable.model_validate(data)
    except ValidationError as exc:
        raise RouteConfigError(f"invalid routes: {_describe(exc)}") from None


def load_routes(path: str | Path) -> RouteTable:
    """Read and validate a YAML (or JSON) route file."""
    source = Path(path)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RouteConfigError(f"cannot read route file {source}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise RouteConfigError(f"route file {source} is not valid YAML: {exc}") from None
    if not isinstance(data, Mapping | list | None):
        raise RouteConfigError(f"route file {source}: expected a mapping with 'routes' or a list")
    return parse_routes(data)
