"""T5/T14 use cases: survey rounds, responses, the summary and the opinion dispatch steps.

Summarising a round closes it to new responses and plans one dispatch per responsible
department; each dispatch then moves planned → dispatched → measures_returned → fixed →
callback_scheduled, with the T5 deadlines computed on the shop's working-day calendar.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

import structlog

from tickets.application.context import Actor
from tickets.application.deps import Deps
from tickets.application.reports import shop_period
from tickets.domain.errors import NotFound, TransitionRefused, ValidationFailed
from tickets.domain.ports import SurveyRepository, TicketsUnitOfWork
from tickets.domain.sla import DEFAULT_POLICIES, SlaPolicy
from tickets.domain.surveys import (
    CLOCK_SKEW,
    OPEN_DISPATCH,
    DispatchRecord,
    RoundRecord,
    SurveyResponse,
    SurveyRound,
    SurveySummary,
    plan_dispatches,
    route_unclassified,
    summarise,
)

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class RoundSummary:
    round: RoundRecord
    summary: SurveySummary
    dispatches: list[DispatchRecord]


async def open_round(deps: Deps, actor: Actor, *, title: str, starts_on: date,
                     ends_on: date) -> RoundRecord:
    """T14: a new survey round about the service given in [starts_on, ends_on]."""
    period = shop_period(starts_on, ends_on, deps, field="ends_on", after="starts_on")
    survey = SurveyRound(id=f"sr-{starts_on:%Y%m%d}-{uuid.uuid4().hex[:6]}", period=period,
                         title=title.strip())
    record = RoundRecord(round=survey, status="open", created_at=deps.clock.now(),
                         created_by=actor.staff_id)
    await deps.transaction(lambda uow: uow.surveys.add_round(record))
    log.info("survey.round_opened", round_id=survey.id)
    return record


async def record_response(deps: Deps, actor: Actor, round_id: str, *, customer_id: str,
                          agent_id: str | None, ticket_number: str | None, score: int,
                          opinion: str, answered_at: datetime | None) -> SurveyResponse:
    """A customer's answer to an open round."""
    at = deps.clock.now()
    if answered_at is not None and answered_at > at + CLOCK_SKEW:
        raise ValidationFailed("answered_at lies in the future", field="answered_at")
    response = SurveyResponse(round_id=round_id, customer_id=customer_id, agent_id=agent_id,
                              score=score, at=answered_at or at, opinion=opinion.strip(),
                              ticket_number=ticket_number)

    async def work(uow: TicketsUnitOfWork) -> None:
        repo = uow.surveys
        (await _round(repo, round_id)).check_open("record a response")
        if not await repo.count_response(round_id):  # summarised meanwhile
            raise TransitionRefused("summarised", "record a response", [])
        await repo.add_response(uuid.uuid4().hex, response, actor.staff_id)

    await deps.transaction(work)  # Conflict if the customer already answered about the ticket
    log.info("survey.response_recorded", round_id=round_id, score=score)
    return response


async def get_round(deps: Deps, round_id: str) -> RoundRecord:
    return await _round(deps.reads.surveys, round_id)


async def list_rounds(deps: Deps, limit: int) -> list[RoundRecord]:
    return await deps.reads.surveys.rounds(limit)


async def round_summary(deps: Deps, round_id: str) -> RoundSummary:
    """T14 figures; once summarised, the opinions as they were routed to departments."""
    repo = deps.reads.surveys
    record = await _round(repo, round_id)
    summary = summarise(await repo.responses(round_id))
    dispatches = await repo.dispatches(round_id=round_id)
    if record.status == "summarised":
        routed = {d.dispatch.department: list(d.dispatch.opinions) for d in dispatches}
        summary = SurveySummary(summary.count, summary.average, summary.per_agent, routed)
    return RoundSummary(record, summary, dispatches)


