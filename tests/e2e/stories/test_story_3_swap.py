"""Story 3 (issue 10): the swap flow (H2, H5, H6, H12, T1).

The supervisor publishes next month's customer-service roster. aftersales1, on the early shift
on a day, asks aftersales2 (on the late shift that day) to swap; aftersales2 accepts, the
supervisor approves, and the roster changes. A new after-sales ticket during that early shift
goes to aftersales2. Two more swaps that month are approved; the 4th is refused (H6).

Days are chosen in the month after the shared clock's, so that every shift is still ahead
(H5) whatever the time of day the tests run; the clock then moves forward into the shift.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from stories_a_steps import at_shop, first_day_of_next_month, month_of, open_ticket

from support.wait import eventually

pytestmark = pytest.mark.integration
TEAM = "customer_service"


async def test_story_3_h5_h6_swap_changes_roster_and_assignment_4th_refused(whole) -> None:
    # H2: the supervisor generates and publishes next month's roster (rotating every 5 days).
    month = month_of(first_day_of_next_month(whole.clock.now()))
    roster_id = f"{month}:{TEAM}"
    created = await whole.post("supervisor1", "/api/hr/rosters", {"month": month, "team": TEAM})
    assert created.status_code in (201, 409), created.text  # 409: another story made it
    roster = await whole.ok("supervisor1", "POST", f"/api/hr/rosters/{roster_id}/publish",
                            status=200)
    assert roster["status"] == "published"
    shifts = {(date.fromisoformat(e["day"]), e["staff_id"]): e["shift"]
              for e in roster["entries"]}
    day = next(d for d in sorted({d for d, _ in shifts})
               if shifts.get((d, "aftersales1")) == "cs_early"
               and shifts.get((d, "aftersales2")) == "cs_late")
    assert month_of(day + timedelta(days=6)) == month

    # H5: aftersales1 asks aftersales2 to swap that day, before the shift, via the supervisor.
    first = await _swap(whole, day)
    assert (first["state"], first["shift"], first["colleague_shift"]) == (
        "awaiting_colleague", "cs_early", "cs_late")
    whole.problem(await whole.post("supervisor1", f"/api/hr/requests/{first['request_id']}"
                                   "/decisions", {"action": "approve"}), 409)
    await _decide(whole, "aftersales2", first, "accept", "awaiting_supervisor")
    await _decide(whole, "supervisor1", first, "approve", "approved")

    # The roster changes: aftersales2 works the early shift that day, aftersales1 the late one.
    duty = await whole.ok("aftersales1", "GET", f"/api/hr/duty?day={day}")
    after = {e["staff_id"]: (e["shift"], e["swap_id"]) for e in duty
             if e["role"] == "aftersales"}
    assert after == {"aftersales2": ("cs_early", first["request_id"]),
                     "aftersales1": ("cs_late", first["request_id"])}
    changed = await whole.until_published("hr.shift.changed", change_id=first["request_id"])
    assert changed["reason"] == "swap"

    # T1: during that early shift, a new after-sales ticket goes to the person now on it.
    await _tickets_knows_early_shift(whole, day, {"aftersales2"})
    moment = at_shop(day, time(10, 0))
    assert whole.clock.now() < moment
    whole.clock.set(moment)
    ticket = await open_ticket(whole, "presales1", kind="aftersales",
                               description="客户询问退货运费由谁承担")
    assert ticket["assignee_id"] == "aftersales2", ticket
    assert ticket["created_at"].startswith(day.isoformat())

    # H6: two more swaps that month (no two in a row) are approved...
    for later in (day + timedelta(days=2), day + timedelta(days=4)):
        swap = await _swap(whole, later)
        await _decide(whole, "aftersales2", swap, "accept", "awaiting_supervisor")
        await _decide(whole, "supervisor1", swap, "approve", "approved")

    # ...and the 4th that month is refused.
    fourth = await whole.post("aftersales1", "/api/hr/requests/swaps", _swap_body(
        day + timedelta(days=6)))
    problem = whole.problem(fourth, 409, "rule-refused")
    assert (problem["rule"], problem["reason"]) == ("H6", "swap_limit"), problem
    assert "aftersales1" in problem["detail"]


def _swap_body(day: date) -> dict:
    return {"day": day.isoformat(), "colleague_id": "aftersales2",
            "colleague_day": day.isoformat(), "approver_id": "supervisor1",
            "reason": "家里有事，和 aftersales2 换班"}


async def _swap(whole, day: date) -> dict:
    return await whole.ok("aftersales1", "POST", "/api/hr/requests/swaps", _swap_body(day),
                          status=201)


async def _decide(whole, staff_id: str, request: dict, action: str, state: str) -> None:
    decided = await whole.ok(staff_id, "POST",
                             f"/api/hr/requests/{request['request_id']}/decisions",
                             {"action": action}, status=200)
    assert decided["state"] == state, decided


async def _tickets_knows_early_shift(whole, day: date, staff: set[str]) -> None:
    """tickets has applied the roster and the swap: its duty list for that early shift."""
    duty = whole.runtime("tickets").database.db["duty"]

    async def on_it() -> bool:
        found = {d["staff_id"] async for d in duty.find(
            {"day": day.isoformat(), "role": "aftersales", "shift": "cs_early"})}
        return found == staff

    await eventually(on_it, timeout=30, what=f"tickets knows who works early on {day}")
