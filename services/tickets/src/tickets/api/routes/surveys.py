"""T5/T14 routes: survey rounds, responses, the summary and the opinion dispatch steps.

Supervisors and managers run rounds, summaries and dispatches; agents (presales, aftersales)
record the answers they collect. Step order refusals (e.g. measures before dispatch) are 409.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query

from ops_shared.web import IDEMPOTENT
from tickets.api.deps import (
    PROBLEM_RESPONSES,
    AgentActor,
    DepsDep,
    DomainRoute,
    SupervisorActor,
)
from tickets.api.schemas.surveys import (
    ROUND_ID_PATTERN,
    DepartmentOpinionsRead,
    FixRequest,
    RecordMeasuresRequest,
    ScheduleCallbackRequest,
    SummariseRequest,
    SurveyDispatchListQuery,
    SurveyDispatchRead,
    SurveyResponseCreate,
    SurveyResponseRead,
    SurveyRoundCreate,
    SurveyRoundRead,
    SurveySummaryRead,
)
from tickets.application import surveys as sv
from tickets.application.deps import Deps
from tickets.domain.surveys import DispatchRecord, RoundRecord

router = APIRouter(tags=["surveys"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)
RoundId = Annotated[str, Path(pattern=ROUND_ID_PATTERN, examples=["sr-20261101-a1b2c3"])]
DispatchId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,120}$",
                                 examples=["sr-20261101-a1b2c3.logistics"])]


@router.post("/surveys", status_code=201,
             dependencies=[IDEMPOTENT], summary="Open a survey round (T14)")
async def open_round(body: SurveyRoundCreate, deps: DepsDep,
                     actor: SupervisorActor) -> SurveyRoundRead:
    """Supervisor or manager. T14: opens a survey round (`open`) about the service given from
    `starts_on` to `ends_on` (shop days, at most 366 days). 422: `ends_on` before `starts_on`."""
    record = await sv.open_round(deps, actor, title=body.title, starts_on=body.starts_on,
                                 ends_on=body.ends_on)
    return _round(record)


@router.get("/surveys", summary="Survey rounds, newest period first")
async def list_rounds(deps: DepsDep, _: SupervisorActor,
                      limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[SurveyRoundRead]:
    """Supervisor or manager. T14: survey rounds, newest period first, open or summarised
    (at most `limit`)."""
    return [_round(r) for r in await sv.list_rounds(deps, limit)]


@router.get("/surveys/{round_id}", summary="One survey round")
async def get_round(round_id: RoundId, deps: DepsDep, _: SupervisorActor) -> SurveyRoundRead:
    """Supervisor or manager. T14: one survey round and its status.
    404: unknown round."""
    return _round(await sv.get_round(deps, round_id))


@router.post("/surveys/{round_id}/responses", status_code=201, dependencies=[IDEMPOTENT],
             summary="Record a customer's answer (score 1–5 and opinion)",
             responses={409: {"description": "Round summarised, or already answered"}})
async def record_response(round_id: RoundId, body: SurveyResponseCreate, deps: DepsDep,
                          actor: AgentActor) -> SurveyResponseRead:
    """Any agent. T14: records a customer's answer (score 1–5, opinion) to an open round.
    409: round already summarised, or this customer already answered it about this ticket;
    422 `answered_at`: in the future; 404: unknown round."""
    response = await sv.record_response(
        deps, actor, round_id, customer_id=body.customer_id, agent_id=body.agent_id,
        ticket_number=body.ticket_number, score=body.score, opinion=body.opinion,
        answered_at=body.answered_at)
    return SurveyResponseRead(round_id=response.round_id, customer_id=response.customer_id,
                              agent_id=response.agent_id, ticket_number=response.ticket_number,
                              score=response.score, opinion=response.opinion, at=response.at)


@router.get("/surveys/{round_id}/summary", summary="Figures and opinions of a round (T5, T14)")
async def get_summary(round_id: RoundId, deps: DepsDep, _: SupervisorActor) -> SurveySummaryRead:
    """Supervisor or manager. T5/T14: count, average and per-agent scores, opinions by department
    (as routed once summarised) and the round's dispatches with their late steps. 404: unknown
    round."""
    return _summary(await sv.round_summary(deps, round_id), deps.clock.now())


@router.post("/surveys/{round_id}/summary",
             summary="Summarise a round: route opinions to departments, dispatch due in 2 "
                     "working days (T5)", responses={409: {"description": "Already summarised"}})
async def summarise(round_id: RoundId, body: SummariseRequest, deps: DepsDep,
                    actor: SupervisorActor) -> SurveySummaryRead:
    """Supervisor or manager. T5: closes the round (`summarised`: no more answers), routes each
    opinion by the first matching keyword (else `default_department`) and plans one dispatch per
    department, due in 2 working days. 409: already summarised; 404: unknown round."""
    found = await sv.summarise_round(
        deps, actor, round_id, routes={r.keyword: r.department for r in body.routes},
        default_department=body.default_department)
    return _summary(found, deps.clock.now())


@router.get("/survey-dispatches", summary="Opinion dispatches; overdue=true: only late ones (T5)")
async def list_dispatches(query: Annotated[SurveyDispatchListQuery, Query()], deps: DepsDep,
                          _: SupervisorActor) -> list[SurveyDispatchRead]:
    """Supervisor or manager. T5: opinion dispatches, by department or round; `overdue=true` keeps
    those with a step past its deadline (dispatch, measures, callback booking)."""
    rows = await sv.list_dispatches(deps, overdue=query.overdue, department=query.department,
                                    round_id=query.round_id, limit=query.limit)
    return [_dispatch(record, late) for record, late in rows]


@router.get("/survey-dispatches/{dispatch_id}", summary="One opinion dispatch")
async def get_dispatch(dispatch_id: DispatchId, deps: DepsDep,
                       _: SupervisorActor) -> SurveyDispatchRead:
    """Supervisor or manager. T5: one dispatch with its steps, deadlines and late steps.
    404: unknown dispatch."""
    return _current(await sv.get_dispatch(deps, dispatch_id), deps)


@router.post("/survey-dispatches/{dispatch_id}/dispatch",
             summary="Opinions sent to the department: measures due in 3 working days (T5)",
             responses={409: {"description": "Already dispatched"}})
async def dispatch(dispatch_id: DispatchId, deps: DepsDep,
                   actor: SupervisorActor) -> SurveyDispatchRead:
    """Supervisor or manager. T5: the opinions reached the department: `planned` → `dispatched`; its
    written measures are due in 3 working days. 409 (current_state, allowed next step): not
    `planned`; 404: unknown dispatch."""
    return _current(await sv.dispatch_opinions(deps, actor, dispatch_id), deps)


@router.post("/survey-dispatches/{dispatch_id}/measures",
             summary="Record the department's written corrective measures (T5)",
             responses={409: {"description": "Not dispatched yet, or measures already in"}})
async def measures(dispatch_id: DispatchId, body: RecordMeasuresRequest, deps: DepsDep,
                   actor: SupervisorActor) -> SurveyDispatchRead:
    """Supervisor or manager. T5: records the department's written corrective measures:
    `dispatched` → `measures_returned`. 409: not dispatched yet, or measures already in; 404."""
    record = await sv.record_measures(deps, actor, dispatch_id, measures=body.measures)
    return _current(record, deps)


@router.post("/survey-dispatches/{dispatch_id}/fix",
             summary="The fix is in place: customer callback due within 2 weeks (T5)",
             responses={409: {"description": "No measures yet, or already fixed"}})
async def fix(dispatch_id: DispatchId, body: FixRequest, deps: DepsDep,
              actor: SupervisorActor) -> SurveyDispatchRead:
    """Supervisor or manager. T5: the fix is in place: `measures_returned` → `fixed`; the customer
    callback is due within 2 weeks. 409: no measures yet, or already fixed; 404."""
    return _current(await sv.mark_fixed(deps, actor, dispatch_id, note=body.note), deps)


@router.post("/survey-dispatches/{dispatch_id}/callback",
             summary="Schedule the customer callback, by its due time (T5)",
             responses={409: {"description": "Not fixed yet, or already scheduled"}})
async def callback(dispatch_id: DispatchId, body: ScheduleCallbackRequest, deps: DepsDep,
                   actor: SupervisorActor) -> SurveyDispatchRead:
    """Supervisor or manager. T5: books the customer callback: `fixed` → `callback_scheduled`.
    422 `scheduled_for`: in the past or after the callback due time; 409: not fixed yet, or already
    scheduled; 404: unknown dispatch."""
    record = await sv.schedule_callback(deps, actor, dispatch_id,
                                        scheduled_for=body.scheduled_for, note=body.note)
    return _current(record, deps)


def _current(record: DispatchRecord, deps: Deps) -> SurveyDispatchRead:
    return _dispatch(record, sv.late_steps(record, deps.clock.now()))


def _round(record: RoundRecord) -> SurveyRoundRead:
    r = record.round
    return SurveyRoundRead(id=r.id, title=r.title, period_start=r.period.start,
                           period_end=r.period.end, status=record.status,
                           created_at=record.created_at, created_by=record.created_by,
                           summarised_at=record.summarised_at,
                           summarised_by=record.summarised_by)


def _dispatch(record: DispatchRecord, late: list[str]) -> SurveyDispatchRead:
    d = record.dispatch
    return SurveyDispatchRead(
        id=record.id, round_id=record.round_id, department=d.department, status=record.status,
        opinions=list(d.opinions), summarised_at=d.summarised_at, dispatch_due=d.dispatch_due,
        dispatched_at=d.dispatched_at, measures_due=d.measures_due, measures=d.measures,
        measures_at=d.measures_at, fixed_at=d.fixed_at, fix_note=record.fix_note,
        callback_due=d.callback_due, callback_scheduled_for=record.callback_scheduled_for,
        callback_note=record.callback_note, steps_by=record.steps_by, late=late)


def _summary(found: sv.RoundSummary, now: datetime) -> SurveySummaryRead:
    s = found.summary
    return SurveySummaryRead(
        round=_round(found.round), count=s.count, average=s.average, per_agent=s.per_agent,
        opinions=[DepartmentOpinionsRead(department=k, opinions=v) for k, v in s.opinions.items()],
        dispatches=[_dispatch(d, sv.late_steps(d, now)) for d in found.dispatches])
