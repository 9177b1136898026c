"""Reading tickets, with the customer embedded as the viewer may see it (T15)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ops_shared.service import Runtime
from tickets.application.context import Actor
from tickets.domain.privacy import can_see_personal_data, customer_view
from tickets.domain.ticket import Ticket
from tickets.storage.customers import CustomerStore
from tickets.storage.tickets import TicketFilter, TicketQueries


@dataclass(frozen=True)
class TicketWithCustomer:
    ticket: Ticket
    customer: dict[str, Any] | None


@dataclass(frozen=True)
class TicketPage:
    items: list[TicketWithCustomer]
    total: int
    page: int
    limit: int


def _embed(ticket: Ticket, customer: dict | None, actor: Actor) -> TicketWithCustomer:
    """T15: full data for the ticket's assignee and supervisors, masked for everyone else."""
    if customer is None:
        return TicketWithCustomer(ticket, None)
    full = can_see_personal_data(actor.staff_id, actor.role, ticket.assignee_id)
    shown = customer_view(customer, actor.staff_id, actor.role, ticket.assignee_id)
    return TicketWithCustomer(ticket, {**shown, "masked": not full})


async def with_customer(runtime: Runtime, actor: Actor, ticket: Ticket) -> TicketWithCustomer:
    """A ticket just changed by `actor`, with its customer as `actor` may see it."""
    customer = await CustomerStore(runtime.database.db).find(ticket.customer_id)
    return _embed(ticket, customer, actor)


async def get_ticket(runtime: Runtime, actor: Actor, number: str) -> TicketWithCustomer:
    ticket = await TicketQueries(runtime.database.db).get(number)
    customer = await CustomerStore(runtime.database.db).find(ticket.customer_id)
    return _embed(ticket, customer, actor)


async def list_tickets(runtime: Runtime, actor: Actor, where: TicketFilter, page: int,
                       limit: int) -> TicketPage:
    """Tickets matching typed filters, newest first; unassigned ones with `unassigned`."""
    tickets, total = await TicketQueries(runtime.database.db).search(where, page, limit)
    customers = await CustomerStore(runtime.database.db).many(
        sorted({t.customer_id for t in tickets}))
    items = [_embed(t, customers.get(t.customer_id), actor) for t in tickets]
    return TicketPage(items, total, page, limit)


async def ticket_timeline(runtime: Runtime, number: str) -> list[dict[str, Any]]:
    """T8: every change, oldest first, with who and when."""
    return await TicketQueries(runtime.database.db).timeline(number)


async def customer_tickets(runtime: Runtime, actor: Actor, customer_id: str, page: int,
                           limit: int) -> TicketPage:
    """T9: the customer's past and open tickets."""
    await CustomerStore(runtime.database.db).get(customer_id)
    return await list_tickets(runtime, actor, TicketFilter(customer_id=customer_id), page, limit)
