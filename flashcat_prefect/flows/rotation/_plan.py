"""Rotation plans and the schedule maths behind them (pure: no Prefect, no HTTP).

A rotation walks a roster (people, teams or schedule roles) through one or more escalation
layers. Shifts hand over on a fixed period (every N days, at the handover time in the plan's
time zone) or on the fire times of a cron expression. At shift ``i`` the layer listed first
gets roster member ``i``, the next layer member ``i + 1``, and so on, wrapping around.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from flashcat_prefect.flows.rotation._rules import (
    PlanCheckError,
    PlanFile,
    RuleAddress,
    RuleKind,
    RuleNotFoundError,
    TargetKind,
    check_time_zone,
    diff_layers,
    escalation_update_body,
    find_rule,
    set_layer_targets,
)
from flashcat_prefect.flows.rotation._snapshot import RuleChange, RuleResult, RuleSnapshot

MAX_CRON_HANDOVERS = 100_000
"""Cron fire times counted from the start anchor at the most (keeps a run bounded)."""

_EVERY = re.compile(r"^every\s+(\d+)\s+(day|days|week|weeks)$")


def period_days(period: str) -> int | None:
    """Length in days of a fixed period (``daily``, ``weekly``, ``every N days|weeks``).

    ``None`` for ``cron``; a ``ValueError`` naming the accepted forms otherwise.
    """
    text = " ".join(period.strip().lower().split())
    if text == "cron":
        return None
    if text in ("daily", "weekly"):
        return 1 if text == "daily" else 7
    match = _EVERY.match(text)
    if match is None or int(match.group(1)) < 1:
        raise ValueError(
            f"period {period!r} must be daily, weekly, 'every N days', 'every N weeks' or cron"
        )
    count = int(match.group(1))
    return count * 7 if match.group(2).startswith("week") else count


class ScheduleRole(BaseModel):
    """One roster member that is an on-call schedule (optionally limited to some roles)."""

    model_config = ConfigDict(extra="forbid")

    schedule_id: int = Field(gt=0)
    role_ids: list[int] = Field(
        default_factory=list, description="Roles of the schedule to notify; empty = the schedule."
    )


Member = int | ScheduleRole


class Roster(BaseModel):
    """Who rotates: exactly one of person ids, team ids or schedule roles, in duty order."""

    model_config = ConfigDict(extra="forbid")

    person_ids: list[int] | None = Field(default=None, min_length=1)
    team_ids: list[int] | None = Field(default=None, min_length=1)
    schedule_roles: list[ScheduleRole] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _exactly_one_list(self) -> Roster:
        given = [
            name for name in ("person_ids", "team_ids", "schedule_roles") if getattr(self, name)
        ]
        if len(given) != 1:
            raise ValueError(
                "roster: give exactly one of person_ids, team_ids, schedule_roles"
                f" (got {', '.join(given) or 'none'})"
            )
        return self

    @property
    def kind(self) -> TargetKind:
        """The layer target list this roster fills."""
        if self.person_ids:
            return "person_ids"
        if self.team_ids:
            return "team_ids"
        return "schedule_to_role_ids"

    @property
    def members(self) -> list[Member]:
        return list(self.person_ids or self.team_ids or self.schedule_roles or [])

    def target_value(self, member: Member) -> Any:
        """What a layer's target holds when ``member`` is on it."""
        if isinstance(member, ScheduleRole):
            return {str(member.schedule_id): list(member.role_ids)}
        return [member]


def empty_target_value(kind: str) -> Any:
    return {} if kind == "schedule_to_role_ids" else []


@dataclass(frozen=True)
class Shift:
    """The shift running at some instant: its number (0 = first) and its bounds."""

    index: int
    starts_at: datetime
    ends_at: datetime


