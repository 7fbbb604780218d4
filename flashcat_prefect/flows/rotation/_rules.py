"""Channel rules as the rotation and calendar-profile flows see them (pure, no HTTP).

Rules are handled as the plain JSON dicts the API returns, so that every field we do not
touch is written back exactly as it was read. This module knows:

- the four rule kinds that can be switched on and off and their API paths;
- how a plan addresses a rule (``channel_id`` plus ``rule_id`` and/or ``rule_name``);
- how to set the recipients of escalation layers and describe the difference;
- how to turn an escalation rule as read into the body ``/channel/escalate/rule/update``
  accepts (:func:`escalation_update_body`).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from flashcat_prefect.api import get_endpoint
from flashcat_prefect.client.errors import FlashcatError, FlashcatValidationError
from flashcat_prefect.flows.time_zones import resolve_time_zone

if TYPE_CHECKING:
    from flashcat_prefect.client import FlashcatClient

OBJECT_ID_PATTERN = r"^[0-9a-fA-F]{24}$"

TargetKind = Literal["person_ids", "team_ids", "schedule_to_role_ids"]
"""Recipient lists of an escalation layer's ``target`` that plans may set."""

TARGET_KINDS: tuple[str, ...] = get_args(TargetKind)


class RuleKind(StrEnum):
    """Channel rule kinds that can be enabled and disabled through the API."""

    ESCALATE = "escalate"
    SILENCE = "silence"
    INHIBIT = "inhibit"
    DROP = "drop"

    @property
    def api_prefix(self) -> str:
        """Path prefix of this kind's endpoints (drop rules are ``unsubscribe`` in the API)."""
        segment = "unsubscribe" if self is RuleKind.DROP else self.value
        return f"/channel/{segment}/rule"

    def resource(self, client: FlashcatClient) -> Any:
        """The typed client area for this kind (``client.escalation_rules`` and so on)."""
        return getattr(client, _RESOURCE_OF_KIND[self])

    @property
    def label(self) -> str:
        return "escalation" if self is RuleKind.ESCALATE else self.value

    @classmethod
    def _missing_(cls, value: object) -> RuleKind | None:
        aliases = {"escalation": cls.ESCALATE, "unsubscribe": cls.DROP}
        return aliases.get(str(value).lower()) if isinstance(value, str) else None


_RESOURCE_OF_KIND = {
    RuleKind.ESCALATE: "escalation_rules",
    RuleKind.SILENCE: "silence_rules",
    RuleKind.INHIBIT: "inhibit_rules",
    RuleKind.DROP: "drop_rules",
}


class RuleAddress(BaseModel):
    """Where a rule lives and how to find it: by id, by name, or both (then both must match)."""

    model_config = ConfigDict(extra="forbid")

    channel_id: int = Field(gt=0, description="Channel (collaboration space) id.")
    rule_id: str | None = Field(
        default=None, pattern=OBJECT_ID_PATTERN, description="24-hex rule id."
    )
    rule_name: str | None = Field(default=None, min_length=1, description="Exact rule name.")

    @model_validator(mode="after")
    def _needs_id_or_name(self) -> RuleAddress:
        if self.rule_id is None and self.rule_name is None:
            raise ValueError(
                f"rule on channel {self.channel_id}: give rule_id or rule_name (or both)"
            )
        return self

    def describe(self) -> str:
        name = f'"{self.rule_name}"' if self.rule_name else self.rule_id
        return f"channel {self.channel_id} rule {name}"


class RuleNotFoundError(LookupError):
    """A plan names a rule that the channel does not have (or names it ambiguously)."""


