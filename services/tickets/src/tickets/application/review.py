"""T13: keep the review items up to date from logistics events; the daily list; reminders.

Events may arrive out of order: each item remembers the `occurred_at` of the newest event
applied, and an older status change only lands in the item's history. A refund issued resolves
the item; a status change that happened after the refund (a new dispute) reopens it.
The logistics handlers (`on_logistics.py`) call `update_review_item` with one of the changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import structlog

from ops_shared.contracts import Envelope
from ops_shared.contracts.logistics import CaseUpdated, RefundIssued, RmaOpened, RmaStatusChanged
from ops_shared.contracts.tickets import ReviewReminderItem, ReviewReminderSent
from ops_shared.persistence import UnitOfWork
from tickets.application.context import Actor
from tickets.application.deps import Deps
from tickets.domain.errors import Conflict
from tickets.domain.ports import TicketsUnitOfWork
from tickets.domain.review import (
    DisputeItem,
    Reminder,
    ReviewRecord,
    case_key,
    daily_review,
)

log = structlog.get_logger(__name__)

Change = Callable[[ReviewRecord, Any, datetime], None]


async def update_review_item(uow: TicketsUnitOfWork,
                             event: RmaOpened | RmaStatusChanged | RefundIssued | CaseUpdated,
                             envelope: Envelope, change: Change) -> None:
    """Apply one logistics event to the case's review item (an RMA's, or a recall's, problem
    parcel's or re-shipment's), once, in the handler's transaction."""
    repo = uow.review
    if isinstance(event, CaseUpdated):
        key, case_type = case_key(event.case_type, event.case_id), event.case_type
    else:
        key, case_type = event.rma_number, "rma"
    record = await repo.get(key) or ReviewRecord(rma_number=key, case_type=case_type)
    if record.saw(envelope.id):  # the inbox already guarantees once; this keeps it idempotent
        return
    change(record, event, envelope.occurred_at)
    record.remember(envelope.id, envelope.type, envelope.occurred_at)
    await repo.save(record)
    log.info("review.item_updated", case=key, kind=record.kind)


# -- each logistics event as the item's transition (the rules are in domain/review.py) ------

def opened(record: ReviewRecord, event: RmaOpened, at: datetime) -> None:
    record.opened(order_id=event.order_id, ticket_number=event.ticket_number,
                  owner_id=event.owner_id, at=at)


def status_changed(record: ReviewRecord, event: RmaStatusChanged, at: datetime) -> None:
    record.status_changed(
        order_id=event.order_id, ticket_number=event.ticket_number, status=event.to_status,
        note=event.note, refund_in_progress=event.refund_in_progress, dispute=event.dispute,
        next_action_at=event.next_action_at, owner_id=event.owner_id, at=at)


def refund_issued(record: ReviewRecord, event: RefundIssued, at: datetime) -> None:
    record.refund_issued(order_id=event.order_id, ticket_number=event.ticket_number,
                         refund_id=event.refund_id, issued_at=event.issued_at, at=at)


def case_updated(record: ReviewRecord, event: CaseUpdated, at: datetime) -> None:
    """L12: ordered by the envelope's `occurred_at`, as the RMA events are."""
    record.case_updated(
        order_id=event.order_id, ticket_number=event.ticket_number, status=event.status,
        is_open=event.open, note=event.note, refund_in_progress=event.refund_in_progress,
        dispute=event.dispute, next_action_at=event.next_action_at, owner_id=event.owner_id, at=at)



@dataclass(frozen=True)
class OwnerReview:
    owner_id: str
    items: list[tuple[ReviewRecord, DisputeItem]]
    reminder: Reminder | None


@dataclass(frozen=True)
class DailyReview:
    day: str
    as_of: datetime
    owners: list[OwnerReview]


@dataclass(frozen=True)
class ReminderResult:
    day: str
    reminded: list[Reminder]
    already_reminded: list[str]
    not_on_list: list[str]


async def daily_list(deps: Deps) -> DailyReview:
    """T13: open refunds and overdue disputes, grouped by owner, with today's reminders."""
    repo = deps.reads.review
    at = deps.clock.now()
    day = _day(at, deps)
    reminders = {r.owner_id: r for r in await repo.reminders_on(day)}
    return DailyReview(day, at, _owners(await repo.open_items(), at, reminders))


