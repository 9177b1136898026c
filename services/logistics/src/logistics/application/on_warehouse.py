"""What the warehouse system tells logistics: a returned parcel was received and inspected
(L4, L6). The same path as a receipt recorded by warehouse staff over the API."""

from __future__ import annotations

from logistics.application.deps import Deps
from logistics.application.receipts import record_receipt
from logistics.domain.ports import LogisticsUnitOfWork
from logistics.domain.receipts import InspectedItem, Receipt
from ops_shared.contracts import Envelope
from ops_shared.contracts.warehouse import ReceiptRecorded


def receipt_of(event: ReceiptRecorded, recorded_by: str = "warehouse-system") -> Receipt:
    return Receipt(
        receipt_id=event.receipt_id, received_at=event.received_at,
        items=tuple(InspectedItem(i.sku, i.quantity, i.intact, i.box_complete, i.resellable,
                                  i.note) for i in event.items),
        inspector=event.inspector, signed_by=event.signed_by,
        tracking_number=event.tracking_number, courier=event.courier,
        rma_number=event.rma_number, customer_ref=event.customer_ref,
        service_card=event.service_card, recorded_by=recorded_by)


async def receipt_recorded(deps: Deps, uow: LogisticsUnitOfWork, event: ReceiptRecorded,
                           envelope: Envelope) -> None:
    await record_receipt(uow, receipt_of(event), deps.clock.now())


async def read_ahead(deps: Deps, uow: LogisticsUnitOfWork,
                     events: list[ReceiptRecorded]) -> None:
    """A consumer batch of receipts: which are recorded already, and the RMAs they name, in
    two queries instead of two per receipt (matching by tracking number or customer still
    queries per receipt)."""
    await uow.receipts.expect([e.receipt_id for e in events])
    await uow.rmas.load([e.rma_number for e in events if e.rma_number])


receipt_recorded.prepare = read_ahead  # type: ignore[attr-defined]
