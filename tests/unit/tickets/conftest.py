"""Fixtures for the tickets domain: a fake Calendar (Mon-Fri plus given holidays) and builders."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tickets.domain.model import Channel, Importance, Kind, Urgency
from tickets.domain.ports import Calendar, TimeRange
from tickets.domain.sla import SlaClock
from tickets.domain.ticket import OpenTicket, Ticket

SHANGHAI = ZoneInfo("Asia/Shanghai")
_OPEN_POLICIES = frozenset({"clock", "categories", "boost_tiers"})


class FakeCalendar:
    """Calendar with Monday-Friday working days minus the holidays it is given."""

    def __init__(self, holidays: Iterable[date] = (), tz: ZoneInfo = SHANGHAI) -> None:
        self.tz = tz
        self.holidays = frozenset(holidays)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, moment: datetime, n: int) -> datetime:
        local = moment.astimezone(self.tz)
        day, clock_time = local.date(), local.timetz().replace(tzinfo=None)
        if not self.is_working_day(day):
            day, clock_time = self._next_working_day(day), time(9, 0)
        for _ in range(n):
            day = self._next_working_day(day)
        return datetime.combine(day, clock_time, tzinfo=self.tz)

    def add_within_periods(
        self,
        moment: datetime,
        delta: timedelta,
        periods: Sequence[TimeRange],
        *,
        open_days: str = "all",
    ) -> datetime:
        remaining, cursor = delta, moment.astimezone(self.tz)
        for _ in range(366):
            for start, end in self._windows(cursor.date(), periods, open_days):
                begin = max(start, cursor)
                if begin < end and remaining <= end - begin:
                    return begin + remaining
                if begin < end:
                    remaining -= end - begin
            cursor = datetime.combine(cursor.date() + timedelta(days=1), time(0), tzinfo=self.tz)
        raise AssertionError("no staffed time within a year")

    def elapsed_within_periods(
        self,
        start: datetime,
        end: datetime,
        periods: Sequence[TimeRange],
        *,
        open_days: str = "all",
    ) -> timedelta:
        total, day = timedelta(0), start.astimezone(self.tz).date()
        while day <= end.astimezone(self.tz).date():
            for w_start, w_end in self._windows(day, periods, open_days):
                total += max(timedelta(0), min(w_end, end) - max(w_start, start))
            day += timedelta(days=1)
        return total

    def _next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def _windows(
        self, day: date, periods: Sequence[TimeRange], open_days: str
    ) -> list[tuple[datetime, datetime]]:
        if open_days == "working" and not self.is_working_day(day):
            return []
        return [
            (datetime.combine(day, s, tzinfo=self.tz), datetime.combine(day, e, tzinfo=self.tz))
            for s, e in periods
        ]


def _sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Shanghai wall-clock moment."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


# The 2026 National Day holiday, as in RULES.md's time-arithmetic examples.
NATIONAL_DAY = [date(2026, 10, d) for d in range(1, 8)]


@pytest.fixture
def calendar() -> Calendar:
    return FakeCalendar(NATIONAL_DAY)


@pytest.fixture
def clock(calendar: Calendar) -> SlaClock:
    return SlaClock(calendar)


@pytest.fixture
def sh() -> Callable[..., datetime]:
    """sh(2026, 11, 26, 10, 0): a Shanghai wall-clock moment."""
    return _sh


@pytest.fixture
def open_ticket(clock: SlaClock) -> Callable[..., Ticket]:
    """Builds a ticket; keyword arguments override the defaults of the OpenTicket command, or
    (clock, categories, boost_tiers) are passed on to Ticket.open."""

    def build(**overrides: object) -> Ticket:
        fields: dict[str, object] = {
            "id": "t-1",
            "number": "TK-20261126-0001",
            "customer_id": "c-1",
            "channel": Channel.IM,
            "kind": Kind.CONSULTATION,
            "description": "鞋码偏大吗？",
            "importance": Importance.LOW,
            "urgency": Urgency.LOW,
            "at": _sh(2026, 11, 26, 10, 0),
            "assignee_id": "agent-1",
        }
        policies: dict[str, object] = {"clock": clock}
        for name, value in overrides.items():
            (policies if name in _OPEN_POLICIES else fields)[name] = value
        ticket, _ = Ticket.open(OpenTicket(**fields), **policies)  # type: ignore[arg-type]
        return ticket

    return build
