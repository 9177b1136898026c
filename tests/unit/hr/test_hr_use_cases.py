"""H1, H2, H3, H4, H10, H13, H17-H23 use cases on fakes: the directory and its events, the
ledger's exactly-once sources, the day's close, settlement and the fund."""

from datetime import datetime

import pytest

from hr.application import attendance, jobs, ledger, on_tickets, settlement, staff
from hr.application import presence as presence_use
from hr.application import requests as request_use
from hr.domain.attendance import Punch
from hr.domain.errors import NotAllowed, NotFound, RuleRefused
from hr.domain.policy import YUAN
from ops_shared.contracts import new_envelope
from ops_shared.contracts.tickets import ComplaintVerified, SuggestionAdopted
from unit.hr.conftest import ADMIN, MANAGER, SUPERVISOR, actor
from unit.hr.fakes import SHANGHAI, at
from unit.hr.fakes import staff as person


async def test_h1_every_change_publishes_staff_changed_without_the_wage(hr):
    await staff.hire(hr.deps, ADMIN, person("n1", "presales", wage_fen=500_000))
    await staff.change(hr.deps, ADMIN, "n1", {"active": False})
    events = hr.events("hr.staff.changed")
    assert [(e["staff_id"], e["active"]) for e in events] == [("n1", True), ("n1", False)]
    assert all("wage" not in str(e) for e in events)


async def test_h1_only_hr_admin_and_manager_change_the_directory(hr):
    with pytest.raises(NotAllowed):
        await staff.hire(hr.deps, SUPERVISOR, person("n2"))
    with pytest.raises(NotFound):
        await staff.hire(hr.deps, ADMIN, person("n3", supervisor_id="nobody"))
    assert hr.events("hr.staff.changed") == []


async def test_h1_hr_admin_grants_no_role_above_its_own(hr):
    for role in ("hr_admin", "manager"):
        with pytest.raises(NotAllowed):
            await staff.hire(hr.deps, ADMIN, person(f"n-{role}", role))
    with pytest.raises(NotAllowed):
        await staff.change(hr.deps, ADMIN, "a1", {"role": "manager"})
    with pytest.raises(NotAllowed):
        await staff.change(hr.deps, ADMIN, "mgr", {"active": False})
    await staff.hire(hr.deps, MANAGER, person("n-hr", "hr_admin"))


async def test_visibility_own_team_everyone(hr):
    assert [p.staff_id for p in await staff.listing(hr.deps, actor("a1"), None, None)] == ["a1"]
    team = await staff.listing(hr.deps, SUPERVISOR, None, None)
    assert {p.staff_id for p in team} == {"sup1", "a1", "a2", "p1", "p2"}
    assert len(await staff.listing(hr.deps, MANAGER, None, None)) == 6
    with pytest.raises(NotAllowed):
        await staff.read(hr.deps, actor("a1"), "a2")


def _complaint(staff_id: str = "a1") -> ComplaintVerified:
    return ComplaintVerified(ticket_number="TK-20261203-0001", staff_id=staff_id,
                             verified_by="sup1", note="rude",
                             verified_at=datetime(2026, 12, 3, 2, tzinfo=SHANGHAI))


async def test_h17_h23_the_same_complaint_event_twice_gives_one_entry(hr):
    envelope = new_envelope(_complaint())
    for _ in range(2):
        await hr.transaction(lambda uow: on_tickets.complaint_verified(
            hr.deps, uow, _complaint(), envelope))
    [entry] = await hr.repos.ledger.of_month("2026-12", ["a1"])
    assert (entry.kind, entry.amount, entry.rule) == ("points", -3, "H17")
    assert entry.source == f"event:{envelope.id}" and entry.author == "sup1"


async def test_h18_adopted_suggestion_adds_its_points(hr):
    event = SuggestionAdopted(ticket_number="TK-1", author_staff_id="a2", points=12,
                              adopted_by="mgr", adopted_at=at(3, 10))
    await hr.transaction(lambda uow: on_tickets.suggestion_adopted(
        hr.deps, uow, event, new_envelope(event)))
    [entry] = await hr.repos.ledger.of_month("2026-12", ["a2"])
    assert (entry.amount, entry.rule) == (12, "H18")


async def test_h19_warning_then_points_then_dismissal(hr):
    steps = [await ledger.record_non_work(hr.deps, SUPERVISOR, "a1", "phone games")
             for _ in range(3)]
    assert [(e.kind, e.amount, e.flag) for e in steps] == [
        ("flag", 0, "warning"), ("points", -3, None), ("flag", 0, "dismissal")]
    with pytest.raises(NotAllowed):
        await ledger.record_non_work(hr.deps, actor("a2"), "a1", "x")


async def test_h3_h11_day_close_absence_costs_a_day_wage_once(hr):
    hr.clock.set(at(2, 1))
    added = await attendance.close_day(hr.deps, at(1).date())
    again = await attendance.close_day(hr.deps, at(1).date())
    assert again == 0 and added > 0
    a1 = await hr.repos.ledger.of_month("2026-12", ["a1"])
    money = [e for e in a1 if e.kind == "money"]
    assert [(e.rule, e.amount) for e in money] == [("H11", -30_000)]  # 6525 yuan / 21.75
    assert any(e.flag == "full_attendance_lost" for e in a1)


