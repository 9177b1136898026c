"""Working-day calendar and staffed-hours clock: mainland-China statutory days plus admin days."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

# Ten years: far beyond any real deadline, yet stops a bad input (or an admin who marks
# every day a holiday) from looping forever.
MAX_SCAN_DAYS = 3660
DEFAULT_WORK_PERIODS: tuple[tuple[time, time], ...] = (
    (time(9, 0), time(12, 0)),
    (time(13, 0), time(18, 0)),
)
_OPEN_DAYS = ("all", "working")

Periods = Sequence[tuple[time, time]]


class WorkCalendar:
    """Decides working days in the shop's zone and does deadline arithmetic on them."""

    def __init__(
        self,
        tz: str = "Asia/Shanghai",
        *,
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        weekly_workdays: Iterable[int] = (0, 1, 2, 3, 4),
        day_start: time = time(9, 0),
        on_missing_year: Callable[[int], None] | None = None,
    ) -> None:
        self.tz = ZoneInfo(tz)
        self.weekly_workdays = frozenset(weekly_workdays)
        if not self.weekly_workdays <= set(range(7)):
            raise ValueError(
                f"weekly_workdays must be weekday numbers 0..6, got {sorted(self.weekly_workdays)}"
            )
        self.day_start = day_start
        self.missing_years: set[int] = set()
        self._on_missing_year = on_missing_year
        self._covered: dict[int, bool] = {}
        self._overrides: tuple[frozenset[date], frozenset[date]] = (frozenset(), frozenset())
        self.set_overrides(holidays=extra_holidays, workdays=extra_workdays)

    def set_overrides(self, *, holidays: Iterable[date], workdays: Iterable[date]) -> None:
        """Replace the admin-entered shop holidays and extra working days."""
        hol, work = frozenset(holidays), frozenset(workdays)
        if both := hol & work:
            raise ValueError(f"dates both holiday and workday: {sorted(both)}")
        # One tuple assignment so a concurrent reader never sees new holidays with old workdays.
        self._overrides = (hol, work)

    def covers_year(self, year: int) -> bool:
        """Whether the chinese_calendar package knows the statutory days of `year`."""
        if year not in self._covered:
            try:
                chinese_calendar.get_holiday_detail(date(year, 1, 1))
                self._covered[year] = True
            except NotImplementedError:
                self._covered[year] = False
        return self._covered[year]

    def is_working_day(self, d: date) -> bool:
        """Whether the shop works on day `d` (admin entries win over the statutory calendar)."""
        if isinstance(d, datetime):
            raise TypeError(
                "is_working_day takes a date; convert the datetime to the shop zone first"
            )
        holidays, workdays = self._overrides
        if not self.covers_year(d.year):
            self._note_missing(d.year)
        if d in holidays:
            return False
        if d in workdays:
            return True
        if self.covers_year(d.year):
            is_holiday, name = chinese_calendar.get_holiday_detail(d)
            # A name marks a statutory holiday or an adjusted working weekend (调休); other
            # days follow the shop's weekly pattern (equal to the package's for Mon-Fri).
            if name is not None:
                return not is_holiday
        return d.weekday() in self.weekly_workdays

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        for day in _days_from(d + timedelta(days=1)):
            if self.is_working_day(day):
                return day
        raise AssertionError("unreachable")  # pragma: no cover

    def add_working_days(self, moment: datetime, n: int) -> datetime:
        """Same wall-clock time on the n-th working day after `moment`.

        A moment on a day off is first moved to `day_start` of the next working day.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        local = self._local(moment)
        day, wall = local.date(), local.time()
        if not self.is_working_day(day):
            # Rulebook: a moment on a day off counts from the opening of the next working day.
            day, wall = self.next_working_day(day), self.day_start
        scanned = 0
        for _ in range(n):
            following = self.next_working_day(day)
            scanned += (following - day).days
            if scanned > MAX_SCAN_DAYS:
                raise ValueError(f"more than {MAX_SCAN_DAYS} days searched for {n} working days")
            day = following
        return self._at(day, wall)

    def working_days_between(self, start: date, end: date) -> int:
        """Number of working days in (start, end]; 0 when end <= start."""
        span = (end - start).days
        if span > MAX_SCAN_DAYS:
            raise ValueError(f"span of {span} days exceeds {MAX_SCAN_DAYS}")
        return sum(self.is_working_day(start + timedelta(days=i)) for i in range(1, span + 1))

    def add_within_periods(
        self, moment: datetime, delta: timedelta, periods: Periods, *, open_days: str = "all"
    ) -> datetime:
        """Moment at which `delta` of time inside the daily periods has run from `moment`."""
        if delta < timedelta(0):
            raise ValueError(f"delta must be >= 0, got {delta}")
        cursor, remaining = _utc(self._local(moment)), delta
        for begin, end in self._open_windows(cursor, periods, open_days):
            begin = max(begin, cursor)
            if remaining <= end - begin:
                return (begin + remaining).astimezone(self.tz)
            remaining -= end - begin
        raise ValueError(f"no room for {delta} within {MAX_SCAN_DAYS} days")

    def elapsed_within_periods(
        self, start: datetime, end: datetime, periods: Periods, *, open_days: str = "all"
    ) -> timedelta:
        """Time inside the daily periods between `start` and `end` (zero when end <= start)."""
        lo, hi = _utc(self._local(start)), _utc(self._local(end))
        total = timedelta(0)
        for begin, stop in self._open_windows(lo, periods, open_days):
            if begin >= hi:
                return total
            total += max(min(stop, hi) - max(begin, lo), timedelta(0))
        raise ValueError(f"span exceeds {MAX_SCAN_DAYS} days")

    def add_working_hours(
        self, moment: datetime, hours: float, *, periods: Periods = DEFAULT_WORK_PERIODS
    ) -> datetime:
        """Add `hours` of staffed time within `periods` on working days only."""
        return self.add_within_periods(moment, timedelta(hours=hours), periods, open_days="working")

    # -- helpers ---------------------------------------------------------------------------

    def _note_missing(self, year: int) -> None:
        if year in self.missing_years:
            return
        self.missing_years.add(year)
        if self._on_missing_year is not None:
            self._on_missing_year(year)

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"naive datetime refused: {moment!r}; give a time zone")
        return moment.astimezone(self.tz)

    def _at(self, day: date, wall: time) -> datetime:
        # Build wall-clock times directly: adding timedeltas across days drifts in DST zones.
        return datetime.combine(day, wall.replace(tzinfo=None), tzinfo=self.tz)

    def _open_windows(
        self, since: datetime, periods: Periods, open_days: str
    ) -> Iterator[tuple[datetime, datetime]]:
        """UTC period windows ending after `since`, in order, on open days, within MAX_SCAN_DAYS."""
        _check_periods(periods)
        if open_days not in _OPEN_DAYS:
            raise ValueError(f"open_days must be one of {_OPEN_DAYS}, got {open_days!r}")
        for day in _days_from(since.astimezone(self.tz).date()):
            if open_days == "working" and not self.is_working_day(day):
                continue
            for start, end in periods:
                stop = _utc(self._at(day, end))
                if stop > since:
                    yield _utc(self._at(day, start)), stop


def _days_from(first: date) -> Iterator[date]:
    for i in range(MAX_SCAN_DAYS + 1):
        yield first + timedelta(days=i)
    raise ValueError(f"no suitable day within {MAX_SCAN_DAYS} days of {first}")


def _check_periods(periods: Periods) -> None:
    if not periods:
        raise ValueError("periods must not be empty")
    previous_end: time | None = None
    for start, end in periods:
        if not start < end:
            raise ValueError(f"period {start}-{end}: start must be before end (same day)")
        if previous_end is not None and start < previous_end:
            raise ValueError("periods must be sorted and must not overlap")
        previous_end = end


def _utc(moment: datetime) -> datetime:
    # Datetimes sharing one tzinfo compare and subtract by wall clock, ignoring offsets;
    # doing the arithmetic in UTC keeps it exact even in zones with DST.
    return moment.astimezone(UTC)
