"""Snapshots of channel rules, planned rule changes, and all-or-nothing application.

A :class:`RuleChange` carries the rule exactly as read (its :class:`RuleSnapshot`) next to
what will be written. :func:`apply_all_or_restore` writes changes one after another; when
one fails it writes the snapshots of every rule it touched back (the failed one too, in
case the failed call partly applied) and raises :class:`RuleChangeError` telling what
happened to each rule. The writing itself is passed in as callables, so the sequencing is
tested without HTTP and the flows can run each write as a Prefect task.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from flashcat_prefect.client.errors import FlashcatError, is_retryable, surely_not_applied
from flashcat_prefect.flows._rotation_rules import RuleKind, escalation_update_body

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


class RuleClient(Protocol):
    """What the writers need from a Flashcat client."""

    def request(self, path: str, body: Any = None) -> Any: ...


def set_rule_status(client: RuleClient, snapshot: RuleSnapshot, status: str) -> None:
    action = "enable" if status == "enabled" else "disable"
    client.request(
        f"{snapshot.kind.api_prefix}/{action}",
        {"channel_id": snapshot.channel_id, "rule_id": snapshot.rule_id},
    )


class RuleModifiedError(FlashcatError):
    """A rule changed on the server after the run read it; the run did not overwrite it."""

    wrote_nothing = True
    """Nothing was sent for this rule, so there is nothing of it to restore."""


def check_unchanged(client: RuleClient, snapshot: RuleSnapshot) -> None:
    """Raise :class:`RuleModifiedError` if the escalation rule no longer reads as snapshot.

    Guards the full-body update, which would otherwise silently undo an edit made (say, in
    the console) between the run's read and its write. Compares every field the update
    writes, not ``updated_at``, which only has one-second resolution.
    """
    current = client.request(
        f"{snapshot.kind.api_prefix}/info",
        {"channel_id": snapshot.channel_id, "rule_id": snapshot.rule_id},
    )
    if escalation_update_body(current or {}) != escalation_update_body(snapshot.rule):
        raise RuleModifiedError(
            f"{snapshot.describe()} was changed by someone else after this run read it; "
            "not overwritten: run again to plan afresh"
        )


def write_change(client: RuleClient, change: RuleChange) -> None:
    """Send one change: the layer update first (if the rule is unchanged), then the status."""
    if change.update_body is not None:
        check_unchanged(client, change.snapshot)
        client.request(f"{change.snapshot.kind.api_prefix}/update", change.update_body)
    if change.status is not None:
        set_rule_status(client, change.snapshot, change.status)


def restore_rule(
    client: RuleClient, snapshot: RuleSnapshot, *, layers: bool = True, status: bool = True
) -> None:
    """Write a snapshot back: the whole escalation rule body and/or its status."""
    if layers and snapshot.kind is RuleKind.ESCALATE:
        client.request(f"{snapshot.kind.api_prefix}/update", escalation_update_body(snapshot.rule))
    if status and snapshot.status in ("enabled", "disabled"):
        set_rule_status(client, snapshot, snapshot.status)


def undo_change(client: RuleClient, change: RuleChange) -> None:
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
    ) -> None:
        self.failed = failed
        self.error = error
        self.restored = list(restored)
        self.restore_failures = list(restore_failures)
        self.not_attempted = list(not_attempted)
        # A timeout or a 500 leaves the write's fate open: the server may apply it after
        # the restore, so the restore cannot promise the rule's state.
        self.outcome_unknown = is_retryable(error) and not surely_not_applied(error)
        lines = [f"writing {failed.describe()} failed: {type(error).__name__}: {error}"]
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


def apply_all_or_restore(
    changes: Sequence[RuleChange],
    write: Callable[[RuleChange], None],
    restore: Callable[[RuleChange], None],
) -> None:
    """Write ``changes`` in order; on the first failure restore and raise.

    The rules written before the failure and the failed rule itself are restored, newest
    first; the failed rule is left alone when its error says nothing was written
    (``wrote_nothing``, e.g. :class:`RuleModifiedError`: restoring would undo someone
    else's edit). Restoring goes on past a failed restore so that as much as possible is
    put back.
    """
    for position, change in enumerate(changes):
        try:
            write(change)
        except Exception as exc:
            failed = [] if getattr(exc, "wrote_nothing", False) else [change]
            touched = [*changes[:position], *failed]
            restored, restore_failures = [], []
            for earlier in reversed(touched):
                try:
                    restore(earlier)
                except Exception as restore_exc:
                    restore_failures.append((earlier, restore_exc))
                else:
                    restored.append(earlier)
            raise RuleChangeError(
                change, exc, restored, restore_failures, changes[position + 1 :]
            ) from exc


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
