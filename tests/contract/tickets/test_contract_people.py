"""Contract of customer profiles (T9) and of staff and duty from hr (H1, H2, H5, T1), on the
fakes and on MongoDB alike."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from contract.tickets.backends import Backend
from contract.tickets.tickets_data import T0, new_ticket
from tickets.domain.customers import Customer, OrderReference
from tickets.domain.duty import DutyAssignment, StaffRecord
from tickets.domain.errors import Conflict, NotFound
from tickets.domain.model import StaffMember
from tickets.domain.ports import TicketsUnitOfWork

DAY = date(2026, 11, 26)


def _customer(customer_id: str = "CU-1", **fields: Any) -> Customer:
    values: dict[str, Any] = {"name": "王芳", "phone": "13800138000", "platform_ids": ("tb-1",),
                              "tier": "regular", "created_at": T0, "created_by": "as-1",
                              **fields}
    return Customer(id=customer_id, **values)


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
        await uow.customers.add(_customer("CU-2", platform_ids=()))
    await backend.run(add)

    found = await backend.reads.customers.many(["CU-2", "CU-9", "CU-1"])

    assert set(found) == {"CU-1", "CU-2"}
    assert found["CU-2"].platform_ids == ()


async def test_adding_a_taken_customer_id_is_a_conflict(backend: Backend) -> None:
    await backend.run(lambda uow: uow.customers.add(_customer()))
    with pytest.raises(Conflict):
        await backend.run(lambda uow: uow.customers.add(_customer()))


async def test_save_writes_a_loaded_profile_s_changes(backend: Backend) -> None:
    await backend.run(lambda uow: uow.customers.add(_customer()))

    async def change(uow: TicketsUnitOfWork) -> None:
        customer = await uow.customers.get("CU-1")
        await uow.customers.save(customer.changed({"tier": "key", "platform_ids": ["tb-2"]},
                                                  by="sup-1", at=T0 + timedelta(hours=1)))
    await backend.run(change)

    assert await backend.reads.customers.get("CU-1") == _customer(
        tier="key", platform_ids=("tb-2",), updated_by="sup-1",
        updated_at=T0 + timedelta(hours=1))
    assert await backend.reads.customers.by_platform_id("tb-1") is None
    with pytest.raises(NotFound):
        await backend.run(lambda uow: uow.customers.save(_customer("CU-9")))


async def test_t9_order_references_round_trip(backend: Backend) -> None:
    order = OrderReference(order_id="TB-1", platform="taobao", placed_on=DAY,
                           added_by="as-1", added_at=T0)
    await backend.run(lambda uow: uow.customers.add(_customer()))

    async def add_order(uow: TicketsUnitOfWork) -> None:
        customer = await uow.customers.get("CU-1")
        if (changed := customer.with_order(order)) is not None:
            await uow.customers.save(changed)
    await backend.run(add_order)
    await backend.run(add_order)

    after = await backend.reads.customers.get("CU-1")
    assert after.orders == (order,)
    assert after.with_order(OrderReference(order_id="TB-1")) is None


async def test_a_profile_without_a_tier_reads_as_one_without(backend: Backend) -> None:
    await backend.run(lambda uow: uow.customers.add(_customer(tier=None)))

    stored = await backend.reads.customers.get("CU-1")

    assert stored.tier is None and stored.tier_or_regular == "regular"


def _duty(staff_id: str, *, day: date = DAY, role: str = "aftersales", team: str | None = "cs",
          start: time = time(9), end: time = time(18)) -> DutyAssignment:
    return DutyAssignment(day=day, staff_id=staff_id, role=role, shift="early",
                          periods=((start, end),), source="r-1", team=team)


def _staff(staff_id: str, role: str = "aftersales", *, active: bool = True,
           at: datetime = T0, **fields: Any) -> StaffRecord:
    return StaffRecord(id=staff_id, display_name=fields.pop("display_name", staff_id),
                       role=role, active=active, updated_at=at, **fields)


async def test_h2_on_duty_are_the_active_staff_whose_shift_covers_the_time(
        backend: Backend) -> None:
    docs = [_duty("as-2"), _duty("as-1"), _duty("as-3", start=time(13)),
            _duty("ps-1", role="presales"), _duty("as-4", day=DAY + timedelta(days=1)),
            _duty("as-5")]

    async def put(uow: TicketsUnitOfWork) -> None:
        await uow.staff.replace_roster("2026-11", "cs", docs, T0)
        await uow.staff.put_staff(_staff("as-5", active=False))
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


async def test_h2_an_entry_held_by_another_team_goes_to_the_later_roster(
        backend: Backend) -> None:
    async def roster(team: str, duties: list[DutyAssignment], at: datetime) -> bool:
        return await backend.run(
            lambda uow: uow.staff.replace_roster("2026-11", team, duties, at))
    moved = _duty("as-1", team="cs")
    teams = backend.reads.staff.teams_of

    assert await roster("cs", [moved], T0)
    assert await roster("vip", [_duty("as-1", team="vip")], T0 + timedelta(hours=1))
    assert await teams([moved.id]) == {(DAY.isoformat(), "early"): "vip"}

    assert await roster("cs", [moved, _duty("as-2")], T0 + timedelta(minutes=30))
    assert await teams([moved.id]) == {(DAY.isoformat(), "early"): "vip"}  # vip's is newer
    assert await backend.reads.staff.on_duty("aftersales", DAY, time(10)) == ["as-1", "as-2"]


async def test_h2_a_night_shift_covers_the_first_hours_of_the_next_day(
        backend: Backend) -> None:
    await backend.run(lambda uow: uow.staff.put_duty(
        [_duty("as-1", start=time(22), end=time(2))]))
    on_duty = backend.reads.staff.on_duty

    assert await on_duty("aftersales", DAY, time(23)) == ["as-1"]
    assert await on_duty("aftersales", DAY + timedelta(days=1), time(1)) == ["as-1"]
    assert await on_duty("aftersales", DAY + timedelta(days=1), time(2)) == []
    assert await on_duty("aftersales", DAY, time(1)) == []


async def test_h5_duty_entries_are_removed_and_put_with_their_team(backend: Backend) -> None:
    await backend.run(lambda uow: uow.staff.replace_roster("2026-11", "cs", [_duty("as-1")], T0))
    removed = [_duty("as-1").id]

    teams = await backend.run(lambda uow: uow.staff.teams_of([*removed, "nope"]))

    async def swap(uow: TicketsUnitOfWork) -> None:
        await uow.staff.remove_duty(removed)
        await uow.staff.put_duty([_duty("as-7", team=teams[(DAY.isoformat(), "early")])])
        await uow.staff.put_duty([_duty("as-7", team=teams[(DAY.isoformat(), "early")])])
    await backend.run(swap)

    assert teams == {(DAY.isoformat(), "early"): "cs"}
    assert await backend.reads.staff.on_duty("aftersales", DAY, time(10, 0)) == ["as-7"]


async def test_h1_a_staff_record_older_than_the_stored_one_is_ignored(backend: Backend) -> None:
    newer = _staff("as-1")
    older = _staff("as-1", active=False, at=T0 - timedelta(hours=1))

    assert await backend.run(lambda uow: uow.staff.put_staff(newer))
    assert not await backend.run(lambda uow: uow.staff.put_staff(older))

    await backend.run(lambda uow: uow.staff.put_duty([_duty("as-1")]))
    assert await backend.reads.staff.on_duty("aftersales", DAY, time(10, 0)) == ["as-1"]


async def test_h1_the_directory_knows_a_member_s_role_and_whether_they_left(
        backend: Backend) -> None:
    async def put(uow: TicketsUnitOfWork) -> None:
        await uow.staff.put_staff(_staff("sup-1", "supervisor", display_name="李"))
        await uow.staff.put_staff(_staff("as-1", active=False, display_name="王"))
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


def _next_of(agents: list[str]) -> Callable[[str | None], str | None]:
    """Round robin over `agents`: the one after the last (the first if there is none)."""
    def choose(last: str | None) -> str | None:
        if not agents:
            return None
        return agents[(agents.index(last) + 1) % len(agents)] if last in agents else agents[0]
    return choose


async def test_t1_take_turn_goes_round_the_agents_per_role(backend: Backend) -> None:
    staff = backend.reads.staff
    agents = _next_of(["as-1", "as-2", "as-3"])

    given = [await staff.take_turn("aftersales", f"TK-{n}", agents, T0) for n in range(4)]

    assert given == ["as-1", "as-2", "as-3", "as-1"]
    assert await staff.take_turn("presales", "TK-9", _next_of(["ps-1", "ps-2"]), T0) == "ps-1"
    assert await staff.take_turn("presales", "TK-10", _next_of([]), T0) is None
    assert await staff.take_turn("presales", "TK-11", _next_of(["ps-1", "ps-2"]), T0) == "ps-2"


async def test_t1_a_retried_turn_gets_the_agent_it_was_given(backend: Backend) -> None:
    staff = backend.reads.staff
    agents = _next_of(["as-1", "as-2"])

    first = await staff.take_turn("aftersales", "TK-1", agents, T0)
    again = await staff.take_turn("aftersales", "TK-1", agents, T0)
    second = await staff.take_turn("aftersales", "TK-2", agents, T0)

    assert (first, again, second) == ("as-1", "as-1", "as-2")


async def test_t1_the_cursor_moves_outside_the_caller_s_transaction(backend: Backend) -> None:
    agents = _next_of(["as-1", "as-2"])

    async def failed_opening(uow: TicketsUnitOfWork) -> None:
        assert await uow.staff.take_turn("aftersales", "TK-1", agents, T0) == "as-1"
        raise RuntimeError("the opening failed after its turn")
    with pytest.raises(RuntimeError):
        await backend.run(failed_opening)

    staff = backend.reads.staff
    assert await staff.take_turn("aftersales", "TK-1", agents, T0) == "as-1"  # the retry
    assert await staff.take_turn("aftersales", "TK-2", agents, T0) == "as-2"


async def test_t1_concurrent_turns_never_give_the_same_agent_twice(backend: Backend) -> None:
    """Compare and set: openings racing on the cursor each move it on from where the last
    one left it."""
    agents = [f"as-{n}" for n in range(1, 6)]
    choose = _next_of(agents)

    async def turn(n: int) -> str | None:
        await asyncio.sleep(0)
        return await backend.another().staff.take_turn("aftersales", f"TK-{n}", choose, T0)

    given = await asyncio.gather(*(turn(n) for n in range(len(agents))))

    assert sorted(given) == agents  # type: ignore[type-var]
