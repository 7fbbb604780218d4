"""Ready-made routines composed from the client and tasks.

Names are resolved lazily so that importing one flow does not import pandas, holidays and
every other routine's dependencies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flashcat_prefect._lazy import lazy_names

if TYPE_CHECKING:  # what type checkers see; at run time __getattr__ imports on first use
    from flashcat_prefect.flows.holiday import CalendarSyncReport, sync_holiday_calendar
    from flashcat_prefect.flows.metrics import (
        MetricsExportReport,
        export_incident_metrics,
        load_exported_incidents,
    )
    from flashcat_prefect.flows.profile import (
        CalendarProfilePlan,
        CalendarProfileReport,
        apply_calendar_profile,
    )
    from flashcat_prefect.flows.rotation import (
        RotationPlan,
        RotationReport,
        restore_rule_snapshot,
        rotate_escalation_rules,
    )

_LAZY = {
    # holiday calendar sync
    "sync_holiday_calendar": "flashcat_prefect.flows.holiday",
    "CalendarSyncReport": "flashcat_prefect.flows.holiday",
    # escalation-rule rotation and calendar-driven profiles
    "rotate_escalation_rules": "flashcat_prefect.flows.rotation",
    "RotationPlan": "flashcat_prefect.flows.rotation",
    "RotationReport": "flashcat_prefect.flows.rotation",
    "restore_rule_snapshot": "flashcat_prefect.flows.rotation",
    "apply_calendar_profile": "flashcat_prefect.flows.profile",
    "CalendarProfilePlan": "flashcat_prefect.flows.profile",
    "CalendarProfileReport": "flashcat_prefect.flows.profile",
    # incident metrics export
    "export_incident_metrics": "flashcat_prefect.flows.metrics",
    "MetricsExportReport": "flashcat_prefect.flows.metrics",
    "load_exported_incidents": "flashcat_prefect.flows.metrics",
}

__getattr__, __dir__ = lazy_names(__name__, _LAZY)


__all__ = [
    "CalendarProfilePlan",
    "CalendarProfileReport",
    "CalendarSyncReport",
    "MetricsExportReport",
    "RotationPlan",
    "RotationReport",
    "apply_calendar_profile",
    "export_incident_metrics",
    "load_exported_incidents",
    "restore_rule_snapshot",
    "rotate_escalation_rules",
    "sync_holiday_calendar",
]