class PlanCheckError(FlashcatError, ValueError):
    """The plan does not fit the live account; raised before anything is written."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        listing = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"the plan does not fit the account, nothing was written:\n{listing}")


def find_rule(rules: Sequence[Mapping[str, Any]], address: RuleAddress) -> dict[str, Any]:
    """The one rule of ``rules`` (one channel's list) that ``address`` points at."""
    matches = [
        rule
        for rule in rules
        if (
            address.rule_id is None
            or str(rule.get("rule_id", "")).lower() == address.rule_id.lower()
        )
        and (address.rule_name is None or rule.get("rule_name") == address.rule_name)
    ]
    if not matches:
        known = ", ".join(f'"{r.get("rule_name")}" ({r.get("rule_id")})' for r in rules) or "none"
        raise RuleNotFoundError(f"{address.describe()} not found; the channel has: {known}")
    if len(matches) > 1:
        ids = ", ".join(str(r.get("rule_id")) for r in matches)
        raise RuleNotFoundError(
            f"{address.describe()} is ambiguous ({len(matches)} rules: {ids}); give rule_id"
        )
    return dict(matches[0])


# --- escalation layers -------------------------------------------------------------------


def _is_empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def set_layer_targets(
    layers: Sequence[Mapping[str, Any]], targets: Mapping[int, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Copy of ``layers`` with recipients set; ``targets`` maps layer number (from 1) to kinds.

    Only the given target kinds change; everything else in a layer is kept as read. Setting
    an empty list on a kind the layer does not have leaves it absent, so that a rule whose
    recipients already match reads back as unchanged.
    """
    new_layers = copy.deepcopy([dict(layer) for layer in layers])
    for number, kinds in targets.items():
        if not 1 <= number <= len(new_layers):
            raise ValueError(
                f"layer {number} does not exist: the rule has {len(new_layers)} layer(s)"
            )
        target = dict(new_layers[number - 1].get("target") or {})
        for kind, value in kinds.items():
            if kind not in TARGET_KINDS:
                raise ValueError(f"target kind {kind!r} is not one of {', '.join(TARGET_KINDS)}")
            if _is_empty(value) and _is_empty(target.get(kind)):
                continue
            target[kind] = copy.deepcopy(value)
        new_layers[number - 1]["target"] = target
    return new_layers


def layer_recipients(layer: Mapping[str, Any]) -> dict[str, Any]:
    """The non-empty recipient lists of one layer, by target kind."""
    target = layer.get("target") or {}
    return {kind: target[kind] for kind in TARGET_KINDS if not _is_empty(target.get(kind))}


def format_recipients(recipients: Mapping[str, Any], names: Mapping[int, str] | None = None) -> str:
    """Readable recipients, e.g. ``persons 101 (Ann), 102; teams 7``; ``nobody`` if empty."""
    names = names or {}
    parts = []
    for kind, label in (("person_ids", "persons"), ("team_ids", "teams")):
        ids = recipients.get(kind) or []
        if ids:
            shown = ", ".join(
                f"{i} ({names[i]})" if i in names and kind == "person_ids" else str(i) for i in ids
            )
            parts.append(f"{label} {shown}")
    schedules = recipients.get("schedule_to_role_ids") or {}
    if schedules:
        shown = ", ".join(
            f"{sid} roles {','.join(map(str, roles))}" if roles else f"{sid} all roles"
            for sid, roles in sorted(schedules.items())
        )
        parts.append(f"schedules {shown}")
    return "; ".join(parts) or "nobody"


def diff_layers(
    before: Sequence[Mapping[str, Any]],
    after: Sequence[Mapping[str, Any]],
    names: Mapping[int, str] | None = None,
) -> list[str]:
    """One line per layer whose recipients differ: ``layer 1: persons 101 -> persons 102``."""
    lines = []
    for number, (old, new) in enumerate(zip(before, after, strict=True), start=1):
        old_recipients, new_recipients = layer_recipients(old), layer_recipients(new)
        if old_recipients != new_recipients:
            lines.append(
                f"layer {number}: {format_recipients(old_recipients, names)}"
                f" -> {format_recipients(new_recipients, names)}"
            )
    return lines


# --- update bodies -----------------------------------------------------------------------


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation such as ``list[Layer] | None``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def keep_model_fields(data: Any, model: type[BaseModel]) -> Any:
    """``data`` reduced to the fields ``model`` declares, recursively through nested models.

    Lists (also lists of lists) of nested models are walked item by item; values of fields
    without a nested model are kept as they are. Field aliases are honoured.
    """
    if isinstance(data, list):
        return [keep_model_fields(item, model) for item in data]
    if not isinstance(data, Mapping):
        return data
    kept: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in data:
            continue
        nested = _model_in(info.annotation)
        value = data[key]
        kept[key] = (
            keep_model_fields(value, nested) if nested is not None and value is not None else value
        )
    return kept


ESCALATION_UPDATE_PATH = "/channel/escalate/rule/update"  # round-trip: whole rule, as read


def escalation_update_model() -> type[BaseModel]:
    """The request model of ``/channel/escalate/rule/update`` from the endpoint catalog."""
    return get_endpoint(ESCALATION_UPDATE_PATH).request_model


def escalation_update_body(
    rule: Mapping[str, Any], layers: Sequence[Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """The update body that writes ``rule`` back as read, with ``layers`` if given.

    Fields the update does not accept (status, timestamps, account id, ...) are dropped;
    the result is validated against the strict request model, so a body the API would
    reject fails here, before any write.
    """
    model = escalation_update_model()
    source = dict(rule)
    if layers is not None:
        source["layers"] = [dict(layer) for layer in layers]
    body = keep_model_fields(source, model)
    model.model_validate(body)
    return body


# --- plan files ----------------------------------------------------------------------------


MAX_PLAN_BYTES = 1024 * 1024
"""Largest plan file read (1 MiB); a plan is a few kilobytes, so this is checked before
parsing, which would otherwise take minutes and gigabytes on a huge file."""


def plan_file_error(path: Path, rule: str, line: int | None = None) -> FlashcatValidationError:
    """The error for a plan file that cannot be used: it names the file (and the line)."""
    where = f"{path}:{line}" if line else str(path)
    return FlashcatValidationError(f"plan file {where}: {rule}", [(str(path), rule)])


class _UniqueKeyLoader(yaml.SafeLoader):
    """The safe YAML loader, refusing a key given twice in one mapping."""


def _mapping_without_duplicates(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {str(key)[:80]!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def _json_object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"duplicate key {duplicates[0][:80]!r}")
    return dict(pairs)


def load_plan_data(path: str | Path) -> Any:
    """Parse a plan file: JSON for ``.json``, YAML for anything else.

    Refused with a :class:`FlashcatValidationError` naming the file and, where known, the
    line: files over :data:`MAX_PLAN_BYTES` (before reading them), bytes that are not UTF-8
    text, syntax errors, tags such as ``!!python/object`` and keys given twice.
    """
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_PLAN_BYTES:
        raise plan_file_error(path, f"{size} bytes is over the limit of {MAX_PLAN_BYTES} bytes")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise plan_file_error(path, "not UTF-8 text (binary bytes)", line) from None
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text, object_pairs_hook=_json_object_without_duplicates)
        except json.JSONDecodeError as exc:
            raise plan_file_error(path, f"invalid JSON: {exc.msg}", exc.lineno) from None
        except ValueError as exc:
            raise plan_file_error(path, f"invalid JSON: {exc}") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader: no python tags
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())[:200]
        raise plan_file_error(
            path, f"invalid YAML: {problem}", mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as exc:
        raise plan_file_error(path, f"invalid YAML: {type(exc).__name__}") from None


def check_time_zone(name: str) -> str:
    """``name`` if it is an IANA time zone, else a clear error naming ``time_zone``."""
    resolve_time_zone(name)
    return name


class PlanFile(BaseModel):
    """What the rotation and calendar-profile plans share: no unknown fields, an IANA
    ``time_zone``, and :meth:`from_file`."""

    model_config = ConfigDict(extra="forbid")

    time_zone: str = Field(default="UTC", description="IANA zone of the plan's times.")

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_time_zone(value)

    @classmethod
    def from_file(cls, path: str | Path) -> Self:
        """Read a plan from a YAML or JSON file."""
        return cls.model_validate(load_plan_data(path))
