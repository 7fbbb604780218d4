"""Calendar profiles: switch escalation rules between a working-day and a day-off setup.

:mod:`.flow` is the Prefect shell (``apply_calendar_profile``); the core is pure:
:mod:`._days` (is a day off, from a service calendar or public holidays) and :mod:`._plan`
(the profile plan and which layers and statuses it sets). It writes through the rotation
routine's run helpers.
"""

from __future__ import annotations

from flashcat_prefect.flows.profile._plan import (
    CalendarProfilePlan,
    DayOffSource,
    LayerRecipients,
    LayerReplacement,
    ProfileRule,
    ProfileRuleResult,
    RuleProfile,
)
from flashcat_prefect.flows.profile.flow import CalendarProfileReport, apply_calendar_profile
from flashcat_prefect.flows.rotation import PlanCheckError, RuleChangeError

__all__ = [
    "CalendarProfilePlan",
    "CalendarProfileReport",
    "DayOffSource",
    "LayerRecipients",
    "LayerReplacement",
    "PlanCheckError",
    "ProfileRule",
    "ProfileRuleResult",
    "RuleChangeError",
    "RuleProfile",
    "apply_calendar_profile",
]
