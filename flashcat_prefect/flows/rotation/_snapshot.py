"""Snapshots of channel rules, planned rule changes, and all-or-nothing application.

A :class:`RuleChange` carries the rule exactly as read (its :class:`RuleSnapshot`) next to
what will be written. :func:`apply_all_or_restore` writes changes one after another; when
one fails it writes the snapshots of every rule it touched back (the failed one too, in
case the failed call partly applied) and raises :class:`RuleChangeError` telling what
happened to each rule. The writing itself is passed in as callables, so the sequencing is
tested without HTTP and the flows can run each write as a Prefect task.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from flashcat_prefect.client.errors import FlashcatError
from flashcat_prefect.flows._late_writes import (
    answer_lost,
    may_land_after,
    may_still_land,
    wait_until,
)
from flashcat_prefect.flows._records import record, records
from flashcat_prefect.flows.rotation._rules import (
    ESCALATION_UPDATE_PATH,
    RuleKind,
    escalation_update_body,
)

if TYPE_CHECKING:
    from flashcat_prefect.client import FlashcatClient

RuleStatus = Literal["enabled", "disabled"]


class RuleSnapshot(BaseModel):
    """One rule exactly as read before a run changed it."""

    kind: RuleKind
    channel_id: int
    rule_id: str
    rule_name: str
    status: str | None = None
    rule: dict[str, Any] = Field(description="The rule as the list/info endpoint returned it.")
    taken_at: datetime

    @classmethod
    def of(
        cls, kind: RuleKind, rule: dict[str, Any], taken_at: datetime | None = None
    ) -> RuleSnapshot:
        return cls(
            kind=kind,
            channel_id=int(rule["channel_id"]),
            rule_id=str(rule["rule_id"]),
            rule_name=str(rule.get("rule_name", "")),
            status=rule.get("status"),
            rule=rule,
            taken_at=taken_at or datetime.now(UTC),
        )

    def describe(self) -> str:
        return (
            f'channel {self.channel_id} {self.kind.label} rule "{self.rule_name}" ({self.rule_id})'
        )


class RuleResult(BaseModel):
    """What a run found and did for one rule (the flows' reports extend this)."""

    channel_id: int
    rule_id: str
    rule_name: str
    changed: bool = Field(default=False, description="The live rule differs from the plan.")
    written: bool = Field(default=False, description="The change was sent (not a dry run).")
    diff: list[str] = Field(default_factory=list, description="Readable lines of the change.")


class RuleChange(BaseModel):
    """One planned write to one rule: new escalation layers and/or a new status."""

    snapshot: RuleSnapshot
    update_body: dict[str, Any] | None = Field(
        default=None, description="Full /channel/escalate/rule/update body (escalation rules)."
    )
    status: RuleStatus | None = Field(default=None, description="Status to switch to, if any.")
    diff: list[str] = Field(default_factory=list, description="Readable lines of what changes.")

    def describe(self) -> str:
        return self.snapshot.describe()


def set_rule_status(client: FlashcatClient, snapshot: RuleSnapshot, status: str) -> None:
    rules = snapshot.kind.resource(client)
    switch = rules.enable if status == "enabled" else rules.disable
    switch(channel_id=snapshot.channel_id, rule_id=snapshot.rule_id)


def read_rule(client: FlashcatClient, snapshot: RuleSnapshot) -> dict[str, Any]:
    """The rule of ``snapshot`` as it reads now (escalation rules in full, by ``info``)."""
    if snapshot.kind is RuleKind.ESCALATE:
        return record(
            client.escalation_rules.info(channel_id=snapshot.channel_id, rule_id=snapshot.rule_id)
        )
    listed = snapshot.kind.resource(client).list(channel_id=snapshot.channel_id)
    for item in records(listed):
        if str(item.get("rule_id")) == snapshot.rule_id:
            return dict(item)
    raise RuleModifiedError(f"{snapshot.describe()} no longer exists")


class RuleModifiedError(FlashcatError):
    """A rule changed on the server after the run read it; the run did not overwrite it."""

    wrote_nothing = True
    """Nothing was sent for this rule, so there is nothing of it to restore."""


def check_unchanged(client: FlashcatClient, snapshot: RuleSnapshot) -> None:
    """Raise :class:`RuleModifiedError` if the escalation rule no longer reads as snapshot.

    Guards the full-body update, which would otherwise silently undo an edit made (say, in
    the console) between the run's read and its write. Compares every field the update
    writes, not ``updated_at``, which only has one-second resolution.
    """
    current = record(
        client.escalation_rules.info(channel_id=snapshot.channel_id, rule_id=snapshot.rule_id)
    )
    if escalation_update_body(current) != escalation_update_body(snapshot.rule):
        raise RuleModifiedError(
            f"{snapshot.describe()} was changed by someone else after this run read it; "
            "not overwritten: run again to plan afresh"
        )


def write_change(client: FlashcatClient, change: RuleChange) -> None:
    """Send one change: the layer update first (if the rule is unchanged), then the status."""
    if change.update_body is not None:
        check_unchanged(client, change.snapshot)
        client.request(ESCALATION_UPDATE_PATH, change.update_body)  # round-trip: whole rule
    if change.status is not None:
        set_rule_status(client, change.snapshot, change.status)


def restore_rule(
    client: FlashcatClient, snapshot: RuleSnapshot, *, layers: bool = True, status: bool = True
) -> None:
    """Write a snapshot back: the whole escalation rule body and/or its status."""
    if layers and snapshot.kind is RuleKind.ESCALATE:
        body = escalation_update_body(snapshot.rule)
        client.request(ESCALATION_UPDATE_PATH, body)  # round-trip: the whole rule as snapshot
    if status and snapshot.status in ("enabled", "disabled"):
        set_rule_status(client, snapshot, snapshot.status)


def undo_change(client: FlashcatClient, change: RuleChange) -> None:
    """Write back what ``change`` may have altered, from its snapshot."""
    restore_rule(
        client,
        change.snapshot,
        layers=change.update_body is not None,
        status=change.status is not None,
    )


class RuleChangeError(FlashcatError):
    """A rule write failed; the message tells what was written, restored and left alone."""

    def __init__(
        self,
        failed: RuleChange,
        error: BaseException,
        restored: Sequence[RuleChange],
        restore_failures: Sequence[tuple[RuleChange, BaseException]],
        not_attempted: Sequence[RuleChange],
        took_effect: bool | None = None,
    ) -> None:
        self.failed = failed
        self.error = error
        self.restored = list(restored)
        self.restore_failures = list(restore_failures)
        self.not_attempted = list(not_attempted)
        self.took_effect = took_effect
        """Whether the failed write was read back applied before the restore (None: not
        checked, e.g. the server refused it)."""
        # Only a write the server itself never answered (a timeout, a cut answer, a gateway's
        # 502/504) may still be applied after the restore, unless the run saw it land first.
        # After any answer from the server (a 500, a garbled 200) it is done with the write.
        self.outcome_unknown = may_land_after(error) and not took_effect
        lines = [f"writing {failed.describe()} failed: {type(error).__name__}: {error}"]
        if took_effect and may_still_land(error):
            lines.append("its answer was lost; the write landed later and was undone")
        elif took_effect:
            lines.append("the server had applied the write although its answer failed; undone")
        if self.outcome_unknown:
            lines.append(
                "its answer was lost, so the server may still apply that write after the "
                "restore below: run again to detect and repair any rule left changed"
            )
        if self.restored:
            lines.append("restored from the snapshot:")
            lines += [f"  - {change.describe()}" for change in self.restored]
        if self.restore_failures:
            lines.append("could NOT be restored (fix by hand from the snapshot):")
            lines += [
                f"  - {change.describe()}: {type(exc).__name__}: {exc}"
                for change, exc in self.restore_failures
            ]
        if self.not_attempted:
            lines.append("not attempted (left as they were):")
            lines += [f"  - {change.describe()}" for change in self.not_attempted]
        super().__init__("\n".join(lines))


RESTORE_ROUNDS = 4
"""Restores of one rule that keeps reading back changed before the run gives up on it."""


def reads_as(rule: Mapping[str, Any], change: RuleChange, *, target: bool) -> bool:
    """Whether ``rule`` (as read now) holds what ``change`` writes (``target``) or what its
    snapshot held, in the parts the change touches."""
    snapshot = change.snapshot
    if change.update_body is not None:
        wanted = change.update_body if target else escalation_update_body(snapshot.rule)
        if escalation_update_body(rule) != wanted:
            return False
    if change.status is not None:
        wanted_status = change.status if target else snapshot.status
        if rule.get("status") != wanted_status:
            return False
    return True


class _Restorer:
    """Puts touched rules back from their snapshots and checks that they stay there."""

    def __init__(
        self,
        restore: Callable[[RuleChange], None],
        read: Callable[[RuleSnapshot], Mapping[str, Any]] | None,
    ) -> None:
        self.restore = restore
        self.read = read
        self.restored: list[RuleChange] = []
        self.failures: dict[str, tuple[RuleChange, BaseException]] = {}

    def put_back(self, changes: Sequence[RuleChange]) -> None:
        for change in changes:
            try:
                self.restore(change)
            except Exception as exc:
                self.failures[change.snapshot.rule_id] = (change, exc)
            else:
                self.failures.pop(change.snapshot.rule_id, None)
                if change not in self.restored:
                    self.restored.append(change)

    def drifted(self, changes: Sequence[RuleChange]) -> list[RuleChange]:
        """The rules that do not read as their snapshot (unreadable ones count as drifted)."""
        assert self.read is not None
        drifted = []
        for change in changes:
            try:
                if not reads_as(self.read(change.snapshot), change, target=False):
                    drifted.append(change)
            except Exception:
                drifted.append(change)
        return drifted

    def settle(self, changes: Sequence[RuleChange]) -> None:
        """Re-read until every rule reads as its snapshot; restore again those that drifted
        (a write that landed after the restore); give up after :data:`RESTORE_ROUNDS`."""
        if self.read is None:
            return
        for _ in range(RESTORE_ROUNDS):
            drifted = self.drifted(changes)
            if not drifted:
                return
            self.put_back(drifted)
        for change in self.drifted(changes):
            self.failures.setdefault(
                change.snapshot.rule_id,
                (change, RuleModifiedError("still differs from its snapshot after restoring")),
            )
        self.restored = [c for c in self.restored if c.snapshot.rule_id not in self.failures]


def apply_all_or_restore(
    changes: Sequence[RuleChange],
    write: Callable[[RuleChange], None],
    restore: Callable[[RuleChange], None],
    read: Callable[[RuleSnapshot], Mapping[str, Any]] | None = None,
) -> None:
    """Write ``changes`` in order; on the first failure restore and raise.

    The rules written before the failure and the failed rule itself are restored, newest
    first; the failed rule is left alone when its error says nothing was written
    (``wrote_nothing``, e.g. :class:`RuleModifiedError`: restoring would undo someone
    else's edit). Restoring goes on past a failed restore so that as much as possible is
    put back.

    With ``read`` (the rule as it reads now), the restore is made to hold: when the failed
    write may have been applied, the run reads whether it took effect, and when its answer
    never came (it may still land) first waits for it to show up (see :mod:`._late_writes`)
    so that the restore comes after it; then every touched rule is re-read until all read
    as their snapshot, and any that changed after the restore is restored again.
    """
    for position, change in enumerate(changes):
        try:
            write(change)
        except Exception as exc:
            failed = [] if getattr(exc, "wrote_nothing", False) else [change]
            touched = [*changes[:position], *failed]
            landed: bool | None = None
            if failed and read is not None and answer_lost(exc):
                applied = functools.partial(_reads_target, read, change)
                landed = wait_until(applied) if may_still_land(exc) else applied()
            restorer = _Restorer(restore, read)
            restorer.put_back(list(reversed(touched)))
            restorer.settle(touched)
            raise RuleChangeError(
                change,
                exc,
                restorer.restored,
                list(restorer.failures.values()),
                changes[position + 1 :],
                took_effect=landed,
            ) from exc


def _reads_target(read: Callable[[RuleSnapshot], Mapping[str, Any]], change: RuleChange) -> bool:
    try:
        return reads_as(read(change.snapshot), change, target=True)
    except Exception:
        return False


class RulesChangedMeanwhileError(FlashcatError):
    """Rules this run planned or wrote no longer read as the run left them: another run (or
    a person) changed them while it ran. Nothing was overwritten; the report must not say
    they are in the run's state."""

    def __init__(self, rules: Sequence[RuleSnapshot]) -> None:
        self.rules = list(rules)
        lines = [
            "these rules were changed by someone else while this run ran; they hold "
            "that other state, not this run's (run again to plan afresh):"
        ]
        lines += [f"  - {snapshot.describe()}" for snapshot in self.rules]
        super().__init__("\n".join(lines))


def unchanged_expectation(kind: RuleKind, rule: Mapping[str, Any]) -> RuleChange:
    """What a rule the run leaves alone must still read as at the end: its layers (for an
    escalation rule read in full) and its status, as read."""
    snapshot = RuleSnapshot.of(kind, dict(rule))
    status = rule.get("status")
    return RuleChange(
        snapshot=snapshot,
        update_body=escalation_update_body(rule)
        if kind is RuleKind.ESCALATE and "layers" in rule
        else None,
        status=status if status in ("enabled", "disabled") else None,
    )


def check_final_state(
    expected: Sequence[RuleChange], read: Callable[[RuleSnapshot], Mapping[str, Any]]
) -> None:
    """Re-read every rule of the run; raise :class:`RulesChangedMeanwhileError` naming those
    that no longer hold the state the run wrote (or found and left)."""
    moved = [change.snapshot for change in expected if not _reads_target(read, change)]
    if moved:
        raise RulesChangedMeanwhileError(moved)


def snapshot_document(snapshots: Sequence[RuleSnapshot]) -> dict[str, Any]:
    """The JSON document a snapshot file holds."""
    return {"version": 1, "rules": [snapshot.model_dump(mode="json") for snapshot in snapshots]}


def write_snapshot_file(path: str | Path, snapshots: Sequence[RuleSnapshot]) -> Path:
    """Save snapshots as JSON (parent folders are created)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(snapshot_document(snapshots), indent=2, ensure_ascii=False) + "\n")
    return path


def read_snapshot_file(path: str | Path) -> list[RuleSnapshot]:
    """Load the snapshots saved by :func:`write_snapshot_file`."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    return [RuleSnapshot.model_validate(item) for item in document["rules"]]
