"""T5/T14 use cases: survey rounds, responses, the summary and the opinion dispatch steps.

Summarising a round closes it to new responses and plans one dispatch per responsible
department; each dispatch then moves planned → dispatched → measures_returned → fixed →
callback_scheduled, with the T5 deadlines computed on the shop's working-day calendar.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import structlog

from tickets.application.context import Actor
from tickets.application.deps import Deps
from tickets.application.reports import shop_period
from tickets.domain.errors import NotFound, TransitionRefused, ValidationFailed
from tickets.domain.ports import SurveyRepository, TicketsUnitOfWork
from tickets.domain.sla import DEFAULT_POLICIES, SlaPolicy
from tickets.domain.surveys import (
    OPEN_DISPATCH,
    UNCLASSIFIED,
    DispatchRecord,
    OpinionDispatch,
    RoundRecord,
    SurveyResponse,
    SurveyRound,
    SurveySummary,
    summarise,
)

log = structlog.get_logger(__name__)
NEXT_STEP = {"planned": "dispatch", "dispatched": "measures", "measures_returned": "fix",
             "fixed": "callback"}
CLOCK_SKEW = timedelta(minutes=5)


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
        record = await _round(repo, round_id)
        if not await repo.count_response(round_id):
            raise TransitionRefused(record.status, "record a response", [])
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
        record = await _round(repo, round_id)
        if not await repo.mark_summarised(round_id, at, actor.staff_id):
            raise TransitionRefused(record.status, "summarise again", [])
        summary = summarise(await repo.responses(round_id), routes)
        routed = route_unclassified(summary.opinions, default_department)
        policies = await _policies(uow)
        dispatches = [
            DispatchRecord(id=f"{round_id}.{department}", round_id=round_id, steps_by={},
                           dispatch=OpinionDispatch.plan(department, opinions, at,
                                                         deps.calendar, policies))
            for department, opinions in sorted(routed.items())
        ]
        await repo.add_dispatches(dispatches)
        closed = RoundRecord(round=record.round, status="summarised", created_at=record.created_at,
                             created_by=record.created_by, summarised_at=at,
                             summarised_by=actor.staff_id)
        summary = SurveySummary(summary.count, summary.average, summary.per_agent, routed)
        return RoundSummary(closed, summary, dispatches)

    result = await deps.transaction(work)
    log.info("survey.round_summarised", round_id=round_id, dispatches=len(result.dispatches))
    return result


async def dispatch_opinions(deps: Deps, actor: Actor, dispatch_id: str) -> DispatchRecord:
    """T5: the opinions reached the department; its measures are due in 3 working days."""

    def apply(record: DispatchRecord, at: datetime) -> None:
        record.dispatch.dispatch(at, deps.calendar)

    return await _step(deps, actor, dispatch_id, "dispatch", apply)


async def record_measures(deps: Deps, actor: Actor, dispatch_id: str, *,
                          measures: str) -> DispatchRecord:
    """T5: the department's written corrective measures came back."""

    def apply(record: DispatchRecord, at: datetime) -> None:
        record.dispatch.return_measures(at, measures)

    return await _step(deps, actor, dispatch_id, "measures", apply)


async def mark_fixed(deps: Deps, actor: Actor, dispatch_id: str, *,
                     note: str) -> DispatchRecord:
    """T5: the fix is in place; the customer callback is due within 2 weeks."""

    def apply(record: DispatchRecord, at: datetime) -> None:
        record.dispatch.mark_fixed(at, deps.calendar)
        record.fix_note = note.strip()

    return await _step(deps, actor, dispatch_id, "fix", apply)


async def schedule_callback(deps: Deps, actor: Actor, dispatch_id: str, *,
                            scheduled_for: datetime, note: str) -> DispatchRecord:
    """T5: book the customer callback, no later than its due time."""

    def apply(record: DispatchRecord, at: datetime) -> None:
        due = record.dispatch.callback_due
        if scheduled_for < at - CLOCK_SKEW:
            raise ValidationFailed("scheduled_for lies in the past", field="scheduled_for")
        if due is not None and scheduled_for > due:
            raise ValidationFailed(f"the callback is due by {due.isoformat()} (T5: 2 weeks)",
                                   field="scheduled_for")
        record.callback_scheduled_for, record.callback_note = scheduled_for, note.strip()

    return await _step(deps, actor, dispatch_id, "callback", apply)


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
    rows = [(record, late_steps(record, at)) for record in found]
    return [(record, late) for record, late in rows if late or not overdue]


def late_steps(record: DispatchRecord, now: datetime) -> list[str]:
    """Domain lateness (dispatch, measures) plus a callback not booked by its due time."""
    late = record.dispatch.overdue(now)
    due = record.dispatch.callback_due
    if record.status == "fixed" and due is not None and now > due:
        late.append("callback")
    return late


async def _step(deps: Deps, actor: Actor, dispatch_id: str, step: str,
                apply: Callable[[DispatchRecord, datetime], None]) -> DispatchRecord:
    at = deps.clock.now()

    async def work(uow: TicketsUnitOfWork) -> DispatchRecord:
        repo = uow.surveys
        record = await repo.get_dispatch(dispatch_id)
        if record is None:
            raise _no_dispatch(dispatch_id)
        if NEXT_STEP.get(record.status) != step:
            allowed = [NEXT_STEP[record.status]] if record.status in NEXT_STEP else []
            raise TransitionRefused(record.status, step, allowed)
        record.dispatch.policies = await _policies(uow)
        apply(record, at)
        record.steps_by[step] = actor.staff_id
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


def route_unclassified(opinions: Mapping[str, list[str]], default: str) -> dict[str, list[str]]:
    """Opinions no keyword matched go to the default department."""
    routed: dict[str, list[str]] = {}
    for department, found in opinions.items():
        target = default if department == UNCLASSIFIED else department
        routed.setdefault(target, []).extend(found)
    return routed