async def reminders_on(deps: Deps, day: date | None) -> tuple[str, list[Reminder]]:
    """Who was reminded on a shop-local day (today when None)."""
    key = day.isoformat() if day else _day(deps.clock.now(), deps)
    return key, await deps.reads.review.reminders_on(key)


async def send_reminders(deps: Deps, actor: Actor, *,
                         owner_ids: Sequence[str] | None) -> ReminderResult:
    """T13: remind each owner on today's list once a day; each reminder is published."""
    at = deps.clock.now()
    day = _day(at, deps)

    async def work(uow: TicketsUnitOfWork) -> ReminderResult:
        return await _remind_all(uow, day, at, actor.staff_id, owner_ids)

    try:
        result = await deps.transaction(work)
    except Conflict:  # a concurrent call reminded an owner first: look again
        result = await deps.transaction(work)
    log.info("review.reminders_sent", day=day, count=len(result.reminded))
    return result


SCHEDULER = "scheduler"
"""Who sends the automatic daily reminder (`reminded_by`)."""


async def remind_daily(deps: Deps) -> ReminderResult | None:
    """T13: the automatic daily reminder, once per shop day across replicas.

    The day's claim and the reminders commit together: two replicas racing both try, one
    commits, the other finds the day claimed (or conflicts) and sends nothing. None when the
    day was already done.
    """
    at = deps.clock.now()
    day = _day(at, deps)

    async def work(uow: TicketsUnitOfWork) -> ReminderResult | None:
        if not await uow.review.claim_day(day, at):
            return None
        return await _remind_all(uow, day, at, SCHEDULER, None)

    try:
        result = await deps.transaction(work)
    except Conflict:  # another replica claims the day right now
        return None
    if result is not None:
        log.info("review.daily_reminder_sent", day=day, count=len(result.reminded))
    return result


async def _remind_all(uow: TicketsUnitOfWork, day: str, at: datetime, actor_id: str,
                      owner_ids: Sequence[str] | None) -> ReminderResult:
    """Remind each listed owner (all when None) not yet reminded that day."""
    repo = uow.review
    done = {r.owner_id for r in await repo.reminders_on(day)}
    listed = {o.owner_id: o for o in _owners(await repo.open_items(), at, {})}
    wanted = list(dict.fromkeys(owner_ids)) if owner_ids is not None else sorted(listed)
    reminded = []
    for owner_id in (o for o in wanted if o in listed and o not in done):
        reminder = _remind(uow, listed[owner_id], day, at, actor_id)
        await repo.add_reminder(reminder)
        reminded.append(reminder)
    return ReminderResult(day, reminded, [o for o in wanted if o in listed and o in done],
                          [o for o in wanted if o not in listed])


def _remind(uow: UnitOfWork, owner: OwnerReview, day: str, now: datetime,
            actor_id: str) -> Reminder:
    items = [ReviewReminderItem(rma_number=record.rma_number, order_id=item.order_id,
                                kind=item.kind, next_action_at=item.next_action_at,
                                ticket_number=item.ticket_number,
                                case_type=record.case_type,  # type: ignore[arg-type]
                                case_id=record.case_id)
             for record, item in owner.items]
    uow.publish(ReviewReminderSent(owner_id=owner.owner_id, day=day, items=items,
                                   reminded_by=actor_id, reminded_at=now))
    return Reminder(day=day, owner_id=owner.owner_id, reminded_at=now, reminded_by=actor_id,
                    rma_numbers=tuple(record.rma_number for record, _ in owner.items))


def _owners(records: Sequence[ReviewRecord], now: datetime,
            reminders: Mapping[str, Reminder]) -> list[OwnerReview]:
    pairs = [(record, item) for record in records if (item := record.as_item(now))]
    record_of = {id(item): record for record, item in pairs}  # daily_review keeps the objects
    grouped = daily_review([item for _, item in pairs], now)
    return [OwnerReview(owner, [(record_of[id(item)], item) for item in items],
                        reminders.get(owner))
            for owner, items in grouped.items()]


def _day(at: datetime, deps: Deps) -> str:
    """The shop-local review day."""
    return at.astimezone(deps.calendar.tz).date().isoformat()
