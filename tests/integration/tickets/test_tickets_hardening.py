"""Hardening of rosters, assignment, customers and defaults (issue #7) on the real broker and
database; each test is named after the rule it holds."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ops_shared.contracts import new_envelope
from ops_shared.contracts.hr import DutyAssignment, RosterPublished, ShiftPeriod, StaffChanged
from ops_shared.contracts.logistics import RmaStatusChanged
from support.ticketing import SettableClock, send
from support.wait import eventually
from tickets.settings import Settings

pytestmark = pytest.mark.integration
SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 26)  # a Thursday
DAY_SHIFT = [ShiftPeriod(start=time(8), end=time(20))]


@pytest.fixture(scope="module")
async def staffed(start_tickets):
    clock = SettableClock(datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI))
    async with start_tickets(clock=clock, sla_scan_interval_s=3600) as svc:
        yield svc


def _duty(staff_id: str, *, role: str = "aftersales", day: date = DAY, periods=DAY_SHIFT,
          shift: str = "cs_day") -> DutyAssignment:
    return DutyAssignment(day=day, staff_id=staff_id, role=role, shift=shift, periods=periods)


async def _hire(svc, amqp_url: str, *ids: str, role: str = "aftersales") -> None:
    for staff_id in ids:
        await send(amqp_url, svc.settings.exchange, StaffChanged(
            staff_id=staff_id, display_name=staff_id, role=role, active=True))
    await eventually(lambda: _count(svc, "staff", {"_id": {"$in": list(ids)}}, len(ids)),
                     timeout=20, what=f"staff {ids} recorded")


async def _count(svc, collection: str, query: dict, expected: int) -> bool:
    return await svc.db[collection].count_documents(query) == expected


async def _handled(svc, *envelope_ids: str) -> None:
    await eventually(lambda: _count(svc, "inbox", {"_id": {"$in": list(envelope_ids)}},
                                    len(envelope_ids)), timeout=20, what="events handled")


async def test_h2_overlapping_rosters_the_latest_wins_per_person_day_and_shift(
        staffed, amqp_url) -> None:
    """Issue #7 item 4: a person moves team mid-month; both rosters apply, the later one holds
    the shared person/day/shift, nothing is dead-lettered."""
    now = datetime.now(SHANGHAI)
    first = new_envelope(RosterPublished(
        roster_id="R-ov-a", month="2026-11", team="ov-team-a",
        assignments=[_duty("ov-mover"), _duty("ov-stay-a")]), occurred_at=now - timedelta(hours=1))
    later = new_envelope(RosterPublished(
        roster_id="R-ov-b", month="2026-11", team="ov-team-b",
        assignments=[_duty("ov-mover"), _duty("ov-stay-b")]), occurred_at=now)
    await send(amqp_url, staffed.settings.exchange, first)
    await _handled(staffed, first.id)
    await send(amqp_url, staffed.settings.exchange, later)
    await _handled(staffed, later.id)
    shared = await staffed.db["duty"].find_one({"_id": f"{DAY}:ov-mover:cs_day"})
    assert shared["team"] == "ov-team-b" and shared["source"] == "R-ov-b"
    assert await _count(staffed, "duty", {"staff_id": "ov-stay-a", "team": "ov-team-a"}, 1)
    assert await _count(staffed, "duty", {"staff_id": "ov-stay-b", "team": "ov-team-b"}, 1)
    ids = [first.id, later.id]
    assert await staffed.db["dead_letters"].count_documents({"message_id": {"$in": ids}}) == 0

    republished = new_envelope(RosterPublished(
        roster_id="R-ov-a2", month="2026-11", team="ov-team-a",
        assignments=[_duty("ov-mover"), _duty("ov-stay-a")]), occurred_at=now + timedelta(hours=1))
    stale = new_envelope(RosterPublished(  # delivered late: team b's roster is newer
        roster_id="R-ov-c", month="2026-11", team="ov-team-c",
        assignments=[_duty("ov-mover")]), occurred_at=now - timedelta(hours=2))
    await send(amqp_url, staffed.settings.exchange, republished)
    await _handled(staffed, republished.id)
    await send(amqp_url, staffed.settings.exchange, stale)
    await _handled(staffed, stale.id)
    shared = await staffed.db["duty"].find_one({"_id": f"{DAY}:ov-mover:cs_day"})
    assert shared["source"] == "R-ov-a2"  # the republished roster is the latest
    ids = [republished.id, stale.id]
    assert await staffed.db["dead_letters"].count_documents({"message_id": {"$in": ids}}) == 0


async def test_t1_a_burst_of_openings_shares_round_robin_fairly(start_tickets, amqp_url) -> None:
    """Issue #7 item 3: the round-robin cursor is outside the opening's transaction, so
    concurrent openings do not conflict on it, and each on-duty agent still gets its turn."""
    burst_day = date(2026, 12, 3)
    clock = SettableClock(datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI))
    async with start_tickets(clock=clock, sla_scan_interval_s=3600) as svc:
        agents = ["burst-a", "burst-b", "burst-c"]
        await _hire(svc, amqp_url, *agents, role="presales")
        roster = new_envelope(RosterPublished(
            roster_id="R-burst", month="2026-12", team="burst",
            assignments=[_duty(a, role="presales", day=burst_day) for a in agents]))
        await send(amqp_url, svc.settings.exchange, roster)
        await _handled(svc, roster.id)
        customers = [await svc.customer() for _ in range(9)]
        # the first opening of the day creates the day's counter (T1 numbering) alone
        first = await svc.ticket(kind="consultation", staff="presales", customer_id=customers[0])
        opened = await asyncio.gather(*(svc.ticket(kind="consultation", staff="presales",
                                                   customer_id=c) for c in customers[1:]))
    owners = sorted(ticket["assignee_id"] for ticket in [first, *opened])
    assert owners == sorted(agents * 3), owners


async def test_t9_the_default_tier_new_is_changed_never_deleted(service) -> None:
    """Issue #7 item 9: every new customer takes `new`; deleting it would break openings."""
    manager = service.as_("manager")
    refused = await service.client.delete("/customer-tiers/new", headers=manager)
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "T9" in refused.json()["detail"]
    changed = await service.client.put("/customer-tiers/new", headers=manager, json={
        "description": "first order", "boost_priority": False})
    assert changed.status_code == 200, changed.text
    ticket = await service.ticket(customer={"name": "新客户", "phone": "13900000000"})
    assert ticket["number"]


