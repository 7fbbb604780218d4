"""Holiday calendar sync: keep a Flashduty service calendar in step with public holidays.

:mod:`.flow` is the Prefect shell (the flow and its coarse tasks); the rest is the core:
:mod:`._sources` (holidays library and ICS sources), :mod:`._plan` (the pure diff by date),
:mod:`._request` (parameter checks before any request) and :mod:`._calendar` (the typed
client calls that read and write the calendar).
"""

from __future__ import annotations

from flashcat_prefect.flows.holiday._calendar import CalendarNotFoundError
from flashcat_prefect.flows.holiday._request import validate_sync_parameters
from flashcat_prefect.flows.holiday.flow import CalendarSyncReport, sync_holiday_calendar

__all__ = [
    "CalendarNotFoundError",
    "CalendarSyncReport",
    "sync_holiday_calendar",
    "validate_sync_parameters",
]
