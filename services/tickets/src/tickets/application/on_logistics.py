"""What logistics tells the tickets service: returns and refunds on the ticket's timeline (T8),
rectification and the callback clock after a refund (T4), the daily review items of RMAs and of
recalls, problem parcels and re-shipments (T13, L12), tickets for unidentified parcels (L6).

Each handler runs in the consumer's transaction, after the inbox row: a redelivered event has
no second effect. An event naming no ticket, or one this service does not know (an RMA opened
directly), is logged and ignored; the review item is kept all the same.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import structlog

from ops_shared.contracts import Envelope
from ops_shared.contracts import logistics as lg
from tickets.application import outgoing, review
from tickets.application.context import sla_clock
from tickets.application.customers import NewCustomer, new_customer
from tickets.application.deps import Deps
from tickets.application.intake import NewTicket, open_in
from tickets.domain import events as ev
from tickets.domain.errors import NotFound
from tickets.domain.model import Channel, Importance, Kind, Urgency
from tickets.domain.ports import TicketsUnitOfWork
from tickets.domain.sla import SlaClock
from tickets.domain.ticket import Ticket

log = structlog.get_logger(__name__)
Apply = Callable[[Ticket, SlaClock], list[ev.Event]]


async def rma_opened(deps: Deps, uow: TicketsUnitOfWork, event: lg.RmaOpened,
                     envelope: Envelope) -> None:
    """The RMA goes on its ticket's timeline and links to it; the review item starts."""
    await _on_ticket(deps, uow, event.ticket_number, "rma.opened", _noting(
        envelope.occurred_at, event.owner_id, "rma_opened", event.rma_number,
        rma_number=event.rma_number, kind=event.kind, order_id=event.order_id,
        quality_claim=event.quality_claim))
    await review.update_review_item(uow, event, envelope, review.opened)


async def rma_status_changed(deps: Deps, uow: TicketsUnitOfWork, event: lg.RmaStatusChanged,
                             envelope: Envelope) -> None:
    """The new status goes on the ticket's timeline and updates the review item (T13)."""
    await _on_ticket(deps, uow, event.ticket_number, "rma.status_changed", _noting(
        envelope.occurred_at, event.owner_id, "rma_status_changed", rma_number=event.rma_number,
        from_status=event.from_status, to_status=event.to_status, note=event.note))
    await review.update_review_item(uow, event, envelope, review.status_changed)


async def refund_issued(deps: Deps, uow: TicketsUnitOfWork, event: lg.RefundIssued,
                        envelope: Envelope) -> None:
    """T4: the refund rectifies the complaint; T13: the review item is resolved."""
    await _on_ticket(deps, uow, event.ticket_number, "refund.issued",
                     _refund(event, event.issued_at))
    await review.update_review_item(uow, event, envelope, review.refund_issued)


async def case_updated(deps: Deps, uow: TicketsUnitOfWork, event: lg.CaseUpdated,
                       envelope: Envelope) -> None:
    """L12, T13: a recall, problem parcel or re-shipment is kept as a review item (owner and
    next action); closing it takes it off. An "rma" case is skipped: the RMA events keep it."""
    if event.case_type == "rma":
        log.info("case_updated.rma_skipped", case_id=event.case_id)
        return
    await review.update_review_item(uow, event, envelope, review.case_updated)


async def exchange_shipped(deps: Deps, uow: TicketsUnitOfWork, event: lg.ExchangeShipped,
                           envelope: Envelope) -> None:
    await _on_ticket(deps, uow, event.ticket_number, "exchange.shipped", _noting(
        event.shipped_at, None, "exchange_shipped", rma_number=event.rma_number,
        tracking_number=event.tracking_number, courier=event.courier))


