"""What logistics tells the tickets service: returns and refunds on the ticket's timeline (T8),
rectification and the callback clock after a refund (T4), tickets for unidentified parcels (L6).

Each handler runs in the consumer's transaction, after the inbox row: a redelivered event has
no second effect. An event naming no ticket, or one this service does not know (an RMA opened
directly), is logged and ignored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime

import structlog

from ops_shared.contracts import Envelope
from ops_shared.contracts import logistics as lg
from ops_shared.messaging import Handler
from ops_shared.persistence import MongoUnitOfWork
from ops_shared.service import Runtime
from tickets.application import outgoing
from tickets.application.context import now, sla_clock
from tickets.application.customers import NewCustomer, customer_doc
from tickets.application.intake import OpenTicket, open_in
from tickets.domain import events as ev
from tickets.domain.errors import NotFound
from tickets.domain.model import Channel, Importance, Kind, Urgency
from tickets.domain.sla import SlaClock
from tickets.domain.states import TRANSITIONS, TicketState
from tickets.domain.ticket import Ticket
from tickets.storage.customers import CustomerStore
from tickets.storage.tickets import TicketStore

log = structlog.get_logger(__name__)
Apply = Callable[[Ticket, SlaClock], list[ev.Event]]


async def _on_ticket(runtime: Runtime, uow: MongoUnitOfWork, number: str | None, what: str,
                     apply: Apply) -> None:
    if not number:
        log.info("logistics_event.no_ticket", source=what)
        return
    store = TicketStore(uow)
    try:
        ticket = await store.get(number)
    except NotFound:
        log.info("logistics_event.unknown_ticket", source=what, ticket_number=number)
        return
    events = apply(ticket, await sla_clock(uow, runtime))
    await store.save(ticket)
    outgoing.publish(uow, events)


def _rectify_after_refund(ticket: Ticket, event: lg.RefundIssued, clock: SlaClock) -> list:
    """T4: the refund rectifies the complaint and starts its callback clock, once."""
    target = (TicketState.AWAITING_CALLBACK if ticket.needs_callback
              else TicketState.RECTIFIED)
    if ticket.rectified_at is not None or target not in TRANSITIONS[ticket.state]:
        log.info("refund.rectification_skipped", ticket_number=ticket.number,
                 state=ticket.state.value)
        return []
    return ticket.mark_rectified(event.issued_by or "logistics", event.issued_at,
                                 f"refund {event.refund_id} issued", clock)


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


async def _open_for_parcel(runtime: Runtime, event: lg.ParcelUnidentified,
                           uow: MongoUnitOfWork) -> None:
    """L6: a parcel nobody announced becomes an after-sales ticket to contact the customer."""
    source = f"parcel:{event.task_id}"
    if await TicketStore(uow).find_by_source(source):
        log.info("parcel.ticket_exists", task_id=event.task_id)
        return
    customers = CustomerStore(uow.db, uow.session)
    customer = (await customers.by_platform_id(event.customer_ref)
                if event.customer_ref else None)
    if customer is None:
        # A profile of its own keeps the platform id where T15 masks it (never in an id).
        customer = customer_doc(NewCustomer(
            name="(unidentified parcel)", tier="new",
            platform_ids=[event.customer_ref] if event.customer_ref else []),
            by="logistics", at=now(runtime))
        await customers.add(customer)
    description = (f"Unidentified parcel (L6): receipt {event.receipt_id}, tracking "
                   f"{event.tracking_number or '-'} ({event.courier or '-'}), received "
                   f"{event.received_at.isoformat()}; contact the customer.")
    command = OpenTicket(channel=Channel.WEB, kind=Kind.AFTERSALES, description=description,
                         importance=Importance.HIGH, urgency=Urgency.LOW)
    ticket = await open_in(uow, runtime, command, customer, now(runtime), None,
                           source_ref=source, parcel_task_id=event.task_id)
    log.info("parcel.ticket_opened", task_id=event.task_id, ticket_number=ticket.number)


def handlers(runtime: Runtime) -> Mapping[str, Handler]:
    def on(what: str, build: Callable) -> Handler:
        async def handle(event, envelope: Envelope, uow: MongoUnitOfWork) -> None:
            await _on_ticket(runtime, uow, event.ticket_number, what, build(event, envelope))
        return handle

    async def parcel(event, envelope: Envelope, uow: MongoUnitOfWork) -> None:
        await _open_for_parcel(runtime, event, uow)

    table: dict[str, Callable[..., Awaitable[None]]] = {
        lg.RmaOpened.event_type: on("rma.opened", lambda e, env: _noting(
            env.occurred_at, e.owner_id, "rma_opened", e.rma_number, rma_number=e.rma_number,
            kind=e.kind, order_id=e.order_id, quality_claim=e.quality_claim)),
        lg.RmaStatusChanged.event_type: on("rma.status_changed", lambda e, env: _noting(
            env.occurred_at, e.owner_id, "rma_status_changed", rma_number=e.rma_number,
            from_status=e.from_status, to_status=e.to_status, note=e.note)),
        lg.ExchangeShipped.event_type: on("exchange.shipped", lambda e, env: _noting(
            e.shipped_at, None, "exchange_shipped", rma_number=e.rma_number,
            tracking_number=e.tracking_number, courier=e.courier)),
        lg.RefundIssued.event_type: on("refund.issued", lambda e, env: _refund(e, e.issued_at)),
        lg.ParcelUnidentified.event_type: parcel,
    }
    return table
