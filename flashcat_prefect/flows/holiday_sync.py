"""Old home of the holiday sync, kept so deployments registered with the entrypoint
``flashcat_prefect.flows.holiday_sync:sync_holiday_calendar`` keep loading.

New code imports from :mod:`flashcat_prefect.flows.holiday`.
"""

from __future__ import annotations

from flashcat_prefect.flows.holiday import CalendarSyncReport, sync_holiday_calendar

__all__ = ["CalendarSyncReport", "sync_holiday_calendar"]
