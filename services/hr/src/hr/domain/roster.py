"""H2, H7, H12: the monthly duty roster of a team, its rotation generator and its publication.

A roster holds one entry per person and day (a shift code, holiday duty, and the swap that put
it there, H9). The supervisor generates it (shifts rotate every `rotation_days`, H2), edits it,
marks holiday duty (H7) and publishes it; publishing checks minimum staffing (H12) and sends
`hr.roster.published`. Approved swaps and leave change entries in place (H5, H11).
"""

from __future__ import annotations

import calendar as month_calendar
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from hr.domain.errors import NotFound, RuleRefused, ValidationFailed
from hr.domain.policy import HrPolicy, ShiftDef
from hr.domain.staff import Staff
from ops_shared.contracts.hr import DutyAssignment, RosterPublished, ShiftPeriod

RosterStatus = Literal["draft", "published"]


def month_of(day: date) -> str:
    return f"{day:%Y-%m}"


MIN_YEAR, MAX_YEAR = 2000, 2099  # the years the API accepts (`Month`)


def month_days(month: str) -> list[date]:
    """Every day of a `YYYY-MM` month."""
    try:
        year, number = (int(part) for part in month.split("-"))
        _, last = month_calendar.monthrange(year, number)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(year)
    except (ValueError, TypeError):
        raise ValidationFailed(f"not a month: {month!r}", field="month") from None
    return [date(year, number, d) for d in range(1, last + 1)]


def next_month(month: str) -> str:
    last = month_days(month)[-1]
    return month_of(last + timedelta(days=1))


def shift_window(day: date, shift: ShiftDef, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The shift's start and end on `day` in the shop's zone: a late shift ending at 23:30
    belongs to the day it started (Asia/Shanghai), whatever the UTC date."""
    return (datetime.combine(day, shift.start, tzinfo=tz),
            datetime.combine(day, shift.end, tzinfo=tz))


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


@dataclass(frozen=True)
class RosterEntry:
    """One person on one shift on one day."""

    day: date
    staff_id: str
    role: str
    shift: str
    holiday_duty: bool = False
    swap_id: str | None = None
    """H9: the swap that gave or took this day (换班/还班); such a day cannot be taken as leave."""

    def duty(self, policy: HrPolicy) -> DutyAssignment:
        shift = policy.shift(self.shift)
        periods = [ShiftPeriod(start=p.start, end=p.end) for p in shift.periods] if shift else []
        return DutyAssignment(day=self.day, staff_id=self.staff_id, role=self.role,  # type: ignore[arg-type]
                              shift=self.shift, periods=periods, holiday_duty=self.holiday_duty)


@dataclass
class Roster:
    """A team's roster for one month; `version` guards concurrent edits."""

    roster_id: str
    month: str
    team: str
    entries: list[RosterEntry] = field(default_factory=list)
    status: RosterStatus = "draft"
    version: int = 0
    published_at: datetime | None = None
    published_by: str | None = None

    @staticmethod
    def id_for(month: str, team: str) -> str:
        return f"{month}:{team}"

    def entry(self, day: date, staff_id: str) -> RosterEntry | None:
        return next((e for e in self.entries if e.day == day and e.staff_id == staff_id), None)

    def require(self, day: date, staff_id: str) -> RosterEntry:
        found = self.entry(day, staff_id)
        if found is None:
            raise NotFound(f"{staff_id} has no shift on {day} in roster {self.roster_id}")
        return found

    def on(self, day: date) -> list[RosterEntry]:
        return [e for e in self.entries if e.day == day]

    def set_entry(self, day: date, person: Staff, shift: str | None, policy: HrPolicy,
                  holiday_duty: bool = False) -> None:
        """H2/H7: the supervisor puts a person on a shift that day (None: off duty)."""
        if month_of(day) != self.month:
            raise ValidationFailed(f"{day} is not in {self.month}", field="day")
        self.entries = [e for e in self.entries if not (e.day == day
                                                         and e.staff_id == person.staff_id)]
        if shift is None:
            return
        definition = policy.shift(shift)
        if definition is None:
            raise ValidationFailed(f"unknown shift {shift!r}", field="shift")
        if person.role not in definition.roles:
            raise ValidationFailed(f"a {person.role} does not work {shift}", field="shift")
        self.entries.append(RosterEntry(day, person.staff_id, person.role, shift, holiday_duty))
        self.entries.sort(key=lambda e: (e.day, e.shift, e.staff_id))

    def publish(self, policy: HrPolicy, at: datetime, by: str) -> RosterPublished:
        """H2/H12: publish the month, refused while a shift is below minimum staffing."""
        gaps = staffing_gaps(self.entries, policy, month_days(self.month))
        if gaps:
            day, shift, have, need = gaps[0]
            raise RuleRefused("H12", "below_minimum_staffing",
                              f"{shift} on {day} has {have} staff, the minimum is {need} "
                              f"({len(gaps)} shift(s) short)")
        self.status, self.published_at, self.published_by = "published", at, by
        return RosterPublished(roster_id=self.roster_id, month=self.month, team=self.team,
                               assignments=[e.duty(policy) for e in self.entries])

    def replace_entries(self, removed: Sequence[RosterEntry],
                        added: Sequence[RosterEntry]) -> None:
        """Swap or leave: take entries out and put others in, in one change."""
        for old in removed:
            self.entries.remove(old)
        self.entries.extend(added)
        self.entries.sort(key=lambda e: (e.day, e.shift, e.staff_id))


def staffing_gaps(entries: Iterable[RosterEntry], policy: HrPolicy,
                  days: Iterable[date]) -> list[tuple[date, str, int, int]]:
    """H12: (day, shift, staff on it, minimum) for every shift below its minimum; only shifts
    this roster uses at all are checked (an order-desk roster has no customer-service shifts)."""
    entries = list(entries)
    counts = Counter((e.day, e.shift) for e in entries)
    used = {e.shift for e in entries}
    gaps = []
    for day in days:
        for shift in sorted(used):
            need = policy.min_staff.get(shift, 0)
            if counts[(day, shift)] < need:
                gaps.append((day, shift, counts[(day, shift)], need))
    return gaps


def rotate(month: str, team: str, members: Sequence[Staff], policy: HrPolicy) -> Roster:
    """H2: a month's roster that rotates every `rotation_days` days. Members whose roles share
    a shift pattern take its shifts in turn, each starting one step after the previous member,
    so every shift of the pattern is staffed every day when there are enough people."""
    roster = Roster(Roster.id_for(month, team), month, team)
    by_pattern: dict[tuple[str, ...], list[Staff]] = {}
    for person in sorted(members, key=lambda p: (p.role, p.staff_id)):
        if person.active and person.role in policy.rotation:
            by_pattern.setdefault(tuple(policy.rotation[person.role]), []).append(person)
    for index, day in enumerate(month_days(month)):
        block = index // max(policy.rotation_days, 1)
        for pattern, people in by_pattern.items():
            for position, person in enumerate(people):
                shift = pattern[(block + position) % len(pattern)]
                roster.entries.append(RosterEntry(day, person.staff_id, person.role, shift))
    roster.entries.sort(key=lambda e: (e.day, e.shift, e.staff_id))
    return roster


def swapped(entry: RosterEntry, staff: Staff, swap_id: str) -> RosterEntry:
    return replace(entry, staff_id=staff.staff_id, role=staff.role, swap_id=swap_id)
