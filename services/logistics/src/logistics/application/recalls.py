"""L10, L11: an order cancelled after payment: voided if not printed, recalled if it was."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import structlog

from logistics.application.context import Actor, followed, publish
from logistics.application.deps import Deps
from logistics.domain.errors import ValidationFailed
from logistics.domain.events import Event
from logistics.domain.ports import LogisticsUnitOfWork
from logistics.domain.recall import ParcelSignature, Recall, Slip, Void

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class CancelOrder:
    order_id: str
    printed: bool
    paid_fen: int
    reason: str
    tracking_number: str | None = None
    courier: str | None = None
    ticket_number: str | None = None
    owner_id: str | None = None


async def cancel_order(deps: Deps, actor: Actor, command: CancelOrder) -> Void | Recall:
    """L11: not yet printed → voided (recorded, no recall); printed or shipped → a recall."""
    at = deps.clock.now()
    if not command.printed:
        void = Void(command.order_id, command.reason, actor.staff_id, at, command.ticket_number)
        await deps.transaction(lambda uow: uow.voids.add(void))
        log.info("order.voided", order_id=command.order_id)
        return void
    if not command.tracking_number:
        raise ValidationFailed("a printed order is recalled by its tracking number",
                               "tracking_number")
    number = await deps.reads.numbers.next("RC", deps.today())

    async def work(uow: LogisticsUnitOfWork) -> Recall:
        recall, events = Recall.open(
            number=number, order_id=command.order_id, tracking_number=command.tracking_number,
            courier=command.courier, paid_fen=command.paid_fen,
            owner_id=command.owner_id or actor.staff_id, reason=command.reason,
            by=actor.staff_id, at=at, ticket_number=command.ticket_number,
            follow_up=await uow.policies.follow_up_policy())
        await uow.recalls.add(recall)
        publish(uow, events)
        return recall

    recall = await deps.transaction(work)
    log.info("recall.requested", recall=number, order_id=command.order_id)
    return recall


Action = Callable[[Recall, datetime], Sequence[Event] | None]


async def change_recall(deps: Deps, number: str, action: Action) -> Recall:
    at = deps.clock.now()

    async def work(uow: LogisticsUnitOfWork) -> Recall:
        recall = await followed(uow, await uow.recalls.get(number))
        events = action(recall, at) or []
        await uow.recalls.save(recall)
        publish(uow, events)
        return recall

    return await deps.transaction(work)


async def courier_answered(deps: Deps, actor: Actor, number: str, accepted: bool,
                           note: str) -> Recall:
    return await change_recall(deps, number, lambda r, at: r.courier_answered(
        accepted, actor.staff_id, at, note))


async def record_slip(deps: Deps, actor: Actor, number: str, slip_number: str,
                      courier_signed_by: str) -> Recall:
    """L10: the two-part slip; the courier-signed part is kept by the order desk."""
    return await change_recall(deps, number, lambda r, at: r.record_slip(
        Slip(slip_number, courier_signed_by, actor.staff_id, at), actor.staff_id))


async def mark_returning(deps: Deps, actor: Actor, number: str) -> Recall:
    return await change_recall(deps, number, lambda r, at: r.returning(actor.staff_id, at))


async def sign_received(deps: Deps, actor: Actor, number: str, signed_by: str,
                        on: date) -> Recall:
    """L10: the order desk signs "original parcel received" with name and date."""
    return await change_recall(deps, number, lambda r, at: r.parcel_received(
        ParcelSignature(signed_by, on), actor.staff_id, at))


async def fail_recall(deps: Deps, actor: Actor, number: str, reason: str) -> Recall:
    return await change_recall(deps, number, lambda r, at: r.fail(reason, actor.staff_id, at))