async def test_h10_h4_early_leave_fined_and_missed_punch_fined_after_two_days(hr):
    await hr.repos.punches.add([_punch("a1", at(1, 8, 55)), _punch("a1", at(1, 17)),
                                _punch("p1", at(1, 8, 58))])
    hr.clock.set(at(2, 1))
    await attendance.close_day(hr.deps, at(1).date())
    a1 = [(e.rule, e.amount) for e in await hr.repos.ledger.of_month("2026-12", ["a1"])
          if e.kind == "money"]
    assert a1 == [("H10", -50 * YUAN)]
    assert [e for e in await hr.repos.ledger.of_month("2026-12", ["p1"]) if e.kind == "money"] == []
    hr.clock.set(at(4, 1))
    await attendance.close_day(hr.deps, at(3).date())
    p1 = [(e.rule, e.amount) for e in await hr.repos.ledger.of_month("2026-12", ["p1"])
          if e.kind == "money" and e.rule != "H11"]  # H11: p1 is absent on the 3rd
    assert p1 == [("H4", -30 * YUAN)]


async def test_h4_approved_missed_punch_explains_it(hr):
    await hr.repos.punches.add([_punch("p1", at(1, 8, 58))])
    hr.clock.set(at(2, 9))
    request = await request_use.request_missed_punch(hr.deps, actor("p1", "presales"),
                                                     at(1).date(), "out", at(1, 18, 30),
                                                     "sup1", "forgot")
    await request_use.act(hr.deps, SUPERVISOR, request.request_id, "approve")
    hr.clock.set(at(4, 1))
    await attendance.close_day(hr.deps, at(3).date())
    assert [e for e in await hr.repos.ledger.of_month("2026-12", ["p1"])
            if e.rule == "H4"] == []


async def test_h13_offline_during_shift_is_fined_at_day_close(hr):
    await hr.repos.punches.add([_punch("a1", at(1, 8, 55)), _punch("a1", at(1, 18, 40))])
    for status, moment in (("online", at(1, 8, 56)), ("offline", at(1, 10)),
                           ("online", at(1, 10, 30)), ("away", at(1, 11, 30)),
                           ("online", at(1, 12, 30))):
        await presence_use.report(hr.deps, actor("im", "ops_admin"), "a1", status, moment)
    hr.clock.set(at(2, 1))
    await attendance.close_day(hr.deps, at(1).date())
    assert [(e.rule, e.amount) for e in await hr.repos.ledger.of_month("2026-12", ["a1"])] == [
        ("H13", -50 * YUAN)]
    with pytest.raises(NotAllowed):
        await presence_use.report(hr.deps, actor("a1"), "a1", "online", None)


async def test_h21_settlement_started_twice_gives_one_and_closes_the_month(hr):
    await hr.transaction(lambda uow: on_tickets.complaint_verified(
        hr.deps, uow, _complaint(), new_envelope(_complaint())))
    first = await settlement.start(hr.deps, SUPERVISOR, "2026-12")
    second = await settlement.start(hr.deps, MANAGER, "2026-12")
    assert second.created_by == first.created_by == "sup1"
    await settlement.review(hr.deps, SUPERVISOR, "2026-12")
    with pytest.raises(NotAllowed):
        await settlement.approve(hr.deps, SUPERVISOR, "2026-12")
    await settlement.approve(hr.deps, MANAGER, "2026-12")
    balance, entries = await settlement.fund(hr.deps)
    assert balance == 30 * YUAN and entries[0].source == "settlement:2026-12:a1"
    late = _complaint()
    await hr.transaction(lambda uow: on_tickets.complaint_verified(
        hr.deps, uow, late, new_envelope(late)))
    assert len(await hr.repos.ledger.of_month("2026-12", ["a1"])) == 1
    [moved] = await hr.repos.ledger.of_month("2027-01", ["a1"])
    assert moved.corrects == "2026-12"


async def test_h21_entries_recorded_after_the_draft_are_settled_on_review(hr):
    async def complaint() -> None:
        event = _complaint()
        await hr.transaction(lambda uow: on_tickets.complaint_verified(
            hr.deps, uow, event, new_envelope(event)))

    await complaint()
    draft = await settlement.start(hr.deps, SUPERVISOR, "2026-12")
    assert {p.staff_id: p.points for p in draft.people}["a1"] == 97
    await complaint()  # the month is open until approval: a December entry after the draft
    reviewed = await settlement.review(hr.deps, SUPERVISOR, "2026-12")
    assert {p.staff_id: p.points for p in reviewed.people}["a1"] == 94
    await complaint()  # and one after the review: the manager may not approve a stale month
    with pytest.raises(RuleRefused) as refused:
        await settlement.approve(hr.deps, MANAGER, "2026-12")
    assert refused.value.rule == "H21"
    assert (await hr.repos.settlements.get("2026-12")).state == "reviewed"
    await settlement.review(hr.deps, SUPERVISOR, "2026-12")
    approved = await settlement.approve(hr.deps, MANAGER, "2026-12")
    assert {p.staff_id: p.points for p in approved.people}["a1"] == 91
    assert len(await hr.repos.ledger.of_month("2026-12", ["a1"])) == 3


async def test_h22_fund_spending_never_overdraws(hr):
    with pytest.raises(RuleRefused) as refused:
        await settlement.spend(hr.deps, MANAGER, 1, "cake")
    assert refused.value.rule == "H22"


async def test_nightly_jobs_run_once_per_day(hr):
    hr.clock.set(at(2, 1))
    await jobs.nightly(hr.deps)
    count = len(hr.repos.ledger.rows)
    assert count > 0 and await hr.repos.jobs.finished("close:2026-12-01")
    hr.deps.replica = "other"
    await jobs.nightly(hr.deps)
    assert len(hr.repos.ledger.rows) == count


async def test_h21_draft_the_day_before_pay_day(hr):
    hr.clock.set(at(9, 1, month=1, year=2027))
    await jobs.nightly(hr.deps)
    assert await hr.repos.settlements.get("2026-12")


def _punch(staff_id, moment):
    return Punch(f"device-{staff_id}-{moment.isoformat()}", staff_id, moment, "device", "hr1")
