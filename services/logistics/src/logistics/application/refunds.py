"""L7: refunds, exactly once per RMA or recall.

The refund row's unique subject is the guarantee: whatever path asks (a redelivered receipt, a
replay from the dead letters, two replicas, a double click), the second insert fails and its
transaction, with the state change and the outgoing event, is rolled back.
"""

from __future__ import annotations

from datetime import datetime

import structlog

from logistics.application.context import SYSTEM, Actor, followed, publish
from logistics.application.deps import Deps
from logistics.domain.errors import Refused
from logistics.domain.events import Event
from logistics.domain.model import Refund
from logistics.domain.ports import LogisticsUnitOfWork
from logistics.domain.recall import Recall
from logistics.domain.rma import Approval, Rma, RmaKind, RmaState

log = structlog.get_logger(__name__)


async def refund_if_due(uow: LogisticsUnitOfWork, rma: Rma, at: datetime) -> list[Event]:
    """After a passed inspection a return is refunded at once, and a quality-confirmed
    exchange the return postage the customer advanced (L3); an RMA still missing amounts waits
    for after-sales (it stays `received`, a refund in progress)."""
    due = rma.kind == RmaKind.RETURN and rma.state == RmaState.RECEIVED
    if not (due or rma.postage_refund_due):
        return []
    try:
        refund, events = rma.refund(SYSTEM, at)
    except Refused as exc:
        log.info("refund.waiting", rma=rma.number, reason=exc.code)
        return []
    await _add(uow, refund)
    return events


async def refund_rma(deps: Deps, actor: Actor, number: str,
                     override_reason: str | None = None) -> Refund:
    """After-sales refunds a received return, or the advanced return postage of a
    quality-confirmed exchange (L3); a supervisor may override (with a reason) when the
    inspection did not pass or the parcel is not back."""
    if override_reason is not None:
        actor.require_supervisor("override the inspection for a refund")
    at = deps.clock.now()

    async def work(uow: LogisticsUnitOfWork) -> Refund:
        rma = await followed(uow, await uow.rmas.get(number))
        override = Approval(actor.staff_id, override_reason, at) if override_reason else None
        refund, events = rma.refund(actor.staff_id, at, override)
        await _add(uow, refund)
        await uow.rmas.save(rma)
        publish(uow, events)
        return refund

    return await deps.transaction(work)


async def refund_recall(deps: Deps, actor: Actor, number: str) -> Refund:
    """L10 → L7: after-sales refunds a recalled order once the original parcel is back."""
    at = deps.clock.now()

    async def work(uow: LogisticsUnitOfWork) -> Refund:
        recall: Recall = await followed(uow, await uow.recalls.get(number))
        refund, events = recall.refund(actor.staff_id, at)
        await _add(uow, refund)
        await uow.recalls.save(recall)
        publish(uow, events)
        return refund

    return await deps.transaction(work)


async def _add(uow: LogisticsUnitOfWork, refund: Refund) -> None:
    await uow.refunds.add(refund)  # unique per subject: a second one is a Conflict
    log.info("refund.issued", subject=refund.subject, refund_id=refund.refund_id,
             amount_fen=refund.amount_fen, postage_fen=refund.postage_fen)
