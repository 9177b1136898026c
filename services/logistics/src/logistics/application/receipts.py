"""L4, L6: a warehouse receipt, from the warehouse system's event or from warehouse staff over
the API, takes one path: recorded once per `receipt_id`, matched (RMA number → tracking number
→ customer reference), applied to its RMA or recall, or turned into an unidentified-parcel task
(published, listed for after-sales). Resolving the task applies the receipt as if it had
matched."""

from __future__ import annotations

from datetime import datetime

import structlog

from logistics.application.context import Actor, followed, publish
from logistics.application.deps import Deps
from logistics.application.refunds import refund_if_due
from logistics.domain import events as ev
from logistics.domain import recall as recall_states
from logistics.domain.errors import NotFound, ValidationFailed
from logistics.domain.ports import LogisticsUnitOfWork
from logistics.domain.recall import ParcelSignature
from logistics.domain.receipts import (
    Candidate,
    Match,
    MatchedBy,
    MatchResult,
    ParcelTask,
    Receipt,
    RecordedReceipt,
    TargetKind,
    match_receipt,
    task_id_for,
)
from logistics.domain.rma import Rma

log = structlog.get_logger(__name__)


async def record_receipt(uow: LogisticsUnitOfWork, receipt: Receipt,
                         at: datetime) -> tuple[RecordedReceipt, bool]:
    """The one path of every receipt; returns it and whether it was new (the same receipt id
    again is the same receipt: nothing happens twice)."""
    result = await _match(uow, receipt)
    task_id = None if result.match else task_id_for(receipt.receipt_id)
    recorded = RecordedReceipt(receipt, at, matched=result.match, task_id=task_id,
                               notes=result.notes)
    if not await uow.receipts.add(recorded):
        log.info("receipt.duplicate", receipt_id=receipt.receipt_id)
        known = await uow.receipts.get(receipt.receipt_id)
        assert known is not None
        return known, False
    if result.match is not None:
        await apply_receipt(uow, result.match, receipt, at)
    else:
        task = ParcelTask(task_id_for(receipt.receipt_id), receipt, at, notes=result.notes)
        await uow.parcel_tasks.add(task)
        uow.publish(ev.ParcelUnidentified(
            task_id=task.task_id, receipt_id=receipt.receipt_id,
            tracking_number=receipt.tracking_number, courier=receipt.courier,
            customer_ref=receipt.customer_ref, received_at=receipt.received_at))
    log.info("receipt.recorded", receipt_id=receipt.receipt_id,
             matched=result.match.number if result.match else None,
             matched_by=result.match.by.value if result.match else None)
    return recorded, True


async def _match(uow: LogisticsUnitOfWork, receipt: Receipt) -> MatchResult:
    """L6 in order; a later lookup runs only when the earlier ones found nothing."""
    by_number = await _rma_candidate(uow, receipt.rma_number)
    if by_number is not None and by_number.takes_parcel:
        return match_receipt(by_rma_number=by_number, by_tracking=[], by_customer=[])
    by_tracking = await _by_tracking(uow, receipt.tracking_number)
    by_customer: list[Candidate] = []
    if receipt.customer_ref and not any(c.takes_parcel for c in by_tracking):
        by_customer = [_rma(r) for r in await uow.rmas.awaiting_parcel(receipt.customer_ref)]
    return match_receipt(by_rma_number=by_number, by_tracking=by_tracking,
                         by_customer=by_customer)


async def apply_receipt(uow: LogisticsUnitOfWork, match: Match, receipt: Receipt,
                        at: datetime) -> None:
    """The inspection goes to the RMA (a passed return is refunded at once, L7), or signs a
    recall's "original parcel received" (L10)."""
    if match.kind == TargetKind.RMA:
        rma = await followed(uow, await uow.rmas.get(match.number))
        events = rma.apply_receipt(receipt, match.by.value, at)
        events += await refund_if_due(uow, rma, at)
        await uow.rmas.save(rma)
    else:
        recall = await followed(uow, await uow.recalls.get(match.number))
        signature = ParcelSignature(receipt.signed_by or receipt.inspector,
                                    receipt.received_at.date(), receipt.receipt_id)
        events = recall.parcel_received(signature, receipt.recorded_by, at)
        await uow.recalls.save(recall)
    publish(uow, events)


async def receive(deps: Deps, receipt: Receipt) -> tuple[RecordedReceipt, bool]:
    """Warehouse staff record a receipt over the API (the warehouse system is down)."""
    at = deps.clock.now()
    return await deps.transaction(lambda uow: record_receipt(uow, receipt, at))


async def resolve_task(deps: Deps, actor: Actor, task_id: str, number: str,
                       note: str) -> ParcelTask:
    """After-sales names the RMA or recall of an unidentified parcel; the receipt applies."""
    at = deps.clock.now()
    kind = TargetKind.RECALL if number.startswith("RC-") else TargetKind.RMA

    async def work(uow: LogisticsUnitOfWork) -> ParcelTask:
        task = await uow.parcel_tasks.get(task_id)
        events = task.resolve(number, note, actor.staff_id, at)  # refused unless it is open
        target = (await _recall_candidate(uow, number) if kind == TargetKind.RECALL
                  else await _rma_candidate(uow, number))
        if target is None:
            raise NotFound(f"{number} does not exist")
        if not target.takes_parcel:
            raise ValidationFailed(f"{number} is {target.state}: it takes no parcel", "number")
        await apply_receipt(uow, Match(kind, number, MatchedBy.STAFF), task.receipt, at)
        await uow.parcel_tasks.save(task)
        publish(uow, events)
        return task

    return await deps.transaction(work)


async def _rma_candidate(uow: LogisticsUnitOfWork, number: str | None) -> Candidate | None:
    if not number:
        return None
    try:
        return _rma(await uow.rmas.get(number))
    except NotFound:
        return None


async def _recall_candidate(uow: LogisticsUnitOfWork, number: str) -> Candidate | None:
    try:
        recall = await uow.recalls.get(number)
    except NotFound:
        return None
    return Candidate(TargetKind.RECALL, recall.number,
                     recall.state in recall_states.TAKES_PARCEL, recall.state.value)


async def _by_tracking(uow: LogisticsUnitOfWork, tracking: str | None) -> list[Candidate]:
    if not tracking:
        return []
    rmas = [_rma(r) for r in await uow.rmas.by_tracking(tracking)]
    recalls = [Candidate(TargetKind.RECALL, r.number, r.state in recall_states.TAKES_PARCEL,
                         r.state.value) for r in await uow.recalls.by_tracking(tracking)]
    return rmas + recalls


def _rma(rma: Rma) -> Candidate:
    return Candidate(TargetKind.RMA, rma.number, rma.takes_parcel, rma.state.value)
