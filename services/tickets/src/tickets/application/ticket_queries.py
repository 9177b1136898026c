"""Reading tickets, with the customer embedded as the viewer may see it (T15)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tickets.application.context import Actor
from tickets.application.customers import profile_view
from tickets.application.deps import Deps
from tickets.domain.customers import Customer
from tickets.domain.ports import TicketFilter
from tickets.domain.privacy import can_see_personal_data
from tickets.domain.ticket import Ticket


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


def _embed(ticket: Ticket, customer: Customer | None, actor: Actor) -> TicketWithCustomer:
    """T15: full data for the ticket's assignee and supervisors, masked for everyone else."""
    if customer is None:
        return TicketWithCustomer(ticket, None)
    full = can_see_personal_data(actor.staff_id, actor.role, ticket.assignee_id)
    return TicketWithCustomer(ticket, profile_view(customer, masked=not full))


async def with_customer(deps: Deps, actor: Actor, ticket: Ticket) -> TicketWithCustomer:
    """A ticket just changed by `actor`, with its customer as `actor` may see it."""
    customer = await deps.reads.customers.find(ticket.customer_id)
    return _embed(ticket, customer, actor)


async def get_ticket(deps: Deps, actor: Actor, number: str) -> TicketWithCustomer:
    ticket = await deps.reads.ticket_queries.get(number)
    customer = await deps.reads.customers.find(ticket.customer_id)
    return _embed(ticket, customer, actor)


async def list_tickets(deps: Deps, actor: Actor, where: TicketFilter, page: int,
                       limit: int) -> TicketPage:
    """Tickets matching typed filters, newest first; unassigned ones with `unassigned`."""
    tickets, total = await deps.reads.ticket_queries.search(where, page, limit)
    customers = await deps.reads.customers.many(sorted({t.customer_id for t in tickets}))
    items = [_embed(t, customers.get(t.customer_id), actor) for t in tickets]
    return TicketPage(items, total, page, limit)


async def ticket_timeline(deps: Deps, number: str) -> list[dict[str, Any]]:
    """T8: every change, oldest first, with who and when."""
    return await deps.reads.ticket_queries.timeline(number)


async def customer_tickets(deps: Deps, actor: Actor, customer_id: str, page: int,
                           limit: int) -> TicketPage:
    """T9: the customer's past and open tickets."""
    await deps.reads.customers.get(customer_id)
    return await list_tickets(deps, actor, TicketFilter(customer_id=customer_id), page, limit)
