"""Escalation-rule rotation: put each week's (or shift's) on-call people on the layers.

:mod:`.flow` is the Prefect shell (``rotate_escalation_rules``, ``restore_rule_snapshot``);
:mod:`._run` holds the coarse tasks shared with the calendar profile. The core is pure:
:mod:`._rules` (rule addresses, layer bodies), :mod:`._plan` (who is on duty when) and
:mod:`._snapshot` (what a run read, how a change is written and undone).
"""

from __future__ import annotations

from flashcat_prefect.flows.rotation._plan import RotationDuty, RotationPlan, RuleRotationResult
from flashcat_prefect.flows.rotation._rules import PlanCheckError
from flashcat_prefect.flows.rotation._snapshot import RuleChangeError
from flashcat_prefect.flows.rotation.flow import (
    RotationReport,
    restore_rule_snapshot,
    rotate_escalation_rules,
)

__all__ = [
    "PlanCheckError",
    "RotationDuty",
    "RotationPlan",
    "RotationReport",
    "RuleChangeError",
    "RuleRotationResult",
    "restore_rule_snapshot",
    "rotate_escalation_rules",
]
