"""RMA routes (L1-L3, L5, L7, L14): open, read, the after-sales steps, the refund."""

from __future__ import annotations

from fastapi import APIRouter, Query

from logistics.api.deps import (
    PROBLEM_RESPONSES,
    AftersalesActor,
    DepsDep,
    DomainRoute,
    RmaNumber,
    StaffActor,
)
from logistics.api.schemas.common import TimelineEntryRead
from logistics.api.schemas.rmas import (
    AmountsIn,
    NoteIn,
    OwnerIn,
    PhotosIn,
    PlatformStatusIn,
    QualityDecisionIn,
    ReasonIn,
    RefundIn,
    RefundRead,
    RmaCreate,
    RmaRead,
    SettleDisputeIn,
    TrackingIn,
)
from logistics.application import refunds, rmas
from logistics.application.rmas import OpenRma
from logistics.domain.errors import NotFound
from logistics.domain.model import Item, Refund
from logistics.domain.ports import CaseFilter
from logistics.domain.rma import RmaKind, ServiceCard
from ops_shared.web import IDEMPOTENT

router = APIRouter(prefix="/rmas", tags=["rmas"], route_class=DomainRoute,
                   responses=PROBLEM_RESPONSES)


@router.post("", status_code=201,
             dependencies=[IDEMPOTENT], summary="Open a return or exchange (L1)")
async def open_rma(body: RmaCreate, deps: DepsDep, actor: AftersalesActor) -> RmaRead:
    """After-sales. 409 `conflict` with `existing` when the order already has an open RMA for
    one of these items."""
    command = OpenRma(
        kind=RmaKind(body.kind), order_id=body.order_id,
        items=[Item(i.sku, i.quantity, i.unit_paid_fen) for i in body.items],
        card=ServiceCard(customer_id=body.customer_id, reason=body.reason,
                         contact_name=body.contact_name, contact_phone=body.contact_phone,
                         address=body.address, wanted_replacement=body.wanted_replacement),
        quality_claim=body.quality_claim, photos=body.photos, owner_id=body.owner_id,
        ticket_number=body.ticket_number)
    return RmaRead.of(await rmas.open_rma(deps, actor, command), actor.role)


@router.get("", summary="RMAs, newest first")
async def list_rmas(deps: DepsDep, actor: StaffActor, state: str | None = Query(
        None, max_length=30), order_id: str | None = Query(None, max_length=100),
        owner_id: str | None = Query(None, max_length=100), open_only: bool = False,
        limit: int = Query(100, ge=1, le=500)) -> list[RmaRead]:
    where = CaseFilter(state=state, order_id=order_id, owner_id=owner_id, open_only=open_only,
                       limit=limit)
    return [RmaRead.of(r, actor.role) for r in await deps.reads.rmas.listing(where)]


@router.get("/{number}", summary="One RMA with its postage split (L3) and allowed next states")
async def get_rma(number: RmaNumber, deps: DepsDep, actor: StaffActor) -> RmaRead:
    """Contact details are masked for roles that do not contact the customer."""
    return RmaRead.of(await deps.reads.rmas.get(number), actor.role)


@router.get("/{number}/timeline", summary="The RMA's append-only timeline (L14)")
async def rma_timeline(number: RmaNumber, deps: DepsDep,
                       _: StaffActor) -> list[TimelineEntryRead]:
    return [TimelineEntryRead(at=e.at, actor_id=e.actor_id, action=e.action, details=e.details)
            for e in await deps.reads.rmas.timeline(number)]


@router.post("/{number}/photos", summary="Add photo evidence of a quality claim (L2)")
async def add_photos(number: RmaNumber, body: PhotosIn, deps: DepsDep,
                     actor: AftersalesActor) -> RmaRead:
    return RmaRead.of(await rmas.add_photos(deps, actor, number, body.photos), actor.role)


@router.post("/{number}/quality-decision", summary="Confirm or reject the quality claim (L2)")
async def decide_quality(number: RmaNumber, body: QualityDecisionIn, deps: DepsDep,
                         actor: AftersalesActor) -> RmaRead:
    """409 `photos-required` without photo evidence; a confirmed claim makes the shop pay
    both legs (L3)."""
    rma = await rmas.decide_quality(deps, actor, number, body.verdict, body.note)
    return RmaRead.of(rma, actor.role)


