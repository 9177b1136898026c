"""H2, H3, H12, H13 on the pure domain: rotation, publishing, Asia/Shanghai days, derived
attendance and presence findings."""

from datetime import UTC, date, datetime, time

import pytest

from hr.domain.attendance import derive, parse_punch_csv
from hr.domain.errors import RuleRefused, ValidationFailed
from hr.domain.policy import HrPolicy
from hr.domain.presence import PresenceChange, findings
from hr.domain.roster import month_days, next_month, rotate, shift_window
from hr.domain.staff import Staff
from unit.hr.fakes import SHANGHAI, at

POLICY = HrPolicy()
EARLY, LATE = POLICY.shift("cs_early"), POLICY.shift("cs_late")


def _team() -> list[Staff]:
    return [Staff("a1", "A1", "aftersales", "cs"), Staff("a2", "A2", "aftersales", "cs"),
            Staff("p1", "P1", "presales", "cs"), Staff("p2", "P2", "presales", "cs"),
            Staff("d1", "D1", "order_desk", "cs"), Staff("w1", "W1", "warehouse", "cs")]


def test_h2_default_shifts_include_split_shifts_with_a_break() -> None:
    assert [(p.start, p.end) for p in EARLY.periods] == [(time(9), time(11, 30)),
                                                         (time(12, 30), time(18, 30))]
    assert [(b.start, b.end) for b in LATE.breaks()] == [(time(17, 30), time(18, 30))]
    assert LATE.late and not EARLY.late


def test_h2_rotation_changes_shift_every_five_days_and_covers_each_shift() -> None:
    roster = rotate("2026-12", "cs", _team(), POLICY)
    a1 = [e.shift for e in roster.entries if e.staff_id == "a1"]
    assert a1[:11] == ["cs_early"] * 5 + ["cs_late"] * 5 + ["cs_early"]
    assert len(a1) == 31
    for day in month_days("2026-12"):
        shifts = sorted(e.shift for e in roster.on(day) if e.role == "aftersales")
        assert shifts == ["cs_early", "cs_late"]
    assert {e.shift for e in roster.entries if e.staff_id == "d1"} == {"desk_early"}
    assert not [e for e in roster.entries if e.staff_id == "w1"]


def test_h12_publish_refused_below_minimum_staffing() -> None:
    roster = rotate("2026-12", "cs", [Staff("a1", "A1", "aftersales", "cs")], POLICY)
    with pytest.raises(RuleRefused) as refused:
        roster.publish(POLICY, datetime.now(UTC), "sup")
    assert refused.value.rule == "H12" and refused.value.reason == "below_minimum_staffing"


def test_h2_publish_gives_every_duty_with_its_periods() -> None:
    roster = rotate("2026-12", "cs", _team(), POLICY)
    event = roster.publish(POLICY, datetime.now(UTC), "sup")
    assert event.month == "2026-12" and event.team == "cs"
    assert len(event.assignments) == 31 * 5
    late = next(a for a in event.assignments if a.shift == "cs_late")
    assert late.periods[-1].end == time(23, 30)


def test_h7_holiday_duty_marked_by_supervisor() -> None:
    roster = rotate("2026-12", "cs", _team(), POLICY)
    roster.set_entry(date(2026, 12, 25), _team()[0], "cs_early", POLICY, holiday_duty=True)
    assert roster.entry(date(2026, 12, 25), "a1").holiday_duty
    with pytest.raises(ValidationFailed):
        roster.set_entry(date(2026, 12, 25), _team()[4], "cs_early", POLICY)


def test_month_boundaries() -> None:
    assert len(month_days("2026-02")) == 28 and len(month_days("2028-02")) == 29
    assert next_month("2026-12") == "2027-01"
    with pytest.raises(ValidationFailed):
        month_days("2026-13")


