"""Switch channel rules between a day-off profile and a working-day profile.

Example plan (YAML; load it with :meth:`CalendarProfilePlan.from_file`)::

    time_zone: Asia/Shanghai
    source:
      cal_id: cal.xxxxxxxxxxxxxxxxxxxxxx   # or: country: CN
    day_off:
      enable:
        - {kind: escalate, channel_id: 2001, rule_name: Holiday}
        - {kind: silence, channel_id: 2001, rule_name: Quiet days}
      disable:
        - {kind: escalate, channel_id: 2001, rule_name: Default}
    working_day:
      enable:
        - {kind: escalate, channel_id: 2001, rule_name: Default}
      disable:
        - {kind: escalate, channel_id: 2001, rule_name: Holiday}
        - {kind: silence, channel_id: 2001, rule_name: Quiet days}

``apply_calendar_profile(credentials, plan)`` decides whether the day (default: today in
the plan's time zone) is a day off, then brings the rules to that profile with the same
safety net as the rotation flow: checks before any write, a snapshot, all-or-nothing
writes, and nothing written when the rules already match.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.task_runners import ThreadPoolTaskRunner
from pydantic import Field

from flashcat_prefect.credentials import FlashcatCredentials
from flashcat_prefect.flows import _events
from flashcat_prefect.flows._records import record, records
from flashcat_prefect.flows.profile._days import (
    DayVerdict,
    calendar_day_verdict,
    event_years,
    holiday_day_verdict,
)
from flashcat_prefect.flows.profile._plan import (
    CalendarProfilePlan,
    DayOffSource,
    ProfileName,
    ProfileRuleResult,
    plan_profile,
)
from flashcat_prefect.flows.rotation._run import (
    MAX_WORKERS,
    RuleRunReport,
    check_then_plan,
    finish_run,
    load_plan,
    read_rules,
    with_escalation_details,
)
from flashcat_prefect.tasks._base import routine_task_options


class CalendarProfileReport(RuleRunReport):
    """Which profile a run applied, why, and what it changed."""

    day: date
    is_off: bool
    reason: str = Field(description="Why the day counts as a day off or a working day.")
    profile: ProfileName
    rules: list[ProfileRuleResult]

    def to_markdown(self) -> str:
        mode = " (dry run: nothing written)" if self.dry_run else ""
        lines = [
            f"# Calendar profile for {self.day.isoformat()}: {self.profile}{mode}",
            "",
            f"{self.reason}. {len(self.changed)} of {len(self.rules)} rule(s) change.",
            "",
        ]
        for rule in self.rules:
            state = "written" if rule.written else ("changes" if rule.changed else "unchanged")
            lines.append(
                f'- {rule.kind.label} rule "{rule.rule_name}" on channel {rule.channel_id}: '
                f"{state}" + (f" ({'; '.join(rule.diff)})" if rule.diff else "")
            )
        return "\n".join(lines) + "\n"


@task(**routine_task_options("decide-day", area="calendar"))
def decide_day(credentials: FlashcatCredentials, source: DayOffSource, day: date) -> DayVerdict:
    """Day off or working day, from the service calendar (with its extra calendars) or holidays."""
    if source.country is not None:
        return holiday_day_verdict(day, source.country, source.subdivision)
    years = event_years(day)
    with credentials.get_client() as client:
        info = record(client.calendars.info(cal_id=source.cal_id))
        events = [
            event
            for cal_id in [source.cal_id, *(info.get("extra_cal_ids") or [])]
            for year in years
            for event in records(client.calendars.list_events(cal_id=cal_id, year=year))
        ]
    return calendar_day_verdict(
        day, events, info.get("workdays"), count_weekends=source.count_weekends
    )


@flow(
    name="flashcat-apply-calendar-profile",
    description="Enable/disable channel rules depending on whether today is a day off.",
    task_runner=ThreadPoolTaskRunner(max_workers=MAX_WORKERS),
)
def apply_calendar_profile(
    credentials: FlashcatCredentials | str,
    plan: CalendarProfilePlan | dict[str, Any] | str,
    day: date | None = None,
    dry_run: bool = False,
    snapshot_path: str | None = None,
) -> CalendarProfileReport:
    """Apply the plan's day-off or working-day profile for ``day``.

    Args:
        credentials: a ``FlashcatCredentials`` block, or the name of a saved one.
        plan: a :class:`CalendarProfilePlan`, its dict form, or a YAML/JSON plan file path.
        day: the day to decide (default: today in the plan's time zone).
        dry_run: decide and publish the diff, write nothing.
        snapshot_path: also save the snapshot of the changed rules to this JSON file
            (only when the run writes; undo with ``restore_rule_snapshot``).

    Raises:
        PlanCheckError: the plan does not fit the live account (nothing was written).
        RuleChangeError: a write failed; the rules already changed were restored.
    """
    logger = get_run_logger()
    credentials = FlashcatCredentials.resolve(credentials)
    plan = load_plan(plan, CalendarProfilePlan)
    day = day or datetime.now(UTC).astimezone(ZoneInfo(plan.time_zone)).date()

    verdict = decide_day(credentials, plan.source, day)
    name: ProfileName = "day_off" if verdict.is_off else "working_day"
    profile = plan.profile(name)
    logger.info("%s: %s -> applying the %s profile", day.isoformat(), verdict.reason, name)

    rule_lists = read_rules(credentials, profile.rule_lists())
    rule_lists = with_escalation_details(credentials, rule_lists, profile.escalation_layers)
    results, changes = check_then_plan(
        credentials,
        person_ids=profile.person_ids(),
        team_ids=profile.team_ids(),
        schedule_ids=profile.schedule_ids(),
        rule_lists=rule_lists.values(),
        plan=lambda names: plan_profile(profile, rule_lists, names),
    )
    report = CalendarProfileReport(
        day=day,
        is_off=verdict.is_off,
        reason=verdict.reason,
        profile=name,
        dry_run=dry_run,
        rules=results,
        snapshots=[change.snapshot for change in changes],
    )
    report = finish_run(
        credentials,
        report,
        changes,
        snapshot_path=snapshot_path,
        rule_lists=rule_lists,
        key_prefix="calendar-profile",
        title="Calendar profile",
    )
    if not dry_run:
        _events.profile_applied(credentials, report, plan.source.cal_id)
    return report
