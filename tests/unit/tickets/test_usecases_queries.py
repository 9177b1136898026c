"""Reading tickets with their customer as the viewer may see it (T15), lists (T9); on fakes."""

from __future__ import annotations

from tickets.application.context import Actor
from tickets.application.ticket_queries import customer_tickets, get_ticket, list_tickets
from tickets.domain.ports import TicketFilter
from unit.tickets.fakes import clock_of, fake_deps, store_of
from unit.tickets.fakes.builders import SUPERVISOR, add_customer, opened, put_on_duty


async def test_t15_the_assignee_sees_the_customer_in_full_others_masked() -> None:
    deps = fake_deps()
    put_on_duty(store_of(deps), "as-1", "aftersales", deps.clock.now().date())
    ticket = await opened(deps)

    mine = await get_ticket(deps, Actor("as-1", "aftersales"), ticket.number)
    boss = await get_ticket(deps, SUPERVISOR, ticket.number)
    other = await get_ticket(deps, Actor("as-2", "aftersales"), ticket.number)

    assert mine.customer is not None and mine.customer["phone"] == "13800138000"
    assert boss.customer is not None and not boss.customer["masked"]
    assert other.customer is not None and other.customer["masked"]
    assert other.customer["phone"] != "13800138000"


async def test_t9_a_customer_s_tickets_newest_first() -> None:
    deps = fake_deps()
    add_customer(store_of(deps), "CU-2")
    first = await opened(deps)
    clock_of(deps).advance(minutes=1)
    second = await opened(deps)
    await opened(deps, customer_id="CU-2")

    page = await customer_tickets(deps, SUPERVISOR, first.customer_id, page=1, limit=10)

    assert [i.ticket.number for i in page.items] == [second.number, first.number]
    assert page.total == 2


async def test_listing_unassigned_tickets() -> None:
    deps = fake_deps()
    unassigned = await opened(deps)
    put_on_duty(store_of(deps), "as-1", "aftersales", deps.clock.now().date())
    await opened(deps)

    page = await list_tickets(deps, SUPERVISOR, TicketFilter(unassigned=True), 1, 10)

    assert [i.ticket.number for i in page.items] == [unassigned.number]
