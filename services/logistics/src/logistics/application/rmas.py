"""RMA use cases (L1, L2, L3, L5, L14): open, quality decision, tracking, amounts, platform
status, reassign, cancel, close. Each is one transaction: load, one domain action, save,
publish."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import structlog

from logistics.application.context import Actor, followed, publish
from logistics.application.deps import Deps
from logistics.application.refunds import refund_if_due
from logistics.domain.errors import Conflict
from logistics.domain.events import Event
from logistics.domain.model import Item
from logistics.domain.ports import LogisticsUnitOfWork
from logistics.domain.rma import PlatformStatus, Rma, RmaKind, ServiceCard, Verdict

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class OpenRma:
    kind: RmaKind
    order_id: str
    items: Sequence[Item]
    card: ServiceCard
    quality_claim: bool = False
    photos: Sequence[str] = ()
    owner_id: str | None = None
    ticket_number: str | None = None


async def open_rma(deps: Deps, actor: Actor, command: OpenRma) -> Rma:
    """L1: a return or exchange, numbered RMA-YYYYMMDD-NNNN (reserved outside the
    transaction, unique across replicas)."""
    number = await deps.reads.numbers.next("RMA", deps.today())
    at = deps.clock.now()
    return await deps.transaction(
        lambda uow: open_in(uow, command, number, actor.staff_id, at))


async def open_in(uow: LogisticsUnitOfWork, command: OpenRma, number: str, by: str,
                  at: datetime) -> Rma:
    """Refuse a second open RMA for the same items of an order, naming the existing one (the
    unique index on the open items refuses it too when two arrive at once)."""
    skus = {item.sku for item in command.items}
    for other in await uow.rmas.open_for_order(command.order_id):
        if common := other.skus & skus:
            raise Conflict(f"order {command.order_id} already has open RMA {other.number} "
                           f"for {sorted(common)}", existing=other.number)
    rma, events = Rma.open(number=number, kind=command.kind, order_id=command.order_id,
                           items=command.items, card=command.card,
                           owner_id=command.owner_id or by, by=by, at=at,
                           quality_claim=command.quality_claim, photos=command.photos,
                           ticket_number=command.ticket_number,
                           follow_up=await uow.policies.follow_up_policy())
    await uow.rmas.add(rma)
    publish(uow, events)
    log.info("rma.opened", rma=number, kind=command.kind.value, order_id=command.order_id)
    return rma


Action = Callable[[Rma, datetime], Sequence[Event] | None]


async def change_rma(deps: Deps, number: str, action: Action) -> Rma:
    """Apply `action` to RMA `number` in one transaction; publish what it returns."""
    at = deps.clock.now()

    async def work(uow: LogisticsUnitOfWork) -> Rma:
        rma = await followed(uow, await uow.rmas.get(number))
        events = action(rma, at) or []
        await uow.rmas.save(rma)
        publish(uow, events)
        return rma

    return await deps.transaction(work)


async def add_photos(deps: Deps, actor: Actor, number: str, refs: Sequence[str]) -> Rma:
    return await change_rma(deps, number, lambda rma, at: rma.add_photos(refs, actor.staff_id,
                                                                          at))


async def decide_quality(deps: Deps, actor: Actor, number: str, verdict: Verdict,
                         note: str) -> Rma:
    """L2: after-sales confirms or rejects the quality claim; L3 follows from it."""
    return await change_rma(deps, number, lambda rma, at: rma.decide_quality(
        verdict, note, actor.staff_id, at))


async def record_tracking(deps: Deps, actor: Actor, number: str, tracking_number: str,
                          courier: str | None, return_postage_fen: int | None) -> Rma:
    """L5: the customer's return tracking number and what they paid for the return leg."""
    return await change_rma(deps, number, lambda rma, at: rma.record_tracking(
        tracking_number, courier, return_postage_fen, actor.staff_id, at))


async def enter_amounts(deps: Deps, actor: Actor, number: str,
                        amounts: Mapping[str, int]) -> Rma:
    return await change_rma(deps, number, lambda rma, at: rma.enter_amounts(
        amounts, actor.staff_id, at))


async def set_platform_status(deps: Deps, actor: Actor, number: str,
                              status: PlatformStatus) -> Rma:
    return await change_rma(deps, number, lambda rma, at: rma.set_platform_status(
        status, actor.staff_id, at))


async def reassign(deps: Deps, actor: Actor, number: str, owner_id: str) -> Rma:
    return await change_rma(deps, number, lambda rma, at: rma.reassign(
        owner_id, actor.staff_id, at))


async def cancel_rma(deps: Deps, actor: Actor, number: str, reason: str) -> Rma:
    return await change_rma(deps, number, lambda rma, at: rma.cancel(
        reason, actor.staff_id, at))


async def close_rma(deps: Deps, actor: Actor, number: str, note: str) -> Rma:
    return await change_rma(deps, number, lambda rma, at: rma.close(note, actor.staff_id, at))


async def settle_dispute(deps: Deps, actor: Actor, number: str, accept_rejected: bool,
                         note: str) -> Rma:
    """After-sales settles a failed inspection; the refund follows (L7)."""
    at = deps.clock.now()

    async def work(uow: LogisticsUnitOfWork) -> Rma:
        rma = await followed(uow, await uow.rmas.get(number))
        events = rma.settle_dispute(accept_rejected, note, actor.staff_id, at)
        events += await refund_if_due(uow, rma, at)
        await uow.rmas.save(rma)
        publish(uow, events)
        return rma

    return await deps.transaction(work)
