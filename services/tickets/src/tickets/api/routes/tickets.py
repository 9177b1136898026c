"""Routes: open, list and read tickets (T1, T8); the actions live in ticket_actions.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ops_shared.web import IDEMPOTENT
from tickets.api.deps import PROBLEM_RESPONSES, AgentActor, DepsDep, DomainRoute, TicketNumber
from tickets.api.routes import ticket_actions
from tickets.api.schemas.tickets import (
    TicketCreate,
    TicketListQuery,
    TicketPageRead,
    TicketRead,
    TimelineEntryRead,
    TimelineRead,
)
from tickets.application import intake, ticket_queries
from tickets.application.customers import NewCustomer
from tickets.domain.classification import Classification
from tickets.domain.ports import TicketFilter

router = APIRouter(prefix="/tickets", tags=["tickets"], route_class=DomainRoute,
                   responses=PROBLEM_RESPONSES)


@router.post("", status_code=201, dependencies=[IDEMPOTENT],
             summary="Open a ticket for a customer request (T1), classified (T11, T12)")
async def open_ticket(body: TicketCreate, deps: DepsDep, actor: AgentActor) -> TicketRead:
    """Any agent. T1: opens a `new` ticket: customer (existing, matched by platform id, or new),
    priority from importance × urgency (boosted tiers higher, T9), an on-duty presales/aftersales
    assignee by the assignment policy (else unassigned), the T2/T3 clocks its policies match.
    `asked_at` (when the customer asked, default now) starts the T2/T3 clocks.
    Publishes tickets.ticket.opened. 422: `grade` missing on a complaint or set on another kind,
    unknown `customer_id` or `customer.tier`, a T11/T12 field on the wrong kind, or `asked_at` in
    the future or older than the intake policy allows."""
    command = intake.NewTicket(
        channel=body.channel, kind=body.kind, description=body.description,
        importance=body.importance, urgency=body.urgency, grade=body.grade,
        customer_id=body.customer_id,
        customer=NewCustomer(**body.customer.model_dump()) if body.customer else None,
        classification=Classification(category=body.category, subject=body.subject,
                                      staff_id=body.staff_id), asked_at=body.asked_at)
    ticket = await intake.open_ticket(deps, actor, command)
    return TicketRead.embedded(await ticket_queries.with_customer(deps, actor, ticket))


@router.get("", summary="List tickets by state, kind, assignee or customer, newest first")
async def list_tickets(query: Annotated[TicketListQuery, Query()], deps: DepsDep,
                       actor: AgentActor) -> TicketPageRead:
    """Any agent. Tickets matching the typed filters (state, kind, assignee, customer,
    `unassigned`), newest first, paged. Each embedded customer is masked (T15) unless you are that
    ticket's assignee or a supervisor/manager. 422: an unknown or malformed query parameter."""
    where = TicketFilter(state=query.state, kind=query.kind, assignee_id=query.assignee,
                         customer_id=query.customer_id, unassigned=query.unassigned)
    return TicketPageRead.of(
        await ticket_queries.list_tickets(deps, actor, where, query.page, query.limit))


@router.get("/{number}", summary="Read a ticket; its customer masked unless you may see it")
async def get_ticket(number: TicketNumber, deps: DepsDep, actor: AgentActor) -> TicketRead:
    """Any agent. One ticket with its allowed transitions and its customer: personal data in full
    only for the ticket's assignee and supervisors/managers, masked otherwise (T15). 404: unknown
    ticket number."""
    return TicketRead.embedded(await ticket_queries.get_ticket(deps, actor, number))


@router.get("/{number}/timeline", summary="The ticket's append-only history (T8)")
async def get_timeline(number: TicketNumber, deps: DepsDep,
                       _: AgentActor) -> TimelineRead:
    """Any agent. T8: the ticket's append-only timeline, oldest first: every change with who
    (`actor_id`, null for the system) and when. 404: unknown ticket number."""
    entries = await ticket_queries.ticket_timeline(deps, number)
    return TimelineRead(ticket_number=number,
                        entries=[TimelineEntryRead(**e) for e in entries])


router.include_router(ticket_actions.router)
