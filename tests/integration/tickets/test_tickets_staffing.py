"""Assignment from hr's roster events on the real broker: on-duty agents of the right role,
round robin or least loaded (policy), nobody on duty → unassigned (T1, H1, H2, H5)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ops_shared.contracts import new_envelope
from ops_shared.contracts.hr import (
    DutyAssignment,
    RosterPublished,
    ShiftChanged,
    ShiftPeriod,
    StaffChanged,
)
from support.ticketing import SettableClock, send
from support.wait import eventually

pytestmark = pytest.mark.integration
SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 26)  # a Thursday
EARLY = [ShiftPeriod(start=time(9), end=time(11, 30)), ShiftPeriod(start=time(12, 30),
                                                                   end=time(18, 30))]
LATE = [ShiftPeriod(start=time(13), end=time(17, 30)), ShiftPeriod(start=time(18, 30),
                                                                   end=time(23, 30))]


@pytest.fixture(scope="module")
async def staffed(start_tickets):
    clock = SettableClock(datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI))
    async with start_tickets(clock=clock, sla_scan_interval_s=3600) as svc:
        yield svc


def _duty(staff_id: str, role: str = "aftersales", periods=EARLY,
          shift: str = "cs_early") -> DutyAssignment:
    return DutyAssignment(day=DAY, staff_id=staff_id, role=role, shift=shift, periods=periods)


async def _hire(svc, amqp_url: str, staff_id: str, role: str, active: bool = True) -> None:
    await send(amqp_url, svc.settings.exchange, StaffChanged(
        staff_id=staff_id, display_name=staff_id, role=role, active=active))


async def _staff_known(svc, *ids: str) -> None:
    await eventually(lambda: _count(svc, "staff", {"_id": {"$in": list(ids)}}, len(ids)),
                     timeout=20, what=f"staff {ids} recorded")


async def _count(svc, collection: str, query: dict, expected: int) -> bool:
    return await svc.db[collection].count_documents(query) == expected


async def _roster(svc, amqp_url: str, team: str, assignments: list[DutyAssignment]) -> None:
    await send(amqp_url, svc.settings.exchange, RosterPublished(
        roster_id=f"R-{uuid.uuid4().hex[:6]}", month="2026-11", team=team,
        assignments=assignments))
    await eventually(lambda: _count(svc, "duty", {"team": team}, len(assignments)),
                     timeout=20, what="roster recorded")


async def test_t1_new_tickets_go_round_robin_to_on_duty_agents(staffed, amqp_url) -> None:
    a, b, late, gone = "rr-a", "rr-b", "rr-late", "rr-gone"
    for staff_id in (a, b, late):
        await _hire(staffed, amqp_url, staff_id, "aftersales")
    await _hire(staffed, amqp_url, gone, "aftersales", active=False)
    await _staff_known(staffed, a, b, late, gone)
    await _roster(staffed, amqp_url, "team-rr", [
        _duty(a), _duty(b), _duty(late, periods=LATE, shift="cs_late"), _duty(gone),
        _duty("ps-1", role="presales")])
    owners = [(await staffed.ticket(kind="aftersales"))["assignee_id"] for _ in range(4)]
    assert owners == [a, b, a, b]  # the late shift starts at 13:00; the leaver gets nothing
    consult = await staffed.ticket(kind="consultation")
    assert consult["assignee_id"] == "ps-1"


async def test_t1_least_loaded_policy_prefers_the_agent_with_fewer_open_tickets(
        staffed, amqp_url) -> None:
    put = await staffed.client.put("/assignment-policy", json={"strategy": "least_loaded"},
                                   headers=staffed.as_("manager"))
    assert put.status_code == 200
    try:
        counts = {}
        for staff_id in ("rr-a", "rr-b"):
            counts[staff_id] = await staffed.db["tickets"].count_documents(
                {"assignee_id": staff_id, "state": {"$nin": ["closed", "merged"]}})
        lighter = min(counts, key=lambda s: (counts[s], s))
        ticket = await staffed.ticket(kind="complaint", grade="general")
        assert ticket["assignee_id"] == lighter
    finally:
        await staffed.client.put("/assignment-policy", json={"strategy": "round_robin"},
                                 headers=staffed.as_("manager"))


async def test_h5_a_swap_moves_duty_to_the_colleague(staffed, amqp_url) -> None:
    await _hire(staffed, amqp_url, "sw-a", "presales")
    await _hire(staffed, amqp_url, "sw-b", "presales")
    await _staff_known(staffed, "sw-a", "sw-b")
    await _roster(staffed, amqp_url, "team-sw", [_duty("sw-a", role="presales", shift="sw")])
    await send(amqp_url, staffed.settings.exchange, ShiftChanged(
        change_id="C-1", reason="swap", removed=[_duty("sw-a", role="presales", shift="sw")],
        added=[_duty("sw-b", role="presales", shift="sw")]))
    await eventually(lambda: _count(staffed, "duty", {"staff_id": "sw-b", "team": "team-sw"}, 1),
                     timeout=20, what="swap applied")
    assert await _count(staffed, "duty", {"staff_id": "sw-a"}, 0)


async def test_t1_nobody_on_duty_leaves_the_ticket_unassigned(staffed) -> None:
    staffed.clock.set(datetime(2026, 11, 26, 23, 45, tzinfo=SHANGHAI))  # after every shift
    try:
        ticket = await staffed.ticket(kind="aftersales")
    finally:
        staffed.clock.set(datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI))
    assert ticket["assignee_id"] is None
    listed = await staffed.client.get("/tickets", params={"unassigned": "true"},
                                      headers=staffed.as_("supervisor"))
    assert ticket["number"] in {t["number"] for t in listed.json()["items"]}
    assert all(t["assignee_id"] is None for t in listed.json()["items"])


async def test_h1_a_late_older_staff_event_does_not_undo_a_newer_one(staffed, amqp_url) -> None:
    """Retries reorder events: someone who left stays gone when an older 'hired' arrives."""
    now = datetime.now(SHANGHAI)
    left = new_envelope(StaffChanged(staff_id="as-gone", display_name="gone", role="aftersales",
                                     active=False), occurred_at=now)
    hired = new_envelope(StaffChanged(staff_id="as-gone", display_name="gone",
                                      role="aftersales", active=True),
                         occurred_at=now - timedelta(hours=1))
    await send(amqp_url, staffed.settings.exchange, left)
    await _staff_known(staffed, "as-gone")
    await send(amqp_url, staffed.settings.exchange, hired)
    await eventually(lambda: _count(staffed, "inbox", {"_id": hired.id}, 1), timeout=20,
                     what="the older event handled")
    assert (await staffed.db["staff"].find_one({"_id": "as-gone"}))["active"] is False


async def test_h2_a_late_older_roster_does_not_replace_the_newer_one(staffed,
                                                                     amqp_url) -> None:
    now = datetime.now(SHANGHAI)
    newer = new_envelope(RosterPublished(roster_id="R-new", month="2026-11", team="late-order",
                                         assignments=[_duty("as-new")]), occurred_at=now)
    older = new_envelope(RosterPublished(roster_id="R-old", month="2026-11", team="late-order",
                                         assignments=[_duty("as-old")]),
                         occurred_at=now - timedelta(hours=1))
    await send(amqp_url, staffed.settings.exchange, newer)
    await eventually(lambda: _count(staffed, "duty", {"team": "late-order"}, 1), timeout=20,
                     what="roster recorded")
    await send(amqp_url, staffed.settings.exchange, older)
    await eventually(lambda: _count(staffed, "inbox", {"_id": older.id}, 1), timeout=20,
                     what="the older roster handled")
    duty = await staffed.db["duty"].find({"team": "late-order"}).to_list()
    assert [d["staff_id"] for d in duty] == ["as-new"]
