"""The working-day calendar: statutory days, adjusted working days, and the days an admin adds."""

from ops_shared.calendar.overrides import (
    CALENDAR_DAYS,
    CALENDAR_INDEXES,
    keep_fresh,
    load_overrides,
)
from ops_shared.calendar.workdays import MAX_SCAN_DAYS, WorkCalendar

__all__ = [
    "CALENDAR_DAYS",
    "CALENDAR_INDEXES",
    "MAX_SCAN_DAYS",
    "WorkCalendar",
    "keep_fresh",
    "load_overrides",
]
