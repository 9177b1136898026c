"""Contract of customer profiles (T9) and of staff and duty from hr (H1, H2, H5, T1), on the
fakes and on MongoDB alike."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest

from contract.tickets.backends import Backend
from contract.tickets.tickets_data import T0, new_ticket
from tickets.domain.errors import Conflict, NotFound
from tickets.domain.model import StaffMember
from tickets.domain.ports import TicketsUnitOfWork

DAY = date(2026, 11, 26)


def _customer(customer_id: str = "CU-1", **fields: Any) -> dict[str, Any]:
    return {"_id": customer_id, "name": "王芳", "phone": "13800138000",
            "platform_ids": ["tb-1"], "tier": "regular", "orders": [], **fields}


async def test_a_customer_round_trips_and_is_found_by_platform_id(backend: Backend) -> None:
    await backend.run(lambda uow: uow.customers.add(_customer()))
    customers = backend.reads.customers

    assert await customers.get("CU-1") == _customer()
    assert await customers.find("CU-1") == _customer()
    assert await customers.by_platform_id("tb-1") == _customer()
    assert await customers.by_platform_id("tb-2") is None
    assert await customers.find("CU-2") is None
    with pytest.raises(NotFound):
        await customers.get("CU-2")


async def test_many_returns_the_known_customers_by_id(backend: Backend) -> None:
    async def add(uow: TicketsUnitOfWork) -> None:
        await uow.customers.add(_customer("CU-1"))
        await uow.customers.add(_customer("CU-2", platform_ids=[]))
    await backend.run(add)

    found = await backend.reads.customers.many(["CU-2", "CU-9", "CU-1"])

    assert set(found) == {"CU-1", "CU-2"}
    assert found["CU-2"]["platform_ids"] == []


async def test_adding_a_taken_customer_id_is_a_conflict(backend: Backend) -> None:
    await backend.run(lambda uow: uow.customers.add(_customer()))
    with pytest.raises(Conflict):
        await backend.run(lambda uow: uow.customers.add(_customer()))


async def test_update_sets_fields_and_returns_the_profile(backend: Backend) -> None:
    await backend.run(lambda uow: uow.customers.add(_customer()))

    changed = await backend.run(lambda uow: uow.customers.update("CU-1", {"tier": "key"}))

    assert changed == _customer(tier="key")
    with pytest.raises(NotFound):
        await backend.run(lambda uow: uow.customers.update("CU-9", {"tier": "key"}))


async def test_t9_an_order_reference_is_kept_once(backend: Backend) -> None:
    await backend.run(lambda uow: uow.customers.add(_customer()))
    order = {"order_id": "TB-1", "platform": "taobao"}

    await backend.run(lambda uow: uow.customers.add_order("CU-1", order))
    after = await backend.run(lambda uow: uow.customers.add_order("CU-1", order))

    assert after["orders"] == [order]
    with pytest.raises(NotFound):
        await backend.run(lambda uow: uow.customers.add_order("CU-9", order))


def _duty(staff_id: str, *, day: date = DAY, role: str = "aftersales", team: str | None = "cs",
          start: str = "09:00:00", end: str = "18:00:00") -> dict[str, Any]:
    return {"_id": f"{day.isoformat()}:{staff_id}:early", "day": day.isoformat(),
            "month": f"{day:%Y-%m}", "team": team, "staff_id": staff_id, "role": role,
            "shift": "early", "periods": [{"start": start, "end": end}],
            "holiday_duty": False, "source": "r-1"}


async def test_h2_on_duty_are_the_active_staff_whose_shift_covers_the_time(
        backend: Backend) -> None:
    docs = [_duty("as-2"), _duty("as-1"), _duty("as-3", start="13:00:00"),
            _duty("ps-1", role="presales"), _duty("as-4", day=DAY + timedelta(days=1)),
            _duty("as-5")]

    async def put(uow: TicketsUnitOfWork) -> None:
        await uow.staff.replace_roster("2026-11", "cs", docs, T0)
        await uow.staff.put_staff({"_id": "as-5", "active": False, "updated_at": T0})
    await backend.run(put)
    on_duty = backend.reads.staff.on_duty

    assert await on_duty("aftersales", DAY, time(10, 0)) == ["as-1", "as-2"]
    assert await on_duty("aftersales", DAY, time(18, 0)) == []
    assert await on_duty("presales", DAY, time(9, 0)) == ["ps-1"]


async def test_h2_a_roster_replaces_its_team_s_month_unless_it_is_older(
        backend: Backend) -> None:
    staff = backend.reads.staff

    async def roster(docs: list, at, team: str | None = "cs") -> bool:
        return await backend.run(lambda uow: uow.staff.replace_roster("2026-11", team, docs, at))

    assert await roster([_duty("as-1"), _duty("as-9", team="other")], T0)
    assert await roster([_duty("as-8", team="other")], T0, team="other")
    assert await roster([_duty("as-2")], T0 + timedelta(hours=1))
    assert not await roster([_duty("as-3")], T0)  # older than the stored one

    assert await staff.on_duty("aftersales", DAY, time(10, 0)) == ["as-2", "as-8"]


async def test_h5_duty_entries_are_removed_and_put_with_their_team(backend: Backend) -> None:
    await backend.run(lambda uow: uow.staff.replace_roster("2026-11", "cs", [_duty("as-1")], T0))
    removed = [_duty("as-1")["_id"]]

    teams = await backend.run(lambda uow: uow.staff.teams_of([*removed, "nope"]))

    async def swap(uow: TicketsUnitOfWork) -> None:
        await uow.staff.remove_duty(removed)
        await uow.staff.put_duty([_duty("as-7", team=teams[(DAY.isoformat(), "early")])])
        await uow.staff.put_duty([_duty("as-7", team=teams[(DAY.isoformat(), "early")])])
    await backend.run(swap)

    assert teams == {(DAY.isoformat(), "early"): "cs"}
    assert await backend.reads.staff.on_duty("aftersales", DAY, time(10, 0)) == ["as-7"]


async def test_h1_a_staff_record_older_than_the_stored_one_is_ignored(backend: Backend) -> None:
    newer = {"_id": "as-1", "role": "aftersales", "active": True, "updated_at": T0}
    older = {**newer, "active": False, "updated_at": T0 - timedelta(hours=1)}

    assert await backend.run(lambda uow: uow.staff.put_staff(newer))
    assert not await backend.run(lambda uow: uow.staff.put_staff(older))

    await backend.run(lambda uow: uow.staff.put_duty([_duty("as-1")]))
    assert await backend.reads.staff.on_duty("aftersales", DAY, time(10, 0)) == ["as-1"]


async def test_h1_the_directory_knows_a_member_s_role_and_whether_they_left(
        backend: Backend) -> None:
    async def put(uow: TicketsUnitOfWork) -> None:
        await uow.staff.put_staff({"_id": "sup-1", "role": "supervisor", "active": True,
                                   "display_name": "李", "updated_at": T0})
        await uow.staff.put_staff({"_id": "as-1", "role": "aftersales", "active": False,
                                   "display_name": "王", "updated_at": T0})
    await backend.run(put)
    member = backend.reads.staff.member

    assert await member("sup-1") == StaffMember("sup-1", "supervisor", True)
    assert await member("as-1") == StaffMember("as-1", "aftersales", False)
    assert await member("nobody") is None


async def test_t1_open_loads_count_the_open_tickets_of_each_agent(backend: Backend) -> None:
    async def add(uow: TicketsUnitOfWork) -> None:
        for seq, agent in enumerate(["as-1", "as-1", "as-2"], start=1):
            await uow.tickets.add(new_ticket(seq, assignee_id=agent))
    await backend.run(add)

    assert await backend.reads.staff.open_loads(["as-1", "as-2", "as-3"]) == {
        "as-1": 2, "as-2": 1, "as-3": 0}


async def test_t1_the_round_robin_cursor_remembers_the_last_agent_per_role(
        backend: Backend) -> None:
    assert await backend.reads.staff.last_assigned("aftersales") is None

    await backend.run(lambda uow: uow.staff.remember_assigned("aftersales", "as-1", T0))
    await backend.run(lambda uow: uow.staff.remember_assigned("aftersales", "as-2", T0))

    assert await backend.reads.staff.last_assigned("aftersales") == "as-2"
    assert await backend.reads.staff.last_assigned("presales") is None