async def parcel_unidentified(deps: Deps, uow: TicketsUnitOfWork, event: lg.ParcelUnidentified,
                              envelope: Envelope) -> None:
    """L6: a parcel nobody announced becomes an after-sales ticket to contact the customer."""
    source = f"parcel:{event.task_id}"
    if await uow.tickets.find_by_source(source):
        log.info("parcel.ticket_exists", task_id=event.task_id)
        return
    at = deps.clock.now()
    customer = (await uow.customers.by_platform_id(event.customer_ref)
                if event.customer_ref else None)
    if customer is None:
        # A profile of its own keeps the platform id where T15 masks it (never in an id).
        customer = new_customer(NewCustomer(
            name="(unidentified parcel)", tier="new",
            platform_ids=[event.customer_ref] if event.customer_ref else []),
            by="logistics", at=at)
        await uow.customers.add(customer)
    description = (f"Unidentified parcel (L6): receipt {event.receipt_id}, tracking "
                   f"{event.tracking_number or '-'} ({event.courier or '-'}), received "
                   f"{event.received_at.isoformat()}; contact the customer.")
    command = NewTicket(channel=Channel.WEB, kind=Kind.AFTERSALES, description=description,
                        importance=Importance.HIGH, urgency=Urgency.LOW)
    # T1: the number is reserved outside this transaction (the day's counter is hot during a
    # burst of parcels) and kept for the task, so that a retry of this handler reuses it.
    number = await deps.numbers.reserve(at.astimezone(deps.calendar.tz).date(), source)
    ticket = await open_in(uow, deps, command, customer, at, None, number,
                           source_ref=source, parcel_task_id=event.task_id)
    log.info("parcel.ticket_opened", task_id=event.task_id, ticket_number=ticket.number)


async def parcel_identified(deps: Deps, uow: TicketsUnitOfWork, event: lg.ParcelIdentified,
                            envelope: Envelope) -> None:
    """L6: the parcel's ticket records which RMA or recall the parcel belonged to (linked)."""
    number = await uow.tickets.find_by_source(f"parcel:{event.task_id}")
    await _on_ticket(deps, uow, number, "parcel.identified", _noting(
        event.resolved_at, event.resolved_by, "parcel_identified", event.resolved_to,
        resolved_to=event.resolved_to, receipt_id=event.receipt_id, note=event.note))


async def _on_ticket(deps: Deps, uow: TicketsUnitOfWork, number: str | None, what: str,
                     apply: Apply) -> None:
    if not number:
        log.info("logistics_event.no_ticket", source=what)
        return
    try:
        ticket = await uow.tickets.get(number)
    except NotFound:
        log.info("logistics_event.unknown_ticket", source=what, ticket_number=number)
        return
    events = apply(ticket, await sla_clock(uow, deps))
    await uow.tickets.save(ticket)
    outgoing.publish(uow, events)


def _rectify_after_refund(ticket: Ticket, event: lg.RefundIssued, clock: SlaClock) -> list:
    """T4: the refund rectifies the complaint and starts its callback clock, once (a ticket
    still `new` is opened by it first)."""
    events = ticket.rectify_by_refund(event.issued_by or "logistics", event.issued_at,
                                      event.refund_id, clock)
    if not events:
        log.info("refund.rectification_skipped", ticket_number=ticket.number,
                 state=ticket.state.value)
    return events


def _refund(event: lg.RefundIssued, at: datetime) -> Apply:
    def apply(ticket: Ticket, clock: SlaClock) -> list[ev.Event]:
        if event.refund_id in ticket.links:  # the same refund announced again
            return []
        ticket.link(event.issued_by or "logistics", at, event.refund_id)
        ticket.note(at, event.issued_by, "refund_issued", refund_id=event.refund_id,
                    rma_number=event.rma_number, amount_fen=event.amount_fen,
                    postage_fen=event.postage_fen)
        return _rectify_after_refund(ticket, event, clock)
    return apply


def _noting(at: datetime, actor: str | None, action: str, link: str | None = None,
            **details: object) -> Apply:
    def apply(ticket: Ticket, clock: SlaClock) -> list[ev.Event]:
        if link:
            ticket.link(actor or "logistics", at, link)
        ticket.note(at, actor, action, **details)
        return []
    return apply
