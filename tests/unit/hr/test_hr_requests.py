"""H4-H13 on fakes: the approval state machine and every refusal, each with its rule."""

from datetime import date

import pytest

from hr.application import policies, rosters
from hr.application import requests as use_cases
from hr.domain.errors import NotAllowed, RuleRefused, TransitionRefused, ValidationFailed
from unit.hr.conftest import MANAGER, SUPERVISOR, actor
from unit.hr.fakes import at

A1, A2, P1 = actor("a1"), actor("a2"), actor("p1", "presales")


def _day(n: int) -> date:
    return date(2026, 12, n)


async def _swap(hr, day: int, other_day: int | None = None, who=A1, colleague="a2"):
    return await use_cases.request_swap(hr.deps, who, _day(day), colleague,
                                        _day(other_day or day), "sup1", "family")


async def _approved_swap(hr, day: int, other_day: int | None = None):
    request = await _swap(hr, day, other_day)
    await use_cases.act(hr.deps, A2, request.request_id, "accept")
    return await use_cases.act(hr.deps, SUPERVISOR, request.request_id, "approve")


async def _refused(coro, rule: str, reason: str) -> None:
    with pytest.raises(RuleRefused) as refused:
        await coro
    assert (refused.value.rule, refused.value.reason) == (rule, reason), refused.value.detail


async def test_h5_swap_colleague_accepts_then_supervisor_approves_and_roster_exchanges(hr):
    request = await _swap(hr, 3)
    assert request.state == "awaiting_colleague"
    with pytest.raises(TransitionRefused):
        await use_cases.act(hr.deps, SUPERVISOR, request.request_id, "approve")
    accepted = await use_cases.act(hr.deps, A2, request.request_id, "accept")
    assert accepted.state == "awaiting_supervisor"
    approved = await use_cases.act(hr.deps, SUPERVISOR, request.request_id, "approve")
    assert approved.state == "approved"
    roster = await rosters.read(hr.deps, "2026-12:cs")
    assert roster.entry(_day(3), "a1").shift == "cs_late"
    assert roster.entry(_day(3), "a2").shift == "cs_early"
    [change] = hr.events("hr.shift.changed")
    assert change["reason"] == "swap" and change["change_id"] == request.request_id
    assert {(a["staff_id"], a["shift"]) for a in change["removed"]} == {
        ("a1", "cs_early"), ("a2", "cs_late")}
    assert {(a["staff_id"], a["shift"]) for a in change["added"]} == {
        ("a1", "cs_late"), ("a2", "cs_early")}


async def test_h5_colleague_declines(hr):
    request = await _swap(hr, 3)
    declined = await use_cases.act(hr.deps, A2, request.request_id, "decline")
    assert declined.state == "refused"
    with pytest.raises(NotAllowed):
        await use_cases.act(hr.deps, P1, (await _swap(hr, 12)).request_id, "accept")


async def test_h5_swap_announced_after_the_shift_started_is_refused(hr):
    hr.clock.set(at(3, 9, 1))
    await _refused(_swap(hr, 3), "H5", "shift_started")


async def test_h5_swap_approved_after_the_shift_started_is_refused(hr):
    request = await _swap(hr, 3)
    await use_cases.act(hr.deps, A2, request.request_id, "accept")
    hr.clock.set(at(3, 9, 0))
    await _refused(use_cases.act(hr.deps, SUPERVISOR, request.request_id, "approve"),
                   "H5", "shift_started")


async def test_h6_fourth_swap_in_a_month_is_refused(hr):
    for day in (3, 6, 9):
        await _approved_swap(hr, day)
    await _refused(_swap(hr, 12), "H6", "swap_limit")


async def test_h6_two_swaps_on_consecutive_days_are_refused(hr):
    await _swap(hr, 3)
    await _refused(_swap(hr, 4), "H6", "consecutive_swaps")


async def test_h7_holiday_duty_may_not_swap_or_take_leave(hr):
    person = await hr.repos.staff.get("a1")
    roster = await hr.repos.rosters.get("2026-12:cs")
    roster.set_entry(_day(5), person, "cs_early", await hr.repos.policies.get(), True)
    await hr.repos.rosters.save(roster)
    await _refused(_swap(hr, 5), "H7", "holiday_duty")
    await _refused(use_cases.request_leave(hr.deps, A1, _day(5), "emergency", None, "sup1", ""),
                   "H7", "holiday_duty")


async def test_h8_late_shift_may_not_take_leave(hr):
    await _refused(use_cases.request_leave(hr.deps, A2, _day(3), "ordinary", "p1", "sup1", ""),
                   "H8", "late_shift_leave")


async def test_h9_day_taken_by_swap_cannot_be_taken_as_leave(hr):
    await _approved_swap(hr, 3, 8)  # a1 gives 3 Dec early, takes a2's 8 Dec early
    await _refused(use_cases.request_leave(hr.deps, A1, _day(8), "emergency", None, "sup1",
                                           ""), "H9", "swapped_day_leave")


