"""Recall and void routes (L10, L11)."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query

from logistics.api.deps import (
    PROBLEM_RESPONSES,
    AftersalesActor,
    DepsDep,
    DomainRoute,
    OrderDeskActor,
    RecallActor,
    RecallNumber,
    StaffActor,
)
from logistics.api.routes.rmas import refund_read
from logistics.api.schemas.common import TimelineEntryRead
from logistics.api.schemas.recalls import (
    CancellationCreate,
    CancellationRead,
    CourierAnswerIn,
    FailureIn,
    ParcelReceivedIn,
    RecallRead,
    SlipIn,
)
from logistics.api.schemas.rmas import RefundRead
from logistics.application import recalls, refunds
from logistics.application.recalls import CancelOrder
from logistics.domain.errors import NotFound
from logistics.domain.ports import CaseFilter
from ops_shared.web import IDEMPOTENT

router = APIRouter(tags=["recalls"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)
OrderId = Path(min_length=1, max_length=100)


@router.post("/orders/{order_id}/cancellation", status_code=201, dependencies=[IDEMPOTENT],
             summary="Cancel a paid order: void if unprinted, recall if printed (L11)")
async def cancel_order(body: CancellationCreate, deps: DepsDep, actor: OrderDeskActor,
                       order_id: str = OrderId) -> CancellationRead:
    """Order desk. 409 `conflict` if the order is already voided; 422 for a printed order
    without its tracking number."""
    command = CancelOrder(order_id=order_id, printed=body.printed, paid_fen=body.paid_fen,
                          reason=body.reason, tracking_number=body.tracking_number,
                          courier=body.courier, ticket_number=body.ticket_number,
                          owner_id=body.owner_id)
    return CancellationRead.of(await recalls.cancel_order(deps, actor, command))


@router.get("/recalls", summary="Recalls, newest first")
async def list_recalls(deps: DepsDep, _: StaffActor, state: str | None = Query(
        None, max_length=30), open_only: bool = False,
        limit: int = Query(100, ge=1, le=500)) -> list[RecallRead]:
    where = CaseFilter(state=state, open_only=open_only, limit=limit)
    return [RecallRead.of(r) for r in await deps.reads.recalls.listing(where)]


@router.get("/recalls/{number}", summary="One recall")
async def get_recall(number: RecallNumber, deps: DepsDep, _: StaffActor) -> RecallRead:
    return RecallRead.of(await deps.reads.recalls.get(number))


@router.get("/recalls/{number}/timeline", summary="The recall's timeline (L14)")
async def recall_timeline(number: RecallNumber, deps: DepsDep,
                          _: StaffActor) -> list[TimelineEntryRead]:
    return [TimelineEntryRead(at=e.at, actor_id=e.actor_id, action=e.action, details=e.details)
            for e in await deps.reads.recalls.timeline(number)]


@router.post("/recalls/{number}/courier-answer", summary="The courier accepted or refused")
async def courier_answer(number: RecallNumber, body: CourierAnswerIn, deps: DepsDep,
                         actor: RecallActor) -> RecallRead:
    return RecallRead.of(await recalls.courier_answered(deps, actor, number, body.accepted,
                                                        body.note))


@router.post("/recalls/{number}/slip", summary="Record the two-part recall slip (L10)")
async def record_slip(number: RecallNumber, body: SlipIn, deps: DepsDep,
                      actor: OrderDeskActor) -> RecallRead:
    return RecallRead.of(await recalls.record_slip(deps, actor, number, body.slip_number,
                                                   body.courier_signed_by))


@router.post("/recalls/{number}/returning", summary="The parcel is on its way back")
async def returning(number: RecallNumber, deps: DepsDep, actor: RecallActor) -> RecallRead:
    return RecallRead.of(await recalls.mark_returning(deps, actor, number))


@router.post("/recalls/{number}/parcel-received",
             summary='Sign "original parcel received" (name and date, L10)')
async def parcel_received(number: RecallNumber, body: ParcelReceivedIn, deps: DepsDep,
                          actor: OrderDeskActor) -> RecallRead:
    return RecallRead.of(await recalls.sign_received(deps, actor, number, body.signed_by,
                                                     body.on))


@router.post("/recalls/{number}/failure", summary="The recall failed")
async def fail(number: RecallNumber, body: FailureIn, deps: DepsDep,
               actor: RecallActor) -> RecallRead:
    return RecallRead.of(await recalls.fail_recall(deps, actor, number, body.reason))


@router.post("/recalls/{number}/refund", status_code=201, dependencies=[IDEMPOTENT],
             summary="Refund the recalled order, once (L10 → L7)")
async def refund(number: RecallNumber, deps: DepsDep, actor: AftersalesActor) -> RefundRead:
    return refund_read(await refunds.refund_recall(deps, actor, number))


@router.get("/recalls/{number}/refund", summary="The recalled order's refund")
async def get_refund(number: RecallNumber, deps: DepsDep, _: StaffActor) -> RefundRead:
    """404 while the recall has no refund."""
    found = await deps.reads.refunds.for_subject(number)
    if found is None:
        raise NotFound(f"{number} has no refund")
    return refund_read(found)

