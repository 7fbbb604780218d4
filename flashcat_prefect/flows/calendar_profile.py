"""Old home of the calendar profile flow, kept so deployments registered with the entrypoint
``flashcat_prefect.flows.calendar_profile:apply_calendar_profile`` keep loading.

New code imports from :mod:`flashcat_prefect.flows.profile`.
"""

from __future__ import annotations

from flashcat_prefect.flows.profile import (
    CalendarProfilePlan,
    CalendarProfileReport,
    apply_calendar_profile,
)

__all__ = ["CalendarProfilePlan", "CalendarProfileReport", "apply_calendar_profile"]
