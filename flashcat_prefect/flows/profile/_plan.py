"""Calendar profile plans and the pure planning behind ``apply_calendar_profile``.

A plan names where days off come from (a service calendar or a country's public holidays)
and two profiles: one for days off, one for working days. A profile enables and disables
rules of any kind and may set the recipients of escalation layers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

import holidays
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from flashcat_prefect.flows.rotation._plan import ScheduleRole
from flashcat_prefect.flows.rotation._rules import (
    PlanCheckError,
    PlanFile,
    RuleAddress,
    RuleKind,
    RuleNotFoundError,
    diff_layers,
    escalation_update_body,
    find_rule,
    set_layer_targets,
)
from flashcat_prefect.flows.rotation._snapshot import (
    RuleChange,
    RuleResult,
    RuleSnapshot,
    RuleStatus,
)

ProfileName = Literal["day_off", "working_day"]


class ProfileRule(RuleAddress):
    """A rule of any kind, addressed by channel plus id and/or name."""

    kind: RuleKind = Field(
        default=RuleKind.ESCALATE, description="escalate, silence, inhibit or drop."
    )

    def describe(self) -> str:
        return f"{self.kind.label} {super().describe()}"


class LayerRecipients(BaseModel):
    """Recipients to put on one escalation layer; lists not given are left as they are."""

    model_config = ConfigDict(extra="forbid")

    person_ids: list[int] | None = None
    team_ids: list[int] | None = None
    schedule_roles: list[ScheduleRole] | None = None

    @model_validator(mode="after")
    def _something(self) -> LayerRecipients:
        if self.person_ids is None and self.team_ids is None and self.schedule_roles is None:
            raise ValueError("give person_ids, team_ids and/or schedule_roles")
        return self

    def target_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if self.person_ids is not None:
            values["person_ids"] = list(self.person_ids)
        if self.team_ids is not None:
            values["team_ids"] = list(self.team_ids)
        if self.schedule_roles is not None:
            values["schedule_to_role_ids"] = {
                str(role.schedule_id): list(role.role_ids) for role in self.schedule_roles
            }
        return values


class LayerReplacement(RuleAddress):
    """New recipients for some layers (numbered from 1) of one escalation rule."""

    layers: dict[int, LayerRecipients] = Field(min_length=1)

    @field_validator("layers")
    @classmethod
    def _from_one(cls, value: dict[int, LayerRecipients]) -> dict[int, LayerRecipients]:
        if any(number < 1 for number in value):
            raise ValueError("layers are numbered from 1")
        return value

    def describe(self) -> str:
        return f"escalation {super().describe()}"


class RuleProfile(BaseModel):
    """Rules to switch on and off, and escalation layers to set, for one kind of day."""

    model_config = ConfigDict(extra="forbid")

    enable: list[ProfileRule] = Field(default_factory=list)
    disable: list[ProfileRule] = Field(default_factory=list)
    escalation_layers: list[LayerReplacement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_both(self) -> RuleProfile:
        both = {_key(r) for r in self.enable} & {_key(r) for r in self.disable}
        if both:
            listed = ", ".join(sorted(f"{k[0]} {k[1]} {k[2] or k[3]}" for k in both))
            raise ValueError(f"rules both enabled and disabled: {listed}")
        return self

    def _recipients(self) -> list[LayerRecipients]:
        return [r for replacement in self.escalation_layers for r in replacement.layers.values()]

    def person_ids(self) -> set[int]:
        return {pid for recipients in self._recipients() for pid in recipients.person_ids or []}

    def team_ids(self) -> set[int]:
        return {tid for recipients in self._recipients() for tid in recipients.team_ids or []}

    def schedule_ids(self) -> set[int]:
        return {
            role.schedule_id
            for recipients in self._recipients()
            for role in recipients.schedule_roles or []
        }

    def rule_lists(self) -> set[tuple[RuleKind, int]]:
        """The (kind, channel) rule lists this profile needs."""
        pairs = {(rule.kind, rule.channel_id) for rule in [*self.enable, *self.disable]}
        return pairs | {(RuleKind.ESCALATE, r.channel_id) for r in self.escalation_layers}


def _key(rule: ProfileRule) -> tuple[str, int, str | None, str | None]:
    return (rule.kind.value, rule.channel_id, rule.rule_id, rule.rule_name)


class DayOffSource(BaseModel):
    """Where days off come from: a service calendar (``cal_id``) or public holidays."""

    model_config = ConfigDict(extra="forbid")

    cal_id: str | None = Field(default=None, description="Service calendar id (cal.xxx).")
    count_weekends: bool = Field(
        default=True,
        description="Calendar only: days outside the calendar's workdays are days off too.",
    )
    country: str | None = Field(default=None, description="Country code for public holidays.")
    subdivision: str | None = Field(default=None, description="State/province code, optional.")

    @model_validator(mode="after")
    def _one_source(self) -> DayOffSource:
        if (self.cal_id is None) == (self.country is None):
            raise ValueError("source: give exactly one of cal_id or country")
        if self.country is not None:
            supported = holidays.list_supported_countries()
            if self.country not in supported:
                raise ValueError(f"source.country {self.country!r} is not a supported country")
            if self.subdivision is not None and self.subdivision not in supported[self.country]:
                raise ValueError(
                    f"source.subdivision {self.subdivision!r} is not a subdivision of "
                    f"{self.country}"
                )
        return self


class CalendarProfilePlan(PlanFile):
    """Which rules to switch on days off and on working days. See :meth:`from_file`."""

    time_zone: str = Field(default="UTC", description="IANA zone that decides 'today'.")
    source: DayOffSource
    day_off: RuleProfile = Field(description="Applied when the day is a day off.")
    working_day: RuleProfile = Field(description="Applied when the day is a working day.")

    def profile(self, name: ProfileName) -> RuleProfile:
        return self.day_off if name == "day_off" else self.working_day


class ProfileRuleResult(RuleResult):
    """What one rule of the applied profile looked like and what the run did to it."""

    kind: RuleKind
    status_before: str | None = None
    status_after: str | None = None


def plan_profile(
    profile: RuleProfile,
    rule_lists: Mapping[tuple[RuleKind, int], Sequence[Mapping[str, Any]]],
    names: Mapping[int, str] | None = None,
    taken_at: datetime | None = None,
) -> tuple[list[ProfileRuleResult], list[RuleChange]]:
    """The writes that bring the live rules to ``profile``, one change per rule at most.

    Problems (unknown rules, missing layers, a rule both enabled and disabled) are
    collected and raised together as :class:`PlanCheckError`.
    """
    problems: list[str] = []
    wanted_status: dict[tuple[RuleKind, str], RuleStatus] = {}
    found: dict[tuple[RuleKind, str], dict[str, Any]] = {}

    def resolve(address: RuleAddress, kind: RuleKind) -> dict[str, Any] | None:
        try:
            rule = find_rule(rule_lists.get((kind, address.channel_id), []), address)
        except RuleNotFoundError as exc:
            problems.append(str(exc))
            return None
        return found.setdefault((kind, str(rule["rule_id"])), rule)

    for status, addresses in (("enabled", profile.enable), ("disabled", profile.disable)):
        for address in addresses:
            rule = resolve(address, address.kind)
            if rule is None:
                continue
            key = (address.kind, str(rule["rule_id"]))
            if wanted_status.setdefault(key, status) != status:  # type: ignore[arg-type]
                problems.append(f"{address.describe()} is both enabled and disabled")

    new_layers: dict[str, list[dict[str, Any]]] = {}
    for replacement in profile.escalation_layers:
        rule = resolve(replacement, RuleKind.ESCALATE)
        if rule is None:
            continue
        rule_id = str(rule["rule_id"])
        current = new_layers.get(rule_id, rule.get("layers") or [])
        targets = {n: recipients.target_values() for n, recipients in replacement.layers.items()}
        try:
            new_layers[rule_id] = set_layer_targets(current, targets)
        except ValueError as exc:
            problems.append(f"{replacement.describe()}: {exc}")
    if problems:
        raise PlanCheckError(problems)

    results, changes = [], []
    for (kind, rule_id), rule in found.items():
        status = wanted_status.get((kind, rule_id))
        status_change = status if status is not None and rule.get("status") != status else None
        update_body, diff = None, []
        if rule_id in new_layers and kind is RuleKind.ESCALATE:
            before, after = (
                escalation_update_body(rule),
                escalation_update_body(rule, new_layers[rule_id]),
            )
            if after != before:
                update_body = after
                diff = diff_layers(rule.get("layers") or [], new_layers[rule_id], names)
        if status_change:
            diff.append(f"status: {rule.get('status')} -> {status_change}")
        changed = bool(update_body or status_change)
        results.append(
            ProfileRuleResult(
                kind=kind,
                channel_id=int(rule["channel_id"]),
                rule_id=rule_id,
                rule_name=str(rule.get("rule_name", "")),
                status_before=rule.get("status"),
                status_after=status or rule.get("status"),
                diff=diff,
                changed=changed,
            )
        )
        if changed:
            snapshot = RuleSnapshot.of(kind, dict(rule), taken_at)
            changes.append(
                RuleChange(
                    snapshot=snapshot, update_body=update_body, status=status_change, diff=diff
                )
            )
    return results, changes
