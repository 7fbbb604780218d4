"""Rotate who sits in the layers of escalation rules, from a plan kept in version control.

Example plan (YAML; load it with :meth:`RotationPlan.from_file`)::

    time_zone: Asia/Shanghai
    rules:
      - channel_id: 2001
        rule_name: Default
        rotations:
          - period: weekly            # daily | weekly | "every N days" | cron (+ cron: "...")
            start: "2026-11-02T10:00" # first handover, in time_zone
            roster:
              person_ids: [101, 102, 103]
            layers: [1, 2]            # layer 1: member on duty, layer 2: the next one

Run it with ``rotate_escalation_rules(credentials, plan)``; ``dry_run=True`` only shows the
diff. The flow reads every rule, checks that the rules, people, teams and schedules exist,
publishes the diff and a snapshot, and then updates only the rules whose layers change,
writing every other field back exactly as read. If one update fails, the rules already
updated are written back from the snapshot and the run fails with a message that lists
what happened. Running again at the same instant writes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from prefect import flow, get_run_logger
from prefect.task_runners import ThreadPoolTaskRunner
from pydantic import Field

from flashcat_prefect.credentials import FlashcatCredentials
from flashcat_prefect.flows import _events
from flashcat_prefect.flows.rotation._plan import (
    RotationPlan,
    RuleRotationResult,
    plan_rotation,
    utc_if_naive,
)
from flashcat_prefect.flows.rotation._rules import RuleKind
from flashcat_prefect.flows.rotation._run import (
    MAX_WORKERS,
    RuleRunReport,
    check_then_plan,
    finish_run,
    load_plan,
    read_rules,
    restore_rule_task,
    rule_task_run_name,
    with_escalation_details,
)
from flashcat_prefect.flows.rotation._snapshot import (
    RuleSnapshot,
    read_snapshot_file,
)


class RotationReport(RuleRunReport):
    """What a rotation run saw, planned and wrote."""

    at: datetime = Field(description="The instant the layers were computed for.")
    rules: list[RuleRotationResult]

    def to_markdown(self) -> str:
        """The report as a readable markdown page (also published as an artifact)."""
        mode = " (dry run: nothing written)" if self.dry_run else ""
        lines = [
            f"# Escalation-rule rotation at {self.at.isoformat()}{mode}",
            "",
            f"{len(self.changed)} of {len(self.rules)} rule(s) change.",
        ]
        for rule in self.rules:
            state = "written" if rule.written else ("changes" if rule.changed else "unchanged")
            lines += ["", f'## channel {rule.channel_id} rule "{rule.rule_name}": {state}', ""]
            for duty in rule.duties:
                if duty.shift is None:
                    lines.append(f"- rotation {duty.rotation}: not started yet")
                    continue
                on_duty = ", ".join(f"layer {n}: {who}" for n, who in sorted(duty.layers.items()))
                lines.append(
                    f"- rotation {duty.rotation}, shift {duty.shift} "
                    f"({duty.shift_start:%Y-%m-%d %H:%M} to {duty.shift_end:%Y-%m-%d %H:%M}): "
                    f"{on_duty}"
                )
            lines += [f"- {line}" for line in rule.diff]
        return "\n".join(lines) + "\n"


@flow(
    name="flashcat-rotate-escalation-rules",
    description="Rotate people, teams or schedule roles through escalation-rule layers.",
    task_runner=ThreadPoolTaskRunner(max_workers=MAX_WORKERS),
    log_prints=False,
)
def rotate_escalation_rules(
    credentials: FlashcatCredentials | str,
    plan: RotationPlan | dict[str, Any] | str,
    at: datetime | None = None,
    dry_run: bool = False,
    snapshot_path: str | None = None,
) -> RotationReport:
    """Set the layers of the plan's escalation rules to who is on duty at ``at``.

    Args:
        credentials: a ``FlashcatCredentials`` block, or the name of a saved one.
        plan: a :class:`RotationPlan`, its dict form, or the path of a YAML/JSON plan file.
        at: the instant to rotate for (default: now). Naive values are read as UTC.
        dry_run: compute and publish the diff, write nothing.
        snapshot_path: also save the snapshot of the changed rules to this JSON file
            (only when the run writes; undo with ``restore_rule_snapshot``).

    Raises:
        PlanCheckError: the plan does not fit the live account (nothing was written).
        RuleChangeError: an update failed; the rules already changed were restored.
    """
    logger = get_run_logger()
    credentials = FlashcatCredentials.resolve(credentials)
    plan = load_plan(plan, RotationPlan)
    at = utc_if_naive(at or datetime.now(UTC))

    channels = {entry.channel_id for entry in plan.rules}
    rule_lists = read_rules(credentials, [(RuleKind.ESCALATE, c) for c in channels])
    rule_lists = with_escalation_details(credentials, rule_lists, plan.rules)
    rules_by_channel = {channel: rules for (_, channel), rules in rule_lists.items()}
    results, changes = check_then_plan(
        credentials,
        person_ids=plan.roster_ids("person_ids"),
        team_ids=plan.roster_ids("team_ids"),
        schedule_ids=plan.schedule_ids(),
        rule_lists=rules_by_channel.values(),
        plan=lambda names: plan_rotation(plan, rules_by_channel, at, names),
    )
    logger.info(
        "Rotation at %s: %d of %d rule(s) change%s",
        at.isoformat(),
        len(changes),
        len(results),
        " (dry run)" if dry_run else "",
    )
    report = RotationReport(
        at=at, dry_run=dry_run, rules=results, snapshots=[c.snapshot for c in changes]
    )
    report = finish_run(
        credentials,
        report,
        changes,
        snapshot_path=snapshot_path,
        rule_lists=rule_lists,
        key_prefix="rotation",
        title="Escalation-rule rotation",
    )
    if not dry_run:
        _events.rules_rotated(credentials, report)
    return report


@flow(
    name="flashcat-restore-rule-snapshot",
    description="Write channel rules back exactly as a rotation or profile run saved them.",
)
def restore_rule_snapshot(
    credentials: FlashcatCredentials | str, snapshot_path: str, dry_run: bool = False
) -> list[RuleSnapshot]:
    """Undo a rotation or calendar-profile run from the snapshot file it saved.

    Each rule gets back its escalation layers and other writable fields (escalation rules)
    and its status (every kind), in file order. Edits made to those rules after the run
    are overwritten: that is the point of a restore.

    Args:
        credentials: a ``FlashcatCredentials`` block, or the name of a saved one.
        snapshot_path: the JSON file a run wrote (its ``snapshot_path`` parameter).
        dry_run: list what would be restored, write nothing.
    """
    logger = get_run_logger()
    credentials = FlashcatCredentials.resolve(credentials)
    snapshots = read_snapshot_file(snapshot_path)
    for snapshot in snapshots:
        logger.info("%sRestoring %s", "[dry run] " if dry_run else "", snapshot.describe())
        if not dry_run:
            restore_rule_task.with_options(task_run_name=rule_task_run_name("restore", snapshot))(
                credentials, snapshot
            )
    return snapshots
