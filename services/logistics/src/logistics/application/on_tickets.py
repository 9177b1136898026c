"""What the tickets service tells logistics: an after-sales ticket asks for a return or
exchange (L1).

Runs in the consumer's transaction after the inbox row, so a redelivered request opens nothing
twice. A request for items that already have an open RMA opens none: the existing RMA's
timeline notes the request instead.
"""

from __future__ import annotations

import structlog

from logistics.application.deps import Deps
from logistics.application.rmas import OpenRma, open_in
from logistics.domain.errors import Conflict
from logistics.domain.model import Item
from logistics.domain.ports import LogisticsUnitOfWork
from logistics.domain.rma import RmaKind, ServiceCard
from ops_shared.contracts import Envelope
from ops_shared.contracts.tickets import ReturnRequested

log = structlog.get_logger(__name__)


async def return_requested(deps: Deps, uow: LogisticsUnitOfWork, event: ReturnRequested,
                           envelope: Envelope) -> None:
    at = deps.clock.now()
    command = OpenRma(
        kind=RmaKind(event.kind), order_id=event.order_id,
        items=[Item(i.sku, i.quantity, i.unit_paid_fen) for i in event.items],
        card=ServiceCard(customer_id=event.customer_id, reason=event.reason,
                         wanted_replacement=event.wanted_replacement),
        quality_claim=event.quality_claim, owner_id=event.requested_by,
        ticket_number=event.ticket_number)
    number = await uow.numbers.next("RMA", at.astimezone(deps.calendar.tz).date())
    try:
        await open_in(uow, command, number, event.requested_by, at)
    except Conflict as exc:
        if exc.existing is None:
            raise
        existing = await uow.rmas.get(exc.existing)
        existing.note(at, event.requested_by, "duplicate_request",
                      ticket_number=event.ticket_number)
        await uow.rmas.save(existing)
        log.info("rma.duplicate_request", rma=exc.existing, ticket_number=event.ticket_number)
