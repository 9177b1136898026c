"""T1: a customer request becomes a numbered ticket, assigned to an on-duty agent."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from tickets.application import outgoing
from tickets.application.assignment import pick_assignee
from tickets.application.context import Actor, sla_clock
from tickets.application.customers import NewCustomer, resolve_customer
from tickets.application.deps import Deps
from tickets.domain import ticket as domain
from tickets.domain.assignment import role_for_kind
from tickets.domain.classification import Classification
from tickets.domain.customers import Customer
from tickets.domain.model import Channel, ComplaintGrade, Importance, Kind, Urgency
from tickets.domain.ports import TicketsUnitOfWork
from tickets.domain.ticket import Ticket


@dataclass(frozen=True)
class NewTicket:
    """The customer's request as a staff member (or a handler) takes it down: what `open_ticket`
    opens. The domain's own command, `domain.OpenTicket`, adds the id, number and assignee."""

    channel: Channel
    kind: Kind
    description: str
    importance: Importance
    urgency: Urgency
    grade: ComplaintGrade | None = None
    customer_id: str | None = None
    customer: NewCustomer | None = None
    classification: Classification | None = None  # T11/T12: suggestions and complaints
    asked_at: datetime | None = None  # T2: when the customer's message arrived (default: now)


async def open_ticket(deps: Deps, actor: Actor, command: NewTicket) -> Ticket:
    """T1: number, customer, priority from importance × urgency × tier, on-duty assignee."""
    at = deps.clock.now()
    day = at.astimezone(deps.calendar.tz).date()
    number = await deps.numbers.next(day)

    async def work(uow: TicketsUnitOfWork) -> Ticket:
        customer = await resolve_customer(uow, actor, command.customer_id, command.customer, at)
        return await open_in(uow, deps, command, customer, at, actor.staff_id, number)

    try:
        return await deps.transaction(work)
    except Exception:
        # T1: the day's next opening takes the number, so the failure leaves no gap; if even
        # that fails, the opening's own error is the one to report.
        with contextlib.suppress(Exception):
            await deps.numbers.release(day, number)
        raise


async def open_in(uow: TicketsUnitOfWork, deps: Deps, command: NewTicket,
                  customer: Customer, at: datetime, actor_id: str | None,
                  number: str | None = None, **extra: str) -> Ticket:
    """Open a ticket inside the caller's transaction (an API request or an event handler)."""
    tz = deps.calendar.tz
    wanted = command.classification
    categories = await uow.categories.names() if wanted and wanted.category else []
    number = number or await uow.numbers.next(at.astimezone(tz).date())
    ticket, events = Ticket.open(domain.OpenTicket(
        id=uuid.uuid4().hex, number=number,
        customer_id=customer.id, channel=command.channel, kind=command.kind,
        description=command.description, importance=command.importance,
        urgency=command.urgency, at=at,
        tier=customer.tier_or_regular, grade=command.grade, actor_id=actor_id,
        assignee_id=await pick_assignee(uow, role_for_kind(command.kind), at, tz, number),
        classification=wanted, asked_at=command.asked_at),
        clock=await sla_clock(uow, deps), categories=categories,
        boost_tiers=await uow.tiers.boosted(), intake=await uow.policies.intake(),
    )
    await uow.tickets.add(ticket, **extra)
    outgoing.publish(uow, events)
    return ticket
