"""H2: duty periods, including those crossing midnight, and the order of staff records (H1)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from tickets.domain.duty import DutyAssignment, StaffRecord

DAY = date(2026, 12, 10)


def _duty(*periods: tuple[time, time]) -> DutyAssignment:
    return DutyAssignment(day=DAY, staff_id="a", role="aftersales", shift="s",
                          periods=periods, source="R-1")


def test_h2_a_period_within_the_day_covers_only_that_day() -> None:
    duty = _duty((time(9), time(12)))
    assert duty.covers(DAY, time(9)) and duty.covers(DAY, time(11, 59))
    assert not duty.covers(DAY, time(12)) and not duty.covers(DAY + timedelta(days=1), time(10))
    assert duty.id == "2026-12-10:a:s" and duty.month == "2026-12"


def test_h2_a_period_crossing_midnight_counts_toward_the_day_it_starts() -> None:
    duty = _duty((time(22), time(2)))
    assert duty.covers(DAY, time(22)) and duty.covers(DAY, time(23, 59))
    assert duty.covers(DAY + timedelta(days=1), time(1, 59))
    assert not duty.covers(DAY + timedelta(days=1), time(2))
    assert not duty.covers(DAY, time(1))  # the small hours of its own day belong to the day before
    assert not duty.covers(DAY + timedelta(days=1), time(22, 30))


def test_h1_an_older_staff_record_does_not_replace_a_newer_one() -> None:
    now = datetime(2026, 12, 10, tzinfo=UTC)
    newer = StaffRecord(id="a", display_name="a", role="aftersales", updated_at=now)
    older = StaffRecord(id="a", display_name="a", role="aftersales", active=False,
                        updated_at=now - timedelta(hours=1))
    assert not older.newer_than(newer) and newer.newer_than(older) and older.newer_than(None)