async def test_t2_default_sla_policies_are_changed_never_deleted(service) -> None:
    """Issue #7 item 9: the default SLA policies stay; one a manager added can go."""
    manager = service.as_("manager")
    for name in ("first_response", "first_response_key", "rectify_major", "survey_dispatch"):
        refused = await service.client.delete(f"/sla-policies/{name}", headers=manager)
        assert refused.status_code == 409, name
        assert "T2-T6" in refused.json()["detail"]
    body = {"metric": "rectification", "amount": 4, "unit": "working_days",
            "applies_to": {"kind": "suggestion"}}
    added = await service.client.put("/sla-policies/hardening_extra", json=body, headers=manager)
    assert added.status_code == 200, added.text
    gone = await service.client.delete("/sla-policies/hardening_extra", headers=manager)
    assert gone.status_code == 204
    ticket = await service.ticket()
    assert any(t["metric"] == "first_response" for t in ticket["sla"])


async def test_t9_only_supervisors_and_managers_choose_a_new_customers_tier(service) -> None:
    """Issue #7 item 6: an agent opening a profile in the `key` tier raised every priority."""
    body = {"name": "王五", "phone": "13700000000", "tier": "key"}
    refused = await service.client.post("/customers", json=body,
                                        headers=service.as_("aftersales"))
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "T9" in refused.json()["detail"]
    ticket = {"channel": "im", "kind": "aftersales", "description": "鞋子开胶了",
              "importance": "low", "urgency": "low", "customer": body}
    via_ticket = await service.client.post("/tickets", json=ticket,
                                           headers=service.as_("aftersales"))
    assert via_ticket.status_code == 403
    plain = await service.client.post("/customers", json={**body, "tier": "new"},
                                      headers=service.as_("presales"))
    assert plain.status_code == 201 and plain.json()["tier"] == "new"
    for role in ("supervisor", "manager"):
        chosen = await service.client.post("/customers", json=body, headers=service.as_(role))
        assert chosen.status_code == 201 and chosen.json()["tier"] == "key"