async def summarise_round(deps: Deps, actor: Actor, round_id: str, *,
                          routes: Mapping[str, str], default_department: str) -> RoundSummary:
    """T5: close the round and plan each department's dispatch (due in 2 working days)."""
    at = deps.clock.now()

    async def work(uow: TicketsUnitOfWork) -> RoundSummary:
        repo = uow.surveys
        closed = (await _round(repo, round_id)).summarised(at, actor.staff_id)
        if not await repo.mark_summarised(round_id, at, actor.staff_id):
            raise TransitionRefused("summarised", "summarise again", [])  # a concurrent call
        summary = summarise(await repo.responses(round_id), routes)
        routed = route_unclassified(summary.opinions, default_department)
        dispatches = plan_dispatches(round_id, routed, at, deps.calendar, await _policies(uow))
        await repo.add_dispatches(dispatches)
        summary = SurveySummary(summary.count, summary.average, summary.per_agent, routed)
        return RoundSummary(closed, summary, dispatches)

    result = await deps.transaction(work)
    log.info("survey.round_summarised", round_id=round_id, dispatches=len(result.dispatches))
    return result


async def dispatch_opinions(deps: Deps, actor: Actor, dispatch_id: str) -> DispatchRecord:
    """T5: the opinions reached the department; its measures are due in 3 working days."""
    return await _step(deps, dispatch_id, "dispatch", lambda record, at: record.send(
        at, deps.calendar, actor.staff_id))


async def record_measures(deps: Deps, actor: Actor, dispatch_id: str, *,
                          measures: str) -> DispatchRecord:
    """T5: the department's written corrective measures came back."""
    return await _step(deps, dispatch_id, "measures", lambda record, at: record.return_measures(
        at, measures, actor.staff_id))


async def mark_fixed(deps: Deps, actor: Actor, dispatch_id: str, *,
                     note: str) -> DispatchRecord:
    """T5: the fix is in place; the customer callback is due within 2 weeks."""
    return await _step(deps, dispatch_id, "fix", lambda record, at: record.fix(
        at, deps.calendar, note, actor.staff_id))


async def schedule_callback(deps: Deps, actor: Actor, dispatch_id: str, *,
                            scheduled_for: datetime, note: str) -> DispatchRecord:
    """T5: book the customer callback, no later than its due time."""
    return await _step(deps, dispatch_id, "callback",
                       lambda record, at: record.schedule_callback(
                           at, scheduled_for, note, actor.staff_id))


async def get_dispatch(deps: Deps, dispatch_id: str) -> DispatchRecord:
    record = await deps.reads.surveys.get_dispatch(dispatch_id)
    if record is None:
        raise _no_dispatch(dispatch_id)
    return record


async def list_dispatches(deps: Deps, *, overdue: bool, department: str | None,
                          round_id: str | None,
                          limit: int) -> list[tuple[DispatchRecord, list[str]]]:
    """Dispatches with the steps late now; `overdue` keeps only those with a late step."""
    statuses = OPEN_DISPATCH if overdue else None
    found = await deps.reads.surveys.dispatches(
        round_id=round_id, department=department, statuses=statuses, limit=limit)
    at = deps.clock.now()
    rows = [(record, record.late(at)) for record in found]
    return [(record, late) for record, late in rows if late or not overdue]


def late_steps(record: DispatchRecord, now: datetime) -> list[str]:
    return record.late(now)


async def _step(deps: Deps, dispatch_id: str, step: str,
                apply: Callable[[DispatchRecord, datetime], None]) -> DispatchRecord:
    """Load the dispatch, take one step (the domain checks it is the next), save it."""
    at = deps.clock.now()

    async def work(uow: TicketsUnitOfWork) -> DispatchRecord:
        repo = uow.surveys
        record = await repo.get_dispatch(dispatch_id)
        if record is None:
            raise _no_dispatch(dispatch_id)
        record.dispatch.policies = await _policies(uow)
        apply(record, at)
        await repo.save_dispatch(record)
        return record

    record = await deps.transaction(work)
    log.info("survey.dispatch_step", dispatch_id=dispatch_id, step=step, status=record.status)
    return record


async def _round(repo: SurveyRepository, round_id: str) -> RoundRecord:
    record = await repo.get_round(round_id)
    if record is None:
        raise NotFound(f"survey round {round_id} does not exist")
    return record


def _no_dispatch(dispatch_id: str) -> NotFound:
    return NotFound(f"opinion dispatch {dispatch_id} does not exist")


async def _policies(uow: TicketsUnitOfWork) -> tuple[SlaPolicy, ...]:
    """T5 deadlines are SLA policies editable at run time; the defaults until any are stored."""
    return await uow.policies.sla_policies() or DEFAULT_POLICIES