async def test_h11_request_to_anyone_but_the_direct_supervisor_is_refused(hr):
    await _refused(use_cases.request_swap(hr.deps, A1, _day(3), "a2", _day(3), "mgr", ""),
                   "H11", "not_direct_supervisor")


async def _p2_off_on_the_2nd(hr) -> None:
    roster = await hr.repos.rosters.get("2026-12:cs")
    roster.set_entry(_day(2), await hr.repos.staff.get("p2"), None,
                     await hr.repos.policies.get())
    await hr.repos.rosters.save(roster)


async def test_h11_approval_by_anyone_but_the_direct_supervisor_is_refused(hr):
    await _p2_off_on_the_2nd(hr)
    request = await use_cases.request_leave(hr.deps, A1, _day(2), "ordinary", "p2", "sup1", "")
    await _refused(use_cases.act(hr.deps, MANAGER, request.request_id, "approve"),
                   "H11", "not_direct_supervisor")


async def test_h11_ordinary_leave_a_day_ahead_with_a_cover(hr):
    await _refused(use_cases.request_leave(hr.deps, A1, _day(1), "ordinary", "p2", "sup1", ""),
                   "H11", "leave_notice")
    await _refused(use_cases.request_leave(hr.deps, A1, _day(2), "ordinary", None, "sup1", ""),
                   "H11", "no_cover")
    with pytest.raises(ValidationFailed):  # p2 works the late shift that day
        await use_cases.request_leave(hr.deps, A1, _day(2), "ordinary", "p2", "sup1", "")
    await _p2_off_on_the_2nd(hr)
    request = await use_cases.request_leave(hr.deps, A1, _day(2), "ordinary", "p2", "sup1", "")
    await use_cases.act(hr.deps, SUPERVISOR, request.request_id, "approve")
    roster = await rosters.read(hr.deps, "2026-12:cs")
    assert roster.entry(_day(2), "a1") is None
    assert roster.entry(_day(2), "p2").shift == "cs_early"
    [change] = hr.events("hr.shift.changed")
    assert change["reason"] == "leave"


async def test_h11_emergency_leave_at_least_two_hours_before(hr):
    await _refused(use_cases.request_leave(hr.deps, A1, _day(1), "emergency", None, "sup1", ""),
                   "H11", "leave_notice")
    hr.clock.set(at(1, 6, 59))
    request = await use_cases.request_leave(hr.deps, A1, _day(1), "emergency", None, "sup1", "")
    assert request.state == "awaiting_supervisor"


async def test_h12_approval_that_leaves_a_shift_below_minimum_is_refused(hr):
    await policies.change(hr.deps, MANAGER, {"min_staff": {"cs_early": 2, "cs_late": 1}})
    request = await use_cases.request_leave(hr.deps, A1, _day(2), "emergency", None, "sup1", "")
    await _refused(use_cases.act(hr.deps, SUPERVISOR, request.request_id, "approve"),
                   "H12", "below_minimum_staffing")
    assert (await rosters.read(hr.deps, "2026-12:cs")).entry(_day(2), "a1") is not None
    assert hr.events("hr.shift.changed") == []


async def test_h4_missed_punch_within_two_days_at_most_three_a_month(hr):
    hr.clock.set(at(4, 18, 31))  # 2 days after the 2 Dec shift ended at 18:30
    await _refused(use_cases.request_missed_punch(hr.deps, A1, _day(2), "out", at(2, 18, 30),
                                                  "sup1", ""), "H4", "missed_punch_late")
    hr.clock.set(at(12, 8))
    for day, side in ((10, "in"), (10, "out"), (11, "in")):
        await use_cases.request_missed_punch(hr.deps, A1, _day(day), side, at(day, 13),
                                             "sup1", "")
    await _refused(use_cases.request_missed_punch(hr.deps, A1, _day(11), "out", at(11, 18),
                                                  "sup1", ""), "H4", "missed_punch_limit")


async def test_h13_going_offline_is_approved_ahead_of_time(hr):
    await _refused(use_cases.request_offline(hr.deps, A1, at(1, 7), at(1, 10), "sup1", ""),
                   "H13", "offline_not_ahead")
    request = await use_cases.request_offline(hr.deps, A1, at(1, 10), at(1, 11), "sup1", "")
    hr.clock.set(at(1, 10, 30))
    await _refused(use_cases.act(hr.deps, SUPERVISOR, request.request_id, "approve"),
                   "H13", "offline_not_ahead")


async def test_requester_cancels_a_pending_request_and_nothing_more(hr):
    request = await _swap(hr, 3)
    cancelled = await use_cases.act(hr.deps, A1, request.request_id, "cancel")
    assert cancelled.state == "cancelled"
    with pytest.raises(TransitionRefused):
        await use_cases.act(hr.deps, A1, request.request_id, "cancel")
