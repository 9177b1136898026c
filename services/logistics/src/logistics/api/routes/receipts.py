"""Receipt routes (L4, L6): warehouse staff record a receipt by the same path as the warehouse
system's event; after-sales resolves unidentified parcels."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from logistics.api.deps import (
    PROBLEM_RESPONSES,
    AftersalesActor,
    DepsDep,
    DomainRoute,
    StaffActor,
    WarehouseActor,
)
from logistics.api.schemas.receipts import (
    ParcelTaskRead,
    ReceiptCreate,
    ReceiptRead,
    TaskResolutionIn,
)
from logistics.application import receipts
from logistics.domain.errors import NotFound
from logistics.domain.receipts import InspectedItem, Receipt
from ops_shared.web import IDEMPOTENT

router = APIRouter(tags=["receipts"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)


@router.post("/receipts", status_code=201,
             dependencies=[IDEMPOTENT], summary="Record a receipt (warehouse system down)",
             responses={200: {"description": "This receipt id was already recorded"}})
async def record_receipt(body: ReceiptCreate, response: Response, deps: DepsDep,
                         actor: WarehouseActor) -> ReceiptRead:
    """Warehouse staff. Keyed by the warehouse's `receipt_id`: sending it again (or the event
    arriving too) changes nothing and answers 200 with the receipt as first recorded."""
    receipt = Receipt(
        receipt_id=body.receipt_id, received_at=body.received_at,
        items=tuple(InspectedItem(**i.model_dump()) for i in body.items),
        inspector=body.inspector, signed_by=body.signed_by,
        tracking_number=body.tracking_number, courier=body.courier,
        rma_number=body.rma_number, customer_ref=body.customer_ref,
        service_card=body.service_card, recorded_by=actor.staff_id)
    recorded, new = await receipts.receive(deps, receipt)
    if not new:
        response.status_code = 200
    return ReceiptRead.of(recorded, actor.role)


@router.get("/receipts/{receipt_id}", summary="One receipt and where it went")
async def get_receipt(receipt_id: str, deps: DepsDep, actor: StaffActor) -> ReceiptRead:
    found = await deps.reads.receipts.get(receipt_id[:100])
    if found is None:
        raise NotFound(f"receipt {receipt_id[:100]} is not recorded")
    return ReceiptRead.of(found, actor.role)


@router.get("/parcel-tasks", summary="Unidentified parcels for after-sales (L6)")
async def list_tasks(deps: DepsDep, actor: AftersalesActor, open_only: bool = True,
                     limit: int = Query(100, ge=1, le=500)) -> list[ParcelTaskRead]:
    return [ParcelTaskRead.of(t, actor.role)
            for t in await deps.reads.parcel_tasks.listing(open_only, limit)]


@router.post("/parcel-tasks/{task_id}/resolution",
             summary="Name the RMA or recall of an unidentified parcel")
async def resolve_task(task_id: str, body: TaskResolutionIn, deps: DepsDep,
                       actor: AftersalesActor) -> ParcelTaskRead:
    """The receipt is applied to it as if it had matched (a passed return is refunded)."""
    task = await receipts.resolve_task(deps, actor, task_id[:120], body.number, body.note)
    return ParcelTaskRead.of(task, actor.role)
