"""Prefect tasks and the write step shared by the rotation and calendar-profile flows.

Tasks are coarse: one per channel rule list, one recipient check, one per rule write. The
write step publishes the diff and the snapshot as artifacts (and optionally a JSON file)
before anything is written, then applies the changes in order with
:func:`~flashcat_prefect.flows.rotation._snapshot.apply_all_or_restore`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from pydantic import BaseModel, Field

from flashcat_prefect.client.redaction import redact
from flashcat_prefect.credentials import FlashcatCredentials
from flashcat_prefect.flows._records import record, records
from flashcat_prefect.flows.rotation._rules import (
    PlanCheckError,
    PlanFile,
    RuleAddress,
    RuleKind,
    RuleNotFoundError,
    find_rule,
    layer_recipients,
)
from flashcat_prefect.flows.rotation._snapshot import (
    RuleChange,
    RuleChangeError,
    RuleResult,
    RulesChangedMeanwhileError,
    RuleSnapshot,
    apply_all_or_restore,
    check_final_state,
    read_rule,
    restore_rule,
    snapshot_document,
    unchanged_expectation,
    undo_change,
    write_change,
    write_snapshot_file,
)
from flashcat_prefect.tasks._base import routine_task_options

PlanT = TypeVar("PlanT", bound=PlanFile)
PlannedT = TypeVar("PlannedT")
RuleLists = dict[tuple[RuleKind, int], list[dict[str, Any]]]
"""Rules as listed, by (kind, channel id)."""

MAX_WORKERS = 4
"""Threads for the per-channel reads; the client paces under the rate limits anyway."""
INFOS_BATCH = 100
"""Ids per ``/person|team|schedule/infos`` call."""
# The tasks below run once (routine_task_options' default retries=0): the client already
# resends what is safe to resend, and a write must not run twice.


def load_plan(plan: PlanT | Mapping[str, Any] | str | Path, model: type[PlanT]) -> PlanT:
    """A plan given as the model itself, its dict form, or a YAML/JSON file path."""
    if isinstance(plan, model):
        return plan
    if isinstance(plan, str | Path):
        return model.from_file(plan)
    return model.model_validate(plan)


@task(**routine_task_options("read-channel-rules", area="rules"))
def read_channel_rules(
    credentials: FlashcatCredentials, kind: RuleKind, channel_id: int
) -> list[dict[str, Any]]:
    """Every rule of one kind on one channel, as the list endpoint returns them."""
    with credentials.get_client() as client:
        return records(kind.resource(client).list(channel_id=channel_id))


def read_rules(
    credentials: FlashcatCredentials, wanted: Iterable[tuple[RuleKind, int]]
) -> RuleLists:
    """Read the rule lists of several (kind, channel) pairs concurrently, one task each."""
    futures = {
        key: read_channel_rules.with_options(
            task_run_name=f"read-{key[0].value}-rules-{key[1]}"
        ).submit(credentials, *key)
        for key in sorted(set(wanted), key=lambda pair: (pair[0].value, pair[1]))
    }
    return {key: future.result() for key, future in futures.items()}


@task(**routine_task_options("read-escalation-rule", area="rules"))
def read_escalation_rule(
    credentials: FlashcatCredentials, channel_id: int, rule_id: str
) -> dict[str, Any]:
    """One escalation rule in full, from the detail endpoint."""
    with credentials.get_client() as client:
        return record(client.escalation_rules.info(channel_id=channel_id, rule_id=rule_id))


def with_escalation_details(
    credentials: FlashcatCredentials, rule_lists: RuleLists, addresses: Iterable[RuleAddress]
) -> RuleLists:
    """``rule_lists`` with the escalation rules ``addresses`` point at read in full.

    Layer updates are built from the detail endpoint's answer, the rule's complete record,
    so that nothing a list might abbreviate is lost when the rule is written back.
    Addresses that match no rule are skipped here; the planner reports them.
    """
    wanted: set[tuple[int, str]] = set()
    for address in addresses:
        rules = rule_lists.get((RuleKind.ESCALATE, address.channel_id), [])
        try:
            wanted.add((address.channel_id, str(find_rule(rules, address)["rule_id"])))
        except RuleNotFoundError:
            continue
    futures = {
        key: read_escalation_rule.with_options(task_run_name=f"read-rule-{key[0]}-{key[1]}").submit(
            credentials, *key
        )
        for key in sorted(wanted)
    }
    details = {key: future.result() for key, future in futures.items()}
    return {
        (kind, channel): [
            details.get((channel, str(rule.get("rule_id"))), rule)
            if kind is RuleKind.ESCALATE
            else rule
            for rule in rules
        ]
        for (kind, channel), rules in rule_lists.items()
    }


class RecipientCheck(BaseModel):
    """Which planned people, teams and schedules exist, and the names of the people."""

    person_names: dict[int, str] = Field(default_factory=dict)
    problems: list[str] = Field(default_factory=list)


def _batches(ids: Iterable[int]) -> list[list[int]]:
    ordered = sorted(set(ids))
    return [ordered[i : i + INFOS_BATCH] for i in range(0, len(ordered), INFOS_BATCH)]


@task(**routine_task_options("check-recipients", area="rules"))
def check_recipients(
    credentials: FlashcatCredentials,
    person_ids: Sequence[int] = (),
    team_ids: Sequence[int] = (),
    schedule_ids: Sequence[int] = (),
    named_person_ids: Sequence[int] = (),
) -> RecipientCheck:
    """Look the planned ids up; ``named_person_ids`` are only looked up for their names."""
    check = RecipientCheck()
    with credentials.get_client() as client:
        found: dict[int, dict[str, Any]] = {}
        for batch in _batches([*person_ids, *named_person_ids]):
            for item in records(client.persons.infos(person_ids=batch)):
                found[int(item["person_id"])] = item
        for person_id in sorted(set(person_ids)):
            person = found.get(person_id)
            if person is None:
                check.problems.append(f"person {person_id} does not exist")
            elif person.get("status") == "deleted":
                check.problems.append(f"person {person_id} is deleted")
        check.person_names = {
            pid: str(item["person_name"]) for pid, item in found.items() if item.get("person_name")
        }
        teams = {
            int(item["team_id"])
            for batch in _batches(team_ids)
            for item in records(client.teams.infos(team_ids=batch))
        }
        check.problems += [f"team {t} does not exist" for t in sorted(set(team_ids) - teams)]
        schedules = {
            int(item["id"])
            for batch in _batches(schedule_ids)
            for item in records(client.schedules.infos(schedule_ids=batch))
            if item.get("id") is not None
        }
        check.problems += [
            f"schedule {s} does not exist" for s in sorted(set(schedule_ids) - schedules)
        ]
    return check


def people_in_layers(rule_lists: Iterable[Sequence[Mapping[str, Any]]]) -> set[int]:
    """Person ids currently on any layer of the given rules (to name them in diffs)."""
    return {
        person_id
        for rules in rule_lists
        for rule in rules
        for layer in rule.get("layers") or []
        for person_id in layer_recipients(layer).get("person_ids", [])
    }


def check_then_plan(
    credentials: FlashcatCredentials,
    *,
    person_ids: Iterable[int],
    team_ids: Iterable[int],
    schedule_ids: Iterable[int],
    rule_lists: Iterable[Sequence[Mapping[str, Any]]],
    plan: Callable[[Mapping[int, str]], PlannedT],
) -> PlannedT:
    """Check the planned recipients live, then plan; raise every problem of both at once."""
    check = check_recipients(
        credentials,
        person_ids=sorted(set(person_ids)),
        team_ids=sorted(set(team_ids)),
        schedule_ids=sorted(set(schedule_ids)),
        named_person_ids=sorted(people_in_layers(rule_lists)),
    )
    problems = list(check.problems)
    try:
        planned = plan(check.person_names)
    except PlanCheckError as exc:
        problems += exc.problems
    if problems:
        raise PlanCheckError(problems)
    return planned


@task(**routine_task_options("write-rule", area="rules"))
def write_rule(credentials: FlashcatCredentials, change: RuleChange) -> None:
    """Send one rule change."""
    with credentials.get_client() as client:
        write_change(client, change)


@task(**routine_task_options("undo-rule", area="rules"))
def undo_rule(credentials: FlashcatCredentials, change: RuleChange) -> None:
    """Write back, from its snapshot, what one change may have altered."""
    with credentials.get_client() as client:
        undo_change(client, change)


@task(**routine_task_options("restore-rule", area="rules"))
def restore_rule_task(credentials: FlashcatCredentials, snapshot: RuleSnapshot) -> None:
    """Write one rule back from a snapshot: the whole escalation body and the status."""
    with credentials.get_client() as client:
        restore_rule(client, snapshot)


def rule_reader(credentials: FlashcatCredentials) -> Callable[[RuleSnapshot], dict[str, Any]]:
    """A function that reads one rule as it is now (for checks after the writes)."""

    def read(snapshot: RuleSnapshot) -> dict[str, Any]:
        with credentials.get_client() as client:
            return read_rule(client, snapshot)

    return read


def rule_task_run_name(verb: str, snapshot: RuleSnapshot) -> str:
    """``write-escalate-2001-Default``: the run name of a task that writes one rule."""
    return f"{verb}-{snapshot.kind.value}-{snapshot.channel_id}-{snapshot.rule_name or snapshot.rule_id}"


def publish_changes(
    changes: Sequence[RuleChange], *, key_prefix: str, title: str, dry_run: bool
) -> None:
    """Artifacts: a table of the planned changes and the snapshot of the rules they touch."""
    rows = [
        {
            "rule": change.describe(),
            "change": "; ".join(change.diff) or "-",
            "status": change.status or "-",
            "written": "no (dry run)" if dry_run else "yes",
        }
        for change in changes
    ]
    create_table_artifact(
        key=f"{key_prefix}-changes",
        table=rows or [{"rule": "-", "change": "nothing to change", "status": "-", "written": "-"}],
        description=f"{title}: {len(changes)} rule change(s){' (dry run)' if dry_run else ''}",
    )
    snapshot = json.dumps(
        snapshot_document([c.snapshot for c in changes]), indent=2, ensure_ascii=False
    )
    create_markdown_artifact(
        key=f"{key_prefix}-snapshot",
        markdown=redact(
            f"# {title}: rules before the run\n\nWrite these back to undo the run.\n\n"
            f"```json\n{snapshot}\n```\n"
        ),
        description=f"{title}: snapshot of {len(changes)} rule(s) before any write",
    )


class RuleRunReport(BaseModel):
    """What the flows' reports share: the rules, the snapshot and whether it was a dry run."""

    dry_run: bool
    rules: Sequence[RuleResult]
    snapshots: list[RuleSnapshot] = Field(
        default_factory=list, description="Every changed rule exactly as read before the run."
    )
    snapshot_file: str | None = None

    @property
    def changed(self) -> list[RuleResult]:
        return [rule for rule in self.rules if rule.changed]

    def to_markdown(self) -> str:
        raise NotImplementedError