async def test_t15_contact_changes_only_by_the_agent_holding_an_open_ticket(service) -> None:
    """Issue #7 item 6, choice (b) refusal: of two agents, the one holding the customer's open
    ticket changes the contact details; the other gets 403; a supervisor always may."""
    customer = await service.customer()
    number = (await service.ticket(customer_id=customer))["number"]
    await service.hire("hd-holder", "aftersales")
    moved = await service.client.post(f"/tickets/{number}/reassign",
                                      headers=service.as_("supervisor"),
                                      json={"to_staff_id": "hd-holder", "reason": "test"})
    assert moved.status_code == 200, moved.text
    other = await service.client.patch(f"/customers/{customer}", json={"phone": "13911112222"},
                                       headers=service.as_("aftersales", "hd-other"))
    assert other.status_code == 403
    assert "T15" in other.json()["detail"]
    holder = await service.client.patch(f"/customers/{customer}", json={"phone": "13933334444"},
                                        headers=service.as_("aftersales", "hd-holder"))
    assert holder.status_code == 200 and holder.json()["phone"] == "13933334444"
    tier = await service.client.patch(f"/customers/{customer}", json={"tier": "key"},
                                      headers=service.as_("aftersales", "hd-holder"))
    assert tier.status_code == 403
    supervisor = await service.client.patch(f"/customers/{customer}",
                                            json={"email": "new@example.com"},
                                            headers=service.as_("supervisor"))
    assert supervisor.status_code == 200 and supervisor.json()["email"] == "new@example.com"
    stored = await service.db["customers"].find_one({"_id": customer})
    assert stored["phone"] == "13933334444" and stored["updated_by"].startswith("supervisor")


async def test_h2_a_duty_period_crossing_midnight_counts_toward_the_day_it_starts(
        start_tickets, amqp_url) -> None:
    """Issue #7 item 10: 22:00-02:00 on 10 Dec (Asia/Shanghai) covers 23:30 that day and 01:30
    the next; at 02:30 nobody is on duty."""
    night = date(2026, 12, 10)
    clock = SettableClock(datetime(2026, 12, 10, 23, 30, tzinfo=SHANGHAI))
    async with start_tickets(clock=clock, sla_scan_interval_s=3600) as svc:
        await _hire(svc, amqp_url, "night-a")
        roster = new_envelope(RosterPublished(
            roster_id="R-night", month="2026-12", team="night",
            assignments=[_duty("night-a", day=night, shift="cs_night",
                               periods=[ShiftPeriod(start=time(22), end=time(2))])]))
        await send(amqp_url, svc.settings.exchange, roster)
        await _handled(svc, roster.id)
        late = await svc.ticket()
        clock.set(datetime(2026, 12, 11, 1, 30, tzinfo=SHANGHAI))
        small_hours = await svc.ticket()
        clock.set(datetime(2026, 12, 11, 2, 30, tzinfo=SHANGHAI))
        after = await svc.ticket()
    assert late["assignee_id"] == "night-a" and small_hours["assignee_id"] == "night-a"
    assert after["assignee_id"] is None


