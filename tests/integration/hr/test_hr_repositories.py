"""One set of repository tests, run on the in-memory fakes and on the real database: the
fakes the use-case tests rely on behave as the Mongo repositories do."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, timedelta

import pytest

from hr.domain.attendance import Punch
from hr.domain.errors import Conflict, NotFound
from hr.domain.fund import FundEntry
from hr.domain.ledger import LedgerEntry
from hr.domain.policy import HrPolicy
from hr.domain.presence import PresenceChange
from hr.domain.requests import Request
from hr.domain.roster import Roster, RosterEntry
from hr.domain.settlement import Settlement
from hr.storage.indexes import INDEXES
from hr.storage.unit_of_work import MongoHrRepositories
from ops_shared.persistence import apply_indexes
from unit.hr.fakes import FakeRepositories, at, staff

pytestmark = pytest.mark.integration


@pytest.fixture(params=["fake", "mongo"])
async def repos(request, mongo_client) -> AsyncIterator[object]:
    if request.param == "fake":
        yield FakeRepositories()
        return
    name = f"t_hr_repos_{uuid.uuid4().hex[:8]}"
    db = mongo_client[name]
    await apply_indexes(db, INDEXES)
    yield MongoHrRepositories(db)
    await mongo_client.drop_database(name)


async def test_staff_add_get_save_search(repos) -> None:
    await repos.staff.add(staff("a1", supervisor_id="s1"))
    await repos.staff.add(staff("a2", team="other"))
    with pytest.raises(Conflict):
        await repos.staff.add(staff("a1"))
    with pytest.raises(NotFound):
        await repos.staff.get("nobody")
    assert await repos.staff.find("nobody") is None
    person = await repos.staff.get("a1")
    changed = replace(person, active=False)
    await repos.staff.save(changed)
    assert changed.version == 1 and (await repos.staff.get("a1")).active is False
    with pytest.raises(Conflict):
        await repos.staff.save(person)  # stale version
    assert [p.staff_id for p in await repos.staff.search(team="cs")] == ["a1"]
    assert [p.staff_id for p in await repos.staff.search(supervisor_id="s1")] == ["a1"]
    assert [p.staff_id for p in await repos.staff.search(active=True)] == ["a2"]


async def test_policy_defaults_then_versioned_changes(repos) -> None:
    assert await repos.policies.get() == HrPolicy()
    changed = (await repos.policies.get()).changed(pay_day=12)
    await repos.policies.save(changed)
    stored = await repos.policies.get()
    assert (stored.pay_day, stored.version, stored.shifts) == (12, 1, HrPolicy().shifts)
    with pytest.raises(Conflict):
        await repos.policies.save(HrPolicy().changed(pay_day=3))


async def test_rosters_by_month_and_status(repos) -> None:
    entry = RosterEntry(date(2026, 12, 1), "a1", "aftersales", "cs_early", swap_id="x")
    await repos.rosters.add(Roster("2026-12:cs", "2026-12", "cs", [entry]))
    with pytest.raises(Conflict):
        await repos.rosters.add(Roster("2026-12:cs", "2026-12", "cs"))
    roster = await repos.rosters.get("2026-12:cs")
    assert roster.entries == [entry]
    assert await repos.rosters.of_month("2026-12", published=True) == []
    roster.status = "published"
    await repos.rosters.save(roster)
    assert [r.roster_id for r in await repos.rosters.of_month("2026-12", published=True)] == [
        "2026-12:cs"]


async def test_punches_are_stored_once_per_id(repos) -> None:
    punches = [Punch("d-1", "a1", at(2, 9), "device", "hr"),
               Punch("d-2", "a1", at(2, 18), "device", "hr")]
    assert await repos.punches.add(punches) == 2
    assert await repos.punches.add(punches) == 0
    found = await repos.punches.between("a1", at(2, 8), at(2, 10))
    assert [p.punch_id for p in found] == ["d-1"] and found[0].at == at(2, 9)


async def test_requests_search(repos) -> None:
    swap = Request("swap-1", "swap", "a1", "s1", date(2026, 12, 3), at(1, 8),
                   state="awaiting_colleague", colleague_id="a2",
                   colleague_day=date(2026, 12, 4))
    leave = Request("leave-1", "leave", "a3", "s1", date(2027, 1, 3), at(1, 9))
    await repos.requests.add(swap)
    await repos.requests.add(leave)
    assert [r.request_id for r in await repos.requests.search(staff_ids=["a2"])] == ["swap-1"]
    assert [r.request_id for r in await repos.requests.search(months=["2027-01"])] == [
        "leave-1"]
    assert [r.request_id for r in await repos.requests.search(approver_id="s1")] == [
        "swap-1", "leave-1"]
    loaded = await repos.requests.get("swap-1")
    assert loaded.colleague_day == date(2026, 12, 4)
    loaded.move("accept", "a2", at(1, 10))
    await repos.requests.save(loaded)
    assert (await repos.requests.get("swap-1")).state == "awaiting_supervisor"
    assert await repos.requests.search(states=["awaiting_colleague"]) == []


async def test_presence_around_a_window(repos) -> None:
    for n, minutes in enumerate((-30, -10, 5, 200)):
        await repos.presence.add(PresenceChange(f"c{n}", "a1", "online",
                                                at(2, 9) + timedelta(minutes=minutes), "im"))
    found = await repos.presence.around("a1", at(2, 9), at(2, 13))
    assert [c.change_id for c in found] == ["c1", "c2", "c3"]


async def test_ledger_records_each_source_once(repos) -> None:
    entry = LedgerEntry("e1", "a1", "2026-12", "points", -3, "H17", "event:1", "s1", at(3, 9))
    assert await repos.ledger.add(entry) is True
    assert await repos.ledger.add(replace(entry, entry_id="e2")) is False
    assert await repos.ledger.add(replace(entry, entry_id="e3", rule="H19")) is True
    assert [e.entry_id for e in await repos.ledger.of_month("2026-12", ["a1"])] == ["e1", "e3"]
    assert await repos.ledger.of_month("2026-11") == []
    assert await repos.ledger.count("a1", "H17") == 1


async def test_settlements_one_per_month_and_closed_months(repos) -> None:
    draft = Settlement("2026-12", at(9), "s1")
    await repos.settlements.add(draft)
    with pytest.raises(Conflict):
        await repos.settlements.add(Settlement("2026-12", at(9), "boss"))
    loaded = await repos.settlements.get("2026-12")
    loaded.state = "approved"
    await repos.settlements.save(loaded)
    assert await repos.settlements.closed_months() == {"2026-12"}


async def test_fund_facts_and_job_leases(repos) -> None:
    entry = FundEntry("f1", "in", 100, "settlement:2026-12:a1", "x", "boss", at(9))
    assert await repos.fund.add(entry) is True
    assert await repos.fund.add(replace(entry, entry_id="f2")) is False
    assert [e.entry_id for e in await repos.fund.all()] == ["f1"]
    assert await repos.facts.add("ev1", "a1", "2026-12", "callback", 4) is True
    assert await repos.facts.add("ev1", "a1", "2026-12", "callback", 4) is False
    assert [f["value"] for f in await repos.facts.of_month("2026-12")] == [4]
    assert await repos.jobs.claim("close:x", "r1", at(2), 60) is True
    assert await repos.jobs.claim("close:x", "r2", at(2), 60) is False
    assert await repos.jobs.claim("close:x", "r2", at(3), 60) is True  # lease ran out
    await repos.jobs.finish("close:x", "r2", at(3))
    assert await repos.jobs.finished("close:x")
    assert await repos.jobs.claim("close:x", "r2", at(4), 60) is False