ReportT = TypeVar("ReportT", bound=RuleRunReport)


def finish_run(
    credentials: FlashcatCredentials,
    report: ReportT,
    changes: Sequence[RuleChange],
    *,
    snapshot_path: str | Path | None,
    key_prefix: str,
    title: str,
    rule_lists: RuleLists | None = None,
) -> ReportT:
    """Write the changes (see :func:`execute_changes`), check that every rule of the report
    still holds the run's state, and publish the report artifact.

    ``rule_lists`` (the rules as read) gives the state of the rules the run left alone: a
    rule another run changed meanwhile fails the run with
    :class:`~flashcat_prefect.flows.rotation._snapshot.RulesChangedMeanwhileError` instead of
    being reported unchanged. The report is published on failure too, with the error,
    before the error is re-raised.
    """
    try:
        report.snapshot_file = execute_changes(
            credentials,
            changes,
            dry_run=report.dry_run,
            snapshot_path=snapshot_path,
            key_prefix=key_prefix,
            title=title,
        )
        if not report.dry_run:
            expected = [*changes, *_left_alone(report, changes, rule_lists or {})]
            check_final_state(expected, rule_reader(credentials))
    except (RuleChangeError, RulesChangedMeanwhileError) as exc:
        _publish_report(report, key_prefix, title, failure=str(exc))
        raise
    for result in report.rules:
        result.written = result.changed and not report.dry_run
    _publish_report(report, key_prefix, title)
    return report