class Rotation(BaseModel):
    """One roster rotating through some layers of one escalation rule."""

    model_config = ConfigDict(extra="forbid")

    period: str | None = Field(
        default=None,
        description="daily, weekly, 'every N days', 'every N weeks' or cron (then give cron).",
    )
    cron: str | None = Field(
        default=None, description="Cron expression of the handovers, in the time zone."
    )
    start: datetime = Field(
        description="First handover (shift 0 starts here). Without an offset it is read in "
        "the time zone."
    )
    handover: time | None = Field(
        default=None, description="Time of day of each handover; default: the time in start."
    )
    time_zone: str | None = Field(default=None, description="IANA zone; default: the plan's.")
    roster: Roster
    layers: list[int] = Field(
        default_factory=lambda: [1],
        min_length=1,
        description="Layers (from 1) that rotate: the first gets the member on duty, the "
        "second the next member, and so on.",
    )
    target_kinds: list[TargetKind] | None = Field(
        default=None,
        description="Target lists replaced in the rotated layers; default: the roster's own. "
        "Extra kinds listed here are emptied.",
    )

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return None if value is None else check_time_zone(value)

    @field_validator("layers")
    @classmethod
    def _layers(cls, value: list[int]) -> list[int]:
        if any(number < 1 for number in value):
            raise ValueError("layers are numbered from 1")
        if len(set(value)) != len(value):
            raise ValueError(f"layers {value} list a layer twice")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Rotation:
        if self.cron is not None:
            if self.period not in (None, "cron"):
                raise ValueError(f"give either period {self.period!r} or cron, not both")
            if not croniter.is_valid(self.cron):
                raise ValueError(f"cron {self.cron!r} is not a valid cron expression")
            self.period = "cron"
        elif self.period is None:
            raise ValueError("give period (daily, weekly, 'every N days') or cron")
        elif period_days(self.period) is None:
            raise ValueError("period cron needs a cron expression")
        if self.cron is not None and self.handover is not None:
            raise ValueError("handover does not apply to cron periods: the cron sets the times")
        start_time = self.start.timetz().replace(tzinfo=None)
        if self.handover is not None and start_time not in (time(0), self.handover):
            raise ValueError(
                f"start time {start_time:%H:%M} and handover {self.handover:%H:%M} disagree"
            )
        if len(self.roster.members) < len(self.layers):
            raise ValueError(
                f"roster has {len(self.roster.members)} member(s) for {len(self.layers)} "
                "layers: each layer needs its own member"
            )
        if self.target_kinds is not None and self.roster.kind not in self.target_kinds:
            raise ValueError(f"target_kinds must include the roster's kind {self.roster.kind}")
        return self

    # -- maths ----------------------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone or "UTC")

    @property
    def first_handover(self) -> datetime:
        """Start of shift 0 as an aware datetime in the rotation's zone."""
        if self.start.tzinfo is not None:
            local = self.start.astimezone(self.zone)
        else:
            local = self.start.replace(tzinfo=self.zone)
        if self.handover is not None:
            local = datetime.combine(local.date(), self.handover, tzinfo=self.zone)
        return local

    def shift_at(self, at: datetime) -> Shift | None:
        """The shift running at ``at`` (aware), or ``None`` before the first handover."""
        at = utc_if_naive(at)
        first = self.first_handover
        if at < first:
            return None
        days = period_days(self.period or "")
        if days is None:
            return self._cron_shift(first, at)
        local = at.astimezone(self.zone)
        handover = first.timetz().replace(tzinfo=None)
        elapsed = (local.date() - first.date()).days
        if local.replace(tzinfo=None).time() < handover:
            elapsed -= 1
        index = elapsed // days
        starts = _wall(first.date() + timedelta(days=index * days), handover, self.zone)
        ends = _wall(first.date() + timedelta(days=(index + 1) * days), handover, self.zone)
        return Shift(index=index, starts_at=starts, ends_at=ends)

    def _cron_shift(self, first: datetime, at: datetime) -> Shift:
        fires = croniter(self.cron, first)
        index, starts = 0, first
        upcoming = fires.get_next(datetime)
        while upcoming <= at:
            index, starts = index + 1, upcoming
            if index > MAX_CRON_HANDOVERS:
                raise ValueError(
                    f"cron {self.cron!r} fires more than {MAX_CRON_HANDOVERS} times between "
                    "start and the run time: move start closer"
                )
            upcoming = fires.get_next(datetime)
        return Shift(index=index, starts_at=starts, ends_at=upcoming)

    def on_duty(self, index: int) -> dict[int, Member]:
        """Layer number -> roster member at shift ``index``."""
        members = self.roster.members
        return {
            layer: members[(index + offset) % len(members)]
            for offset, layer in enumerate(self.layers)
        }

    def layer_targets(self, index: int) -> dict[int, dict[str, Any]]:
        """Layer number -> the target lists to write at shift ``index``."""
        kinds = self.target_kinds or [self.roster.kind]
        targets = {}
        for layer, member in self.on_duty(index).items():
            values = {kind: empty_target_value(kind) for kind in kinds}
            values[self.roster.kind] = self.roster.target_value(member)
            targets[layer] = values
        return targets


