"""Unit tests of the shop working-day calendar (values checked against chinesecalendar 1.11.0)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ops_shared.calendar import WorkCalendar

SH = ZoneInfo("Asia/Shanghai")
STAFFED = ((time(9, 0), time(11, 30)), (time(12, 30), time(23, 30)))


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SH)


def test_calendar_statutory_days_and_adjusted_weekends_2026() -> None:
    cal = WorkCalendar()
    assert cal.is_working_day(date(2026, 9, 20))  # Sunday made a working day (调休)
    assert not any(cal.is_working_day(date(2026, 9, d)) for d in (25, 26, 27))  # Mid-Autumn
    assert all(cal.is_working_day(date(2026, 9, d)) for d in (28, 29, 30))
    assert not any(cal.is_working_day(date(2026, 10, d)) for d in range(1, 8))  # National Day
    assert cal.is_working_day(date(2026, 10, 10))  # Saturday made a working day
    assert not cal.is_working_day(date(2026, 10, 11))  # ordinary Sunday
    assert cal.covers_year(2026) and not cal.covers_year(2027)
    assert cal.missing_years == set()


def test_calendar_friday_before_statutory_holiday() -> None:
    # Fri 25 Sep is itself the Mid-Autumn holiday (25-27); the next working day is Mon 28 Sep.
    cal = WorkCalendar()
    assert cal.add_working_days(at(2026, 9, 24, 14), 1) == at(2026, 9, 28, 14)
    # 28, 29, 30 Sep work, then 1-7 Oct are off: the 4th working day is Thu 8 Oct.
    assert cal.add_working_days(at(2026, 9, 24, 14), 4) == at(2026, 10, 8, 14)


def test_calendar_adjusted_working_saturday() -> None:
    cal = WorkCalendar()
    assert cal.add_working_days(at(2026, 10, 9, 10), 1) == at(2026, 10, 10, 10)
    assert cal.add_working_days(at(2026, 10, 10, 10), 1) == at(2026, 10, 12, 10)


def test_rules_example_wednesday_before_national_day() -> None:
    cal = WorkCalendar()
    assert cal.add_working_days(at(2026, 9, 30, 10), 1) == at(2026, 10, 8, 10)


def test_rules_example_saturday_in_holiday() -> None:
    # Sat 3 Oct is a day off: the moment becomes Thu 8 Oct 09:00, then +1 working day.
    cal = WorkCalendar()
    assert cal.add_working_days(at(2026, 10, 3, 15), 1) == at(2026, 10, 9, 9)


def test_calendar_zero_working_days_moves_day_off_to_day_start() -> None:
    cal = WorkCalendar()
    assert cal.add_working_days(at(2026, 10, 3, 15), 0) == at(2026, 10, 8, 9)
    assert cal.add_working_days(at(2026, 10, 8, 15), 0) == at(2026, 10, 8, 15)


def test_calendar_admin_holiday() -> None:
    cal = WorkCalendar(extra_holidays=[date(2026, 9, 28)])
    assert not cal.is_working_day(date(2026, 9, 28))
    assert cal.add_working_days(at(2026, 9, 24, 14), 1) == at(2026, 9, 29, 14)


def test_calendar_admin_workday() -> None:
    cal = WorkCalendar(extra_workdays=[date(2026, 9, 19)])  # an ordinary Saturday
    assert cal.add_working_days(at(2026, 9, 18, 10), 1) == at(2026, 9, 19, 10)
    # Admin entries win over statutory holidays too, and can be replaced at run time.
    cal.set_overrides(holidays=[date(2026, 10, 10)], workdays=[date(2026, 10, 2)])
    assert not cal.is_working_day(date(2026, 9, 19))
    assert cal.is_working_day(date(2026, 10, 2))
    assert not cal.is_working_day(date(2026, 10, 10))
    assert cal.add_working_days(at(2026, 9, 30, 10), 1) == at(2026, 10, 2, 10)


def test_calendar_admin_entry_cannot_be_both_holiday_and_workday() -> None:
    with pytest.raises(ValueError):
        WorkCalendar(extra_holidays=[date(2026, 9, 28)], extra_workdays=[date(2026, 9, 28)])


def test_calendar_missing_year_uses_weekly_pattern_and_admin_days() -> None:
    seen: list[int] = []
    cal = WorkCalendar(extra_holidays=[date(2027, 1, 1)], on_missing_year=seen.append)
    # Fri 1 Jan 2027 admin holiday, Sat/Sun weekly pattern off: Mon 4 (+1), Tue 5 (+2).
    assert cal.add_working_days(at(2026, 12, 31, 10), 2) == at(2027, 1, 5, 10)
    assert cal.is_working_day(date(2027, 1, 6))
    assert not cal.is_working_day(date(2027, 1, 9))
    assert cal.missing_years == {2027}
    assert seen == [2027]


def test_calendar_search_is_bounded() -> None:
    cal = WorkCalendar(weekly_workdays=())  # from 2027 on no day is ever a working day
    with pytest.raises(ValueError):
        cal.next_working_day(date(2027, 1, 1))


def test_calendar_next_working_day_and_count_between() -> None:
    cal = WorkCalendar()
    assert cal.next_working_day(date(2026, 9, 30)) == date(2026, 10, 8)
    assert cal.next_working_day(date(2026, 10, 9)) == date(2026, 10, 10)
    assert cal.working_days_between(date(2026, 9, 24), date(2026, 10, 8)) == 4
    assert cal.working_days_between(date(2026, 10, 8), date(2026, 10, 8)) == 0


def test_calendar_accepts_other_zones_and_returns_shop_zone() -> None:
    cal = WorkCalendar()
    due = cal.add_working_days(datetime(2026, 9, 30, 2, tzinfo=UTC), 1)  # 10:00 in Shanghai
    assert due == at(2026, 10, 8, 10)
    assert due.tzinfo == SH and due.hour == 10


def test_calendar_naive_datetime_refused() -> None:
    cal = WorkCalendar()
    with pytest.raises(ValueError):
        cal.add_working_days(datetime(2026, 9, 30, 10), 1)
    with pytest.raises(ValueError):
        cal.add_within_periods(datetime(2026, 9, 30, 10), timedelta(minutes=3), STAFFED)


def test_staffed_periods_clock_skips_lunch_break() -> None:
    cal = WorkCalendar()
    assert cal.add_within_periods(at(2026, 10, 3, 11, 29), timedelta(minutes=3), STAFFED) == at(
        2026, 10, 3, 12, 32
    )


def test_staffed_periods_clock_runs_over_to_next_morning() -> None:
    cal = WorkCalendar()
    assert cal.add_within_periods(at(2026, 10, 3, 23, 29), timedelta(minutes=3), STAFFED) == at(
        2026, 10, 4, 9, 2
    )


def test_staffed_periods_clock_starts_at_next_period_when_outside() -> None:
    cal = WorkCalendar()
    assert cal.add_within_periods(at(2026, 10, 3, 7, 0), timedelta(minutes=5), STAFFED) == at(
        2026, 10, 3, 9, 5
    )
    assert cal.add_within_periods(at(2026, 10, 3, 12, 0), timedelta(0), STAFFED) == at(
        2026, 10, 3, 12, 30
    )


def test_staffed_periods_working_days_only() -> None:
    cal = WorkCalendar()
    due = cal.add_within_periods(
        at(2026, 9, 30, 23, 29), timedelta(minutes=3), STAFFED, open_days="working"
    )
    assert due == at(2026, 10, 8, 9, 2)


def test_staffed_periods_elapsed_is_inverse_of_add() -> None:
    cal = WorkCalendar()
    assert cal.elapsed_within_periods(
        at(2026, 10, 3, 11, 29), at(2026, 10, 3, 12, 32), STAFFED
    ) == timedelta(minutes=3)
    assert cal.elapsed_within_periods(
        at(2026, 10, 3, 23, 29), at(2026, 10, 4, 9, 2), STAFFED
    ) == timedelta(minutes=3)
    start, delta = at(2026, 9, 30, 17, 0), timedelta(hours=30, minutes=7)
    for open_days in ("all", "working"):
        end = cal.add_within_periods(start, delta, STAFFED, open_days=open_days)
        assert cal.elapsed_within_periods(start, end, STAFFED, open_days=open_days) == delta
    assert cal.elapsed_within_periods(at(2026, 10, 4), at(2026, 10, 3), STAFFED) == timedelta(0)


def test_working_hours_skip_days_off() -> None:
    cal = WorkCalendar()
    # Wed 30 Sep 17:00: one hour left that day, then the next working day is Thu 8 Oct.
    assert cal.add_working_hours(at(2026, 9, 30, 17), 2) == at(2026, 10, 8, 10)
    assert cal.add_working_hours(at(2026, 10, 8, 11), 1.5) == at(2026, 10, 8, 13, 30)


def test_periods_and_open_days_are_validated() -> None:
    cal = WorkCalendar()
    with pytest.raises(ValueError):
        cal.add_within_periods(at(2026, 10, 3, 9), timedelta(minutes=1), [(time(12), time(11))])
    with pytest.raises(ValueError):
        cal.add_within_periods(
            at(2026, 10, 3, 9), timedelta(minutes=1), STAFFED, open_days="weekdays"
        )