@router.post("/{number}/tracking", summary="Record the customer's return tracking number (L5)")
async def record_tracking(number: RmaNumber, body: TrackingIn, deps: DepsDep,
                          actor: AftersalesActor) -> RmaRead:
    rma = await rmas.record_tracking(deps, actor, number, body.tracking_number, body.courier,
                                     body.return_postage_fen)
    return RmaRead.of(rma, actor.role)


@router.put("/{number}/amounts", summary="Enter what was paid per unit of each item")
async def enter_amounts(number: RmaNumber, body: AmountsIn, deps: DepsDep,
                        actor: AftersalesActor) -> RmaRead:
    return RmaRead.of(await rmas.enter_amounts(deps, actor, number, body.amounts), actor.role)


@router.put("/{number}/platform-status", summary="The platform's own refund status")
async def set_platform_status(number: RmaNumber, body: PlatformStatusIn, deps: DepsDep,
                              actor: AftersalesActor) -> RmaRead:
    rma = await rmas.set_platform_status(deps, actor, number, body.status)
    return RmaRead.of(rma, actor.role)


@router.put("/{number}/owner", summary="Hand the RMA to another after-sales owner")
async def reassign(number: RmaNumber, body: OwnerIn, deps: DepsDep,
                   actor: AftersalesActor) -> RmaRead:
    return RmaRead.of(await rmas.reassign(deps, actor, number, body.owner_id), actor.role)


@router.post("/{number}/cancel", summary="Cancel an RMA whose parcel is not back")
async def cancel(number: RmaNumber, body: ReasonIn, deps: DepsDep,
                 actor: AftersalesActor) -> RmaRead:
    return RmaRead.of(await rmas.cancel_rma(deps, actor, number, body.reason), actor.role)


@router.post("/{number}/close", summary="Close a finished RMA")
async def close(number: RmaNumber, body: NoteIn, deps: DepsDep,
                actor: AftersalesActor) -> RmaRead:
    return RmaRead.of(await rmas.close_rma(deps, actor, number, body.note), actor.role)


@router.post("/{number}/dispute/settlement", summary="Settle a failed inspection")
async def settle_dispute(number: RmaNumber, body: SettleDisputeIn, deps: DepsDep,
                         actor: AftersalesActor) -> RmaRead:
    """A return is refunded at once when its amounts are known (L7)."""
    rma = await rmas.settle_dispute(deps, actor, number, body.accept_rejected, body.note)
    return RmaRead.of(rma, actor.role)


@router.post("/{number}/refund", status_code=201,
             dependencies=[IDEMPOTENT], summary="Issue the refund, once (L7)")
async def refund(number: RmaNumber, body: RefundIn, deps: DepsDep,
                 actor: AftersalesActor) -> RefundRead:
    """After a signed receipt whose inspection passed; a supervisor may override with a
    reason. A return refunds its accepted items and the postage owed; an exchange only the
    return postage the customer advanced for a confirmed quality problem (L3), and is refused
    (409 `no_postage_owed`) when nothing is owed. A second refund is refused (409), whoever
    asks."""
    issued = await refunds.refund_rma(deps, actor, number, body.override_reason)
    return refund_read(issued)


@router.get("/{number}/refund", summary="The RMA's refund")
async def get_refund(number: RmaNumber, deps: DepsDep, _: StaffActor) -> RefundRead:
    found = await deps.reads.refunds.for_subject(number)
    if found is None:
        raise NotFound(f"{number} has no refund")
    return refund_read(found)


def refund_read(refund: Refund) -> RefundRead:
    return RefundRead(refund_id=refund.refund_id, subject=refund.subject,
                      order_id=refund.order_id, ticket_number=refund.ticket_number,
                      items_fen=refund.items_fen, postage_fen=refund.postage_fen,
                      amount_fen=refund.amount_fen, issued_at=refund.issued_at,
                      issued_by=refund.issued_by, override_reason=refund.override_reason)