def _left_alone(
    report: RuleRunReport, changes: Sequence[RuleChange], rule_lists: RuleLists
) -> list[RuleChange]:
    """Expectations for the report's rules that the run does not change: as read."""
    changed = {change.snapshot.rule_id for change in changes}
    reported = {result.rule_id for result in report.rules} - changed
    return [
        unchanged_expectation(kind, rule)
        for (kind, _), rules in rule_lists.items()
        for rule in rules
        if str(rule.get("rule_id")) in reported
    ]


def _publish_report(
    report: RuleRunReport, key_prefix: str, title: str, failure: str | None = None
) -> None:
    markdown = report.to_markdown()
    if failure:
        markdown += f"\n## The run failed\n\n```\n{failure}\n```\n"
    create_markdown_artifact(
        key=f"{key_prefix}-report",
        markdown=redact(markdown),
        description=f"{title}: {len(report.changed)} of {len(report.rules)} rule(s) change",
    )


def execute_changes(
    credentials: FlashcatCredentials,
    changes: Sequence[RuleChange],
    *,
    dry_run: bool,
    snapshot_path: str | Path | None,
    key_prefix: str,
    title: str,
) -> str | None:
    """Publish, save the snapshot, then write all changes or none (restoring on failure).

    The snapshot file is only written when the run is about to write something, so that
    a dry run or a run with nothing to do never replaces the snapshot of an earlier run.
    Returns the snapshot file path written, if any. Raises
    :class:`~flashcat_prefect.flows.rotation._snapshot.RuleChangeError` when a write fails.
    """
    logger = get_run_logger()
    publish_changes(changes, key_prefix=key_prefix, title=title, dry_run=dry_run)
    saved = None
    if snapshot_path is not None and changes and not dry_run:
        saved = str(write_snapshot_file(snapshot_path, [c.snapshot for c in changes]))
        logger.info("Saved the snapshot of %d rule(s) to %s", len(changes), saved)
    for change in changes:
        logger.info(
            "%s%s: %s",
            "[dry run] " if dry_run else "",
            change.describe(),
            "; ".join(change.diff) or f"status -> {change.status}",
        )
    if dry_run or not changes:
        return saved

    def write(change: RuleChange) -> None:
        write_rule.with_options(task_run_name=rule_task_run_name("write", change.snapshot))(
            credentials, change
        )

    def restore(change: RuleChange) -> None:
        logger.warning("Restoring %s from the snapshot", change.describe())
        undo_rule.with_options(task_run_name=rule_task_run_name("restore", change.snapshot))(
            credentials, change
        )

    apply_all_or_restore(changes, write, restore, rule_reader(credentials))
    return saved
