"""T13 routes: the supervisor's daily review list and the reminders sent to its owners."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from tickets.api.deps import PROBLEM_RESPONSES, DepsDep, DomainRoute, SupervisorActor
from tickets.api.schemas.review import (
    DailyReviewQuery,
    DailyReviewRead,
    ReminderCaseRead,
    ReminderRead,
    RemindersSentRead,
    RemindRequest,
    ReviewItemRead,
    ReviewOwnerRead,
)
from tickets.application import review as rv
from tickets.domain.errors import ValidationFailed
from tickets.domain.review import DisputeItem, Reminder, ReviewRecord

router = APIRouter(tags=["daily review"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)


@router.get("/review/daily",
            summary="Today's review: open refunds and overdue disputes by owner (T13)")
async def daily(query: Annotated[DailyReviewQuery, Query()], deps: DepsDep,
                _: SupervisorActor) -> DailyReviewRead:
    """Supervisor or manager. T13: today's review list, kept from logistics events: every refund in
    progress and every dispute whose next-action time has come, by after-sales owner, earliest
    next action first, with today's reminder if one was sent. The list is live: `day` may name
    today (shop-local) only; 422 `day`: another day (who was reminded on a past day is at
    /review/reminders?day=)."""
    review = await rv.daily_list(deps)
    if query.day is not None and query.day.isoformat() != review.day:
        raise ValidationFailed(f"only today's review ({review.day}) is kept; past days' "
                               "reminders are at /review/reminders?day=", field="day")
    owners = [ReviewOwnerRead(owner_id=o.owner_id,
                              items=[_item(record, item, review.as_of)
                                     for record, item in o.items],
                              reminded_at=o.reminder.reminded_at if o.reminder else None,
                              reminded_by=o.reminder.reminded_by if o.reminder else None)
              for o in review.owners]
    return DailyReviewRead(day=review.day, as_of=review.as_of, owners=owners,
                           total=sum(len(o.items) for o in owners))


@router.post("/review/daily/reminders",
             summary="Remind the owners on today's list, once a day each (T13)")
async def remind(body: RemindRequest, deps: DepsDep,
                 actor: SupervisorActor) -> RemindersSentRead:
    """Supervisor or manager. T13: reminds each owner on today's list (all, or `owner_ids`) at most
    once per shop day; publishes tickets.review.reminder_sent per reminder. Owners already reminded
    or with nothing to review are listed in the result, not refused."""
    result = await rv.send_reminders(deps, actor, owner_ids=body.owner_ids)
    return RemindersSentRead(day=result.day, reminded=[_reminder(r) for r in result.reminded],
                             already_reminded=result.already_reminded,
                             not_on_list=result.not_on_list)


@router.get("/review/reminders", summary="Who was reminded on a day (default today)")
async def reminders(deps: DepsDep, _: SupervisorActor,
                    day: Annotated[date | None, Query(examples=["2026-11-26"])] = None,
                    ) -> list[ReminderRead]:
    """Supervisor or manager. T13: the reminders sent on a shop-local day (default today),
    with the RMAs each named."""
    _, found = await rv.reminders_on(deps, day)
    return [_reminder(r) for r in found]


def _item(record: ReviewRecord, item: DisputeItem, as_of: datetime) -> ReviewItemRead:
    return ReviewItemRead(
        rma_number=record.rma_number, case_type=record.case_type,  # type: ignore[arg-type]
        case_id=record.case_id, order_id=item.order_id, ticket_number=item.ticket_number,
        kind=item.kind, status=record.status, refund_in_progress=record.refund_in_progress,
        dispute=record.dispute, next_action_at=item.next_action_at,
        overdue=item.overdue(as_of), note=item.note)


def _reminder(reminder: Reminder) -> ReminderRead:
    return ReminderRead(day=reminder.day, owner_id=reminder.owner_id,
                        rma_numbers=list(reminder.rma_numbers),
                        cases=[ReminderCaseRead(case_type=t, case_id=i)  # type: ignore[arg-type]
                               for t, i in reminder.cases],
                        reminded_at=reminder.reminded_at,
                        reminded_by=reminder.reminded_by)
