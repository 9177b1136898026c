"""Who works here and who is on duty, as hr tells it (H1, H2, H5, H11), for assignment (T1).

A duty period whose end is not after its start crosses midnight (22:00-02:00): it belongs to
the day it starts on and covers the first hours of the next day too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from tickets.domain.ports import TimeRange


@dataclass(frozen=True, kw_only=True)
class StaffRecord:
    """H1: what hr said of a staff member: role, team, and whether they still work here."""

    id: str
    display_name: str
    role: str
    team: str | None = None
    supervisor_id: str | None = None
    active: bool = True
    updated_at: datetime | None = None

    def newer_than(self, stored: StaffRecord | None) -> bool:
        """Retries reorder events: an older record never replaces a newer one."""
        if stored is None or stored.updated_at is None or self.updated_at is None:
            return True
        return stored.updated_at <= self.updated_at


def crosses_midnight(period: TimeRange) -> bool:
    start, end = period
    return end <= start


@dataclass(frozen=True, kw_only=True)
class DutyAssignment:
    """H2: one person on one shift on one day, from a roster (`source`) of a team."""

    day: date
    staff_id: str
    role: str
    shift: str
    periods: tuple[TimeRange, ...]
    holiday_duty: bool = False
    source: str
    team: str | None = None

    @property
    def id(self) -> str:
        """One entry per person, day and shift: the latest roster or change holds it."""
        return duty_id(self.day, self.staff_id, self.shift)

    @property
    def month(self) -> str:
        return f"{self.day:%Y-%m}"

    def covers(self, day: date, at: time) -> bool:
        """On duty at wall-clock `at` on `day`, counting periods that cross midnight."""
        moment = at.replace(tzinfo=None)
        for start, end in self.periods:
            if not crosses_midnight((start, end)):
                if day == self.day and start <= moment < end:
                    return True
            elif (day == self.day and moment >= start) or (
                    day == self.day + timedelta(days=1) and moment < end):
                return True
        return False


def duty_id(day: date, staff_id: str, shift: str) -> str:
    return f"{day.isoformat()}:{staff_id}:{shift}"


def days_to_look_at(day: date) -> Sequence[date]:
    """The duty that can cover a moment of `day`: that day's, and the day before's when one of
    its periods crosses midnight."""
    return (day - timedelta(days=1), day)
