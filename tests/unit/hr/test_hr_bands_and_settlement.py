"""H14-H16, H20-H22 on the pure domain: marginal point bands, award, dismissal flag, team rule,
bonuses, the settlement's state machine and the payroll table."""

from datetime import UTC, datetime

import pytest

from hr.domain.bands import award_fen, dismissal_flag, point_fine_fen, team_rule_fen
from hr.domain.errors import NotAllowed, RuleRefused, TransitionRefused, ValidationFailed
from hr.domain.ledger import LedgerEntry, dated, non_work_step, score
from hr.domain.policy import YUAN, HrPolicy
from hr.domain.settlement import PAYROLL_HEADERS, Settlement, payroll_rows, settle
from hr.domain.staff import Staff

POLICY = HrPolicy()
NOW = datetime(2026, 12, 30, tzinfo=UTC)


def _points(staff_id: str, amount: int, n: int = 0, month: str = "2026-12",
            kind: str = "points", flag=None) -> LedgerEntry:
    return LedgerEntry(f"e{staff_id}{n}", staff_id, month, kind, amount, "H17",
                       f"event:{staff_id}:{n}", "test", NOW, flag=flag)


def test_h14_85_points_cost_200_yuan() -> None:
    assert point_fine_fen(85, POLICY.bands) == 200 * YUAN  # 10 × 10 + 5 × 20


@pytest.mark.parametrize(("points", "yuan"), [(100, 0), (120, 0), (99, 10), (90, 100),
                                              (89, 120), (80, 300), (70, 600), (60, 1000),
                                              (59, 1000), (10, 1000)])
def test_h14_bands_are_marginal_like_tax_brackets(points: int, yuan: int) -> None:
    assert point_fine_fen(points, POLICY.bands) == yuan * YUAN


def test_h14_59_points_flag_dismissal_and_60_does_not() -> None:
    assert dismissal_flag(59, POLICY)
    assert not dismissal_flag(60, POLICY)


def test_h15_112_points_earn_the_award_and_109_do_not() -> None:
    assert award_fen(112, POLICY) == 100 * YUAN
    assert award_fen(110, POLICY) == 100 * YUAN
    assert award_fen(109, POLICY) == 0


def test_h16_half_the_team_at_100_gives_the_supervisor_100_yuan() -> None:
    assert team_rule_fen([100, 101, 95, 90], POLICY) == 100 * YUAN
    assert team_rule_fen([100, 95, 90], POLICY) == 0


def test_h16_anyone_below_60_costs_the_supervisor_100_yuan() -> None:
    assert team_rule_fen([100, 100, 59], POLICY) == 0  # +100 and -100
    assert team_rule_fen([95, 59], POLICY) == -100 * YUAN


def test_h19_warning_then_three_points_then_dismissal_flag() -> None:
    assert non_work_step(0, POLICY) == ("flag", 0, "warning")
    assert non_work_step(1, POLICY) == ("points", -3, None)
    assert non_work_step(2, POLICY) == ("flag", 0, "dismissal")


def test_h14_score_starts_at_100_each_month() -> None:
    assert score([_points("a", -3), _points("a", 5, 1)], POLICY) == 102


def test_h21_entry_for_a_closed_month_is_a_dated_correction_in_the_next() -> None:
    entry = _points("a", -3, month="2026-12")
    moved = dated(entry, {"2026-12", "2027-01"})
    assert moved.month == "2027-02" and moved.corrects == "2026-12"
    assert dated(entry, set()) is entry


def test_h20_h21_settlement_per_person() -> None:
    people = [Staff("sup", "S", "supervisor"), Staff("a", "A", "aftersales", supervisor_id="sup"),
              Staff("b", "B", "presales", supervisor_id="sup"),
              Staff("gone", "G", "presales", active=False)]
    entries = [_points("a", -15), _points("b", 12),
               _points("a", -3000, 2, kind="money"),
               _points("a", 0, 3, kind="flag", flag="full_attendance_lost")]
    rows = {p.staff_id: p for p in settle(people, entries, POLICY)}
    assert set(rows) == {"sup", "a", "b"}
    a, b, sup = rows["a"], rows["b"], rows["sup"]
    assert (a.points, a.point_fine_fen, a.cash_fines_fen) == (85, 200 * YUAN, 30 * YUAN)
    assert (a.full_attendance_fen, a.performance_fen, a.award_fen) == (0, 0, 0)
    assert (b.points, b.award_fen, b.full_attendance_fen, b.performance_fen) == (
        112, 100 * YUAN, 100 * YUAN, 200 * YUAN)
    assert sup.team_fen == 100 * YUAN  # half of the team (b) at 100 or more
    assert a.net_fen == -230 * YUAN and a.fines_fen == 230 * YUAN