async def test_t13_the_daily_reminder_is_sent_once_a_day_by_two_replicas(
        isolation, start_tickets, amqp_url) -> None:
    """Issue #7 item 10: an automatic daily review reminder, run once per day across replicas
    (a claim document keyed by the shop day)."""
    settings = isolation.settings("tickets", Settings, review_reminder_at=time(9),
                                  review_reminder_check_s=0.05, sla_scan_interval_s=3600)
    clock = SettableClock(datetime(2026, 12, 15, 8, 0, tzinfo=SHANGHAI))
    owners = ["dr-owner-a", "dr-owner-b"]
    async with start_tickets(settings, clock) as one, start_tickets(settings, clock) as two:
        for i, owner in enumerate(owners):
            await send(amqp_url, settings.exchange, new_envelope(RmaStatusChanged(
                rma_number=f"RMA-DR-{i}", order_id=f"O-DR-{i}", from_status="open",
                to_status="refunding", owner_id=owner, refund_in_progress=True,
                next_action_at=clock.now() + timedelta(days=1))))
        await eventually(lambda: _count(one, "review_items", {"owner_id": {"$in": owners}}, 2),
                         timeout=20, what="review items")
        await _checks(one, two, rounds=3)
        assert await _reminders(one) == []  # not before 09:00
        clock.set(datetime(2026, 12, 15, 9, 5, tzinfo=SHANGHAI))
        await eventually(lambda: _has(one, 2), timeout=20, what="today's reminders")
        await _checks(one, two, rounds=5)
        sent = await _reminders(one)
        assert sorted((d["owner_id"], d["day"]) for d in sent) == [
            (owner, "2026-12-15") for owner in owners]
        assert {d["reminded_by"] for d in sent} == {"scheduler"}
        assert await _count(one, "review_daily_runs", {"_id": "2026-12-15"}, 1)
        clock.set(datetime(2026, 12, 16, 9, 30, tzinfo=SHANGHAI))
        await eventually(lambda: _has(one, 4), timeout=20, what="the next day's reminders")
        await _checks(one, two, rounds=5)
        assert len(await _reminders(one)) == 4


async def _checks(one, two, rounds: int) -> None:
    """Let both replicas' reminder jobs look `rounds` more times (polled, never slept)."""
    marks = [r.runtime.jobs["review_reminder"].checks for r in (one, two)]
    await eventually(lambda: all(r.runtime.jobs["review_reminder"].checks >= m + rounds
                                 for r, m in zip((one, two), marks, strict=True)),
                     timeout=20, what=f"{rounds} more reminder checks on both replicas")


async def _reminders(svc) -> list[dict]:
    rows = await svc.db["outbox"].find({"type": "tickets.review.reminder_sent"}).to_list()
    return [json.loads(row["body"])["data"] for row in rows]


async def _has(svc, count: int) -> bool:
    return len(await _reminders(svc)) >= count


async def test_t2_staffed_hours_are_a_policy_a_manager_edits(start_tickets) -> None:
    """Issue #7 item 10: T2's staffed hours were a rulebook default in code; now a policy."""
    clock = SettableClock(datetime(2026, 12, 17, 8, 0, tzinfo=SHANGHAI))  # a Thursday
    async with start_tickets(clock=clock, sla_scan_interval_s=3600) as svc:
        seeded = await svc.client.get("/staffed-hours", headers=svc.as_("presales"))
        assert seeded.status_code == 200
        assert seeded.json()["periods"] == [{"start": "09:00:00", "end": "11:30:00"},
                                            {"start": "12:30:00", "end": "23:30:00"}]
        before = await svc.ticket()
        assert _first_response_due(before) == datetime(2026, 12, 17, 9, 3, tzinfo=SHANGHAI)
        body = {"periods": [{"start": "07:00", "end": "08:30"}, {"start": "09:00",
                                                                "end": "22:00"}]}
        refused = await svc.client.put("/staffed-hours", json=body,
                                       headers=svc.as_("supervisor"))
        assert refused.status_code == 403
        for bad in ({"periods": [{"start": "22:00", "end": "02:00"}]},
                    {"periods": [{"start": "09:00", "end": "12:00"},
                                 {"start": "11:00", "end": "13:00"}]},
                    {"periods": []}):
            invalid = await svc.client.put("/staffed-hours", json=bad,
                                           headers=svc.as_("manager"))
            assert invalid.status_code == 422, bad
        put = await svc.client.put("/staffed-hours", json=body, headers=svc.as_("manager"))
        assert put.status_code == 200, put.text
        after = await svc.ticket()
        assert _first_response_due(after) == datetime(2026, 12, 17, 8, 3, tzinfo=SHANGHAI)
        assert _first_response_due(await svc.client.get(
            f"/tickets/{before['number']}", headers=svc.as_("manager"))) == datetime(
            2026, 12, 17, 9, 3, tzinfo=SHANGHAI)  # a running target keeps its due time


def _first_response_due(ticket) -> datetime:
    data = ticket if isinstance(ticket, dict) else ticket.json()
    target = next(t for t in data["sla"] if t["metric"] == "first_response")
    return datetime.fromisoformat(target["due_at"])
