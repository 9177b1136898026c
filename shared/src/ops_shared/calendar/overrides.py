"""Holidays and extra working days that an admin adds at run time, kept in the database."""

from __future__ import annotations

import asyncio
from datetime import date

import structlog
from pymongo import IndexModel

from ops_shared.calendar.workdays import WorkCalendar
from ops_shared.persistence.indexes import Indexes
from ops_shared.persistence.unit_of_work import Database

log = structlog.get_logger(__name__)
CALENDAR_DAYS = "calendar_days"
CALENDAR_INDEXES = Indexes(CALENDAR_DAYS, (IndexModel([("kind", 1)], name="kind"),))


async def load_overrides(database: Database, calendar: WorkCalendar) -> None:
    """Read the admin's days into the calendar (at start and after each change)."""
    docs = await database.db[CALENDAR_DAYS].find({}).to_list()
    holidays = [date.fromisoformat(d["_id"]) for d in docs if d["kind"] == "holiday"]
    workdays = [date.fromisoformat(d["_id"]) for d in docs if d["kind"] == "workday"]
    calendar.set_overrides(holidays=holidays, workdays=workdays)


async def keep_fresh(database: Database, calendar: WorkCalendar, every_s: float) -> None:
    """Re-read the admin's days periodically, so every replica sees another's changes."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await load_overrides(database, calendar)
        except Exception as exc:  # keep the days we have; try again next time
            log.warning("calendar.refresh_failed", error=str(exc)[:200])