def test_h21_review_then_manager_approval_closes_and_fills_the_fund() -> None:
    people = [Staff("a", "A", "aftersales")]
    month = settle(people, [_points("a", -15)], POLICY)
    settlement = Settlement("2026-12", NOW, "sup", month)
    with pytest.raises(TransitionRefused):
        settlement.approve("boss", "manager", NOW, month)
    settlement.review("sup", NOW, month)
    with pytest.raises(NotAllowed):
        settlement.approve("sup", "supervisor", NOW, month)
    fund = settlement.approve("boss", "manager", NOW, month)
    assert settlement.state == "approved"
    assert [(f.direction, f.amount_fen) for f in fund] == [("in", 200 * YUAN)]


def test_h21_review_settles_the_month_again_from_its_ledger() -> None:
    people = [Staff("a", "A", "aftersales")]
    draft = Settlement("2026-12", NOW, "sup", settle(people, [_points("a", -5)], POLICY))
    since = settle(people, [_points("a", -5), _points("a", -10, 1)], POLICY)  # recorded later
    draft.review("sup", NOW, since)
    assert draft.state == "reviewed" and draft.people == since
    assert draft.people[0].points == 85


def test_h21_approval_is_refused_when_the_ledger_changed_since_the_review() -> None:
    people = [Staff("a", "A", "aftersales")]
    reviewed = settle(people, [_points("a", -5)], POLICY)
    settlement = Settlement("2026-12", NOW, "sup", reviewed)
    settlement.review("sup", NOW, reviewed)
    changed = settle(people, [_points("a", -5), _points("a", -10, 1)], POLICY)
    with pytest.raises(RuleRefused) as refused:
        settlement.approve("boss", "manager", NOW, changed)
    assert (refused.value.rule, refused.value.reason) == ("H21", "ledger_changed")
    assert settlement.state == "reviewed" and settlement.approved_by is None
    settlement.review("sup", NOW, changed)  # reviewed again: what is approved is the ledger
    settlement.approve("boss", "manager", NOW, changed)
    assert settlement.state == "approved" and settlement.people == changed
    with pytest.raises(TransitionRefused):
        settlement.review("sup", NOW, changed)


def test_h21_payroll_rows_have_chinese_headers_and_yuan() -> None:
    settlement = Settlement("2026-12", NOW, "sup",
                            settle([Staff("a", "张三", "aftersales")], [_points("a", -15)], POLICY))
    assert PAYROLL_HEADERS[:2] == ("工号", "姓名")
    row = payroll_rows(settlement)[0]
    assert row[:5] == ("a", "张三", "aftersales", "2026-12", 85)
    assert row[5] == "200.00" and row[-1] == "否"
    assert len(row) == len(PAYROLL_HEADERS)


def test_h2_rotation_and_minimum_staffing_name_existing_shifts() -> None:
    policy = HrPolicy()
    early, late, desk = policy.shifts
    with pytest.raises(ValidationFailed) as refused:
        policy.changed(rotation={**policy.rotation, "presales": ("cs_early", "cs_night")})
    assert refused.value.field == "rotation.presales.1"
    with pytest.raises(ValidationFailed) as refused:
        policy.changed(min_staff={"cs_early": 1, "nobody": 2})
    assert refused.value.field == "min_staff.nobody"
    with pytest.raises(ValidationFailed) as refused:
        policy.changed(shifts=(early, late, desk, early))
    assert refused.value.field == "shifts.3.code"

    # Removing a shift with its rotation: its minimum staffing goes with it.
    fewer = policy.changed(shifts=(early, desk), rotation={
        "presales": ("cs_early",), "aftersales": ("cs_early",), "order_desk": ("desk_early",)})
    assert fewer.min_staff == {"cs_early": 1, "desk_early": 1}
    # Left in a rotation, the removed shift is refused.
    with pytest.raises(ValidationFailed):
        policy.changed(shifts=(early, desk))