def utc_if_naive(moment: datetime) -> datetime:
    """``moment`` as an aware datetime: naive values are read as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _wall(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone)


class RuleRotation(RuleAddress):
    """The rotations of one escalation rule."""

    rotations: list[Rotation] = Field(min_length=1)

    @model_validator(mode="after")
    def _no_overlap(self) -> RuleRotation:
        seen: dict[tuple[int, str], int] = {}
        for position, rotation in enumerate(self.rotations):
            for layer in rotation.layers:
                for kind in rotation.target_kinds or [rotation.roster.kind]:
                    other = seen.setdefault((layer, kind), position)
                    if other != position:
                        raise ValueError(
                            f"{self.describe()}: rotations {other + 1} and {position + 1} both "
                            f"set {kind} of layer {layer}"
                        )
        return self


class RotationPlan(PlanFile):
    """Which escalation rules rotate, and how. Load one with :meth:`from_file`."""

    time_zone: str = Field(default="UTC", description="IANA zone for starts and handovers.")
    rules: list[RuleRotation] = Field(min_length=1)

    @model_validator(mode="after")
    def _inherit_zone(self) -> RotationPlan:
        for rule in self.rules:
            for rotation in rule.rotations:
                if rotation.time_zone is None:
                    rotation.time_zone = self.time_zone
        return self

    def roster_ids(self, kind: TargetKind) -> set[int]:
        """Every person or team id (``kind``) that some roster of the plan names."""
        return {
            member
            for rule in self.rules
            for rotation in rule.rotations
            if rotation.roster.kind == kind
            for member in rotation.roster.members
            if isinstance(member, int)
        }

    def schedule_ids(self) -> set[int]:
        return {m.schedule_id for r in self._rotations() for m in r.roster.schedule_roles or []}

    def _rotations(self) -> list[Rotation]:
        return [rotation for rule in self.rules for rotation in rule.rotations]


@dataclass(frozen=True)
class Assignment:
    """Who one rotation puts on which layer at one instant (``shift`` None: not started)."""

    rotation: int
    shift: Shift | None
    on_duty: dict[int, Member]


def plan_rule_targets(
    rule: RuleRotation, at: datetime
) -> tuple[dict[int, dict[str, Any]], list[Assignment]]:
    """The layer targets all rotations of ``rule`` want at ``at``, and who is on duty."""
    targets: dict[int, dict[str, Any]] = {}
    assignments = []
    for position, rotation in enumerate(rule.rotations, start=1):
        shift = rotation.shift_at(at)
        if shift is None:
            assignments.append(Assignment(rotation=position, shift=None, on_duty={}))
            continue
        for layer, values in rotation.layer_targets(shift.index).items():
            targets.setdefault(layer, {}).update(values)
        assignments.append(
            Assignment(rotation=position, shift=shift, on_duty=rotation.on_duty(shift.index))
        )
    return targets, assignments


def describe_member(member: Member, names: Mapping[int, str] | None = None) -> str:
    """``101 (Ann)`` for a person, ``team 7``, ``schedule 5 roles 1,2``."""
    if isinstance(member, ScheduleRole):
        roles = ",".join(map(str, member.role_ids)) or "all"
        return f"schedule {member.schedule_id} roles {roles}"
    name = (names or {}).get(member)
    return f"{member} ({name})" if name else str(member)


class RotationDuty(BaseModel):
    """Who one rotation puts on duty at the run's instant."""

    rotation: int = Field(description="Position of the rotation in the rule entry, from 1.")
    shift: int | None = Field(description="Shift number from the start anchor; None = not started.")
    shift_start: datetime | None = None
    shift_end: datetime | None = None
    layers: dict[int, str] = Field(default_factory=dict, description="Layer -> member on duty.")


class RuleRotationResult(RuleResult):
    """What the run found and did for one rule of the plan, and who is on duty."""

    duties: list[RotationDuty] = Field(default_factory=list)


def plan_rotation(
    plan: RotationPlan,
    rules_by_channel: Mapping[int, Sequence[Mapping[str, Any]]],
    at: datetime,
    names: Mapping[int, str] | None = None,
) -> tuple[list[RuleRotationResult], list[RuleChange]]:
    """Compare each planned rule with its live version and list the updates to send.

    ``rules_by_channel`` holds each channel's escalation rules as listed by the API. Every
    problem (unknown or ambiguous rule, missing layer, a rule listed twice) is collected and
    raised together as :class:`PlanCheckError`, so nothing is written for a broken plan.
    """
    problems: list[str] = []
    results: list[RuleRotationResult] = []
    changes: list[RuleChange] = []
    seen: dict[str, str] = {}
    for entry in plan.rules:
        try:
            rule = find_rule(rules_by_channel.get(entry.channel_id, []), entry)
        except RuleNotFoundError as exc:
            problems.append(str(exc))
            continue
        rule_id = str(rule["rule_id"])
        if rule_id in seen:
            problems.append(
                f"{entry.describe()} and {seen[rule_id]} are the same rule: list it once"
            )
            continue
        seen[rule_id] = entry.describe()
        targets, assignments = plan_rule_targets(entry, at)
        try:
            new_layers = set_layer_targets(rule.get("layers") or [], targets)
        except ValueError as exc:
            problems.append(f"{entry.describe()}: {exc}")
            continue
        before = escalation_update_body(rule)
        after = escalation_update_body(rule, new_layers)
        diff = diff_layers(rule.get("layers") or [], new_layers, names)
        result = RuleRotationResult(
            channel_id=entry.channel_id,
            rule_id=rule_id,
            rule_name=str(rule.get("rule_name", "")),
            changed=after != before,
            diff=diff,
            duties=[_duty(assignment, names) for assignment in assignments],
        )
        results.append(result)
        if result.changed:
            snapshot = RuleSnapshot.of(RuleKind.ESCALATE, dict(rule))
            changes.append(RuleChange(snapshot=snapshot, update_body=after, diff=diff))
    if problems:
        raise PlanCheckError(problems)
    return results, changes


def _duty(assignment: Assignment, names: Mapping[int, str] | None) -> RotationDuty:
    shift = assignment.shift
    return RotationDuty(
        rotation=assignment.rotation,
        shift=None if shift is None else shift.index,
        shift_start=None if shift is None else shift.starts_at,
        shift_end=None if shift is None else shift.ends_at,
        layers={layer: describe_member(m, names) for layer, m in assignment.on_duty.items()},
    )