def test_late_shift_ending_2330_belongs_to_its_shanghai_day() -> None:
    _start, end = shift_window(date(2026, 12, 31), LATE, SHANGHAI)
    assert end.astimezone(UTC) == datetime(2026, 12, 31, 15, 30, tzinfo=UTC)
    assert end.astimezone(SHANGHAI).date() == date(2026, 12, 31)
    # The last punch at 23:29 Shanghai is 15:29 UTC; a 00:10 Shanghai punch is the next day.
    att = derive(date(2026, 12, 31), "a", LATE, [at(31, 12, 58), at(31, 23, 31)], {},
                 SHANGHAI, 120, at(2, 0, month=1, year=2027))
    assert att.status == "on_time" and att.clock_out == at(31, 23, 31)


def _att(punches, corrections=None, now=None):
    return derive(date(2026, 12, 2), "a", EARLY, punches, corrections or {}, SHANGHAI, 120,
                  now or at(3, 9))


def test_h3_attendance_on_time_late_early_absent() -> None:
    assert _att([at(2, 8, 55), at(2, 18, 31)]).status == "on_time"
    late = _att([at(2, 9, 7), at(2, 18, 31)])
    assert (late.status, late.late_minutes) == ("late", 7)
    early = _att([at(2, 8, 50), at(2, 18, 0)])
    assert (early.status, early.early_leave_minutes) == ("early_leave", 30)
    assert _att([]).status == "absent"
    assert _att([at(2, 8, 50)], now=at(2, 12)).status == "upcoming"


def test_h4_missing_punch_and_its_approved_explanation() -> None:
    missing = _att([at(2, 8, 55)])
    assert (missing.status, missing.missing) == ("missing_punch", ("out",))
    fixed = _att([at(2, 8, 55)], {"out": at(2, 18, 30)})
    assert (fixed.status, fixed.explained) == ("on_time", ("out",))


def test_h3_punch_csv_naive_times_are_shop_time_and_bad_rows_refuse_the_file() -> None:
    rows = parse_punch_csv("punch_id,staff_id,at\nD1,a,2026-12-02T08:55:00\n", SHANGHAI)
    assert rows == [("D1", "a", at(2, 8, 55))]
    with pytest.raises(ValidationFailed):
        parse_punch_csv("punch_id,staff_id,at\nD1,a,yesterday\n", SHANGHAI)
    with pytest.raises(ValidationFailed):
        parse_punch_csv("id,who\n1,a\n", SHANGHAI)


def _presence(*changes):
    return [PresenceChange(str(i), "a", status, moment, "im")
            for i, (status, moment) in enumerate(changes)]


def test_h13_offline_during_a_shift_is_one_finding_per_stretch() -> None:
    changes = _presence(("online", at(2, 8, 50)), ("offline", at(2, 10)),
                        ("online", at(2, 10, 20)), ("invisible", at(2, 15)),
                        ("away", at(2, 15, 5)))
    found = findings(date(2026, 12, 2), EARLY, changes, [], SHANGHAI)
    assert [(f.kind, f.at) for f in found if f.kind == "offline"] == [
        ("offline", at(2, 10)), ("offline", at(2, 15))]


def test_h13_approved_offline_window_is_not_a_finding() -> None:
    changes = _presence(("online", at(2, 8, 50)), ("offline", at(2, 10)),
                        ("online", at(2, 10, 20)))
    found = findings(date(2026, 12, 2), EARLY, changes, [(at(2, 9, 50), at(2, 10, 30))],
                     SHANGHAI)
    assert [f for f in found if f.kind == "offline"] == []


def test_h13_online_during_the_break_costs_points_once_per_break() -> None:
    changes = _presence(("online", at(2, 8, 50)))
    found = findings(date(2026, 12, 2), EARLY, changes, [], SHANGHAI)
    assert [(f.kind, f.at) for f in found] == [("online_on_break", at(2, 11, 30))]
    away = _presence(("online", at(2, 8, 50)), ("away", at(2, 11, 30)),
                     ("online", at(2, 12, 30)))
    assert findings(date(2026, 12, 2), EARLY, away, [], SHANGHAI) == []
