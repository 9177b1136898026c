"""T5/T14 routes: survey rounds, responses, the summary and the opinion dispatch steps.

Supervisors and managers run rounds, summaries and dispatches; agents (presales, aftersales)
record the answers they collect. Step order refusals (e.g. measures before dispatch) are 409.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tickets.api.deps import (
    PROBLEM_RESPONSES,
    AgentActor,
    DepsDep,
    DomainRoute,
    SupervisorActor,
)
from tickets.api.schemas import Day, Moment
from tickets.application import surveys as sv
from tickets.application.deps import Deps
from tickets.domain.surveys import DispatchRecord, RoundRecord

router = APIRouter(tags=["surveys"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)
RoundId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", examples=["sr-20261101-a1b2c3"])]
DispatchId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,120}$",
                                 examples=["sr-20261101-a1b2c3.logistics"])]
Department = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,39}$", examples=["logistics"])]
Ref = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]


class RoundCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"title": "2026年11月满意度调查", "starts_on": "2026-11-01", "ends_on": "2026-11-30"}]})

    title: str = Field(min_length=1, max_length=200)
    starts_on: Day = Field(description="First day of service surveyed (shop time zone).")
    ends_on: Day = Field(description="Last day of service surveyed, inclusive.")

    @model_validator(mode="after")
    def _ordered(self) -> RoundCreate:
        if not 0 <= (self.ends_on - self.starts_on).days <= 366:
            raise ValueError("ends_on must be on or after starts_on, at most 366 days later")
        return self


class RoundRead(BaseModel):
    id: str
    title: str
    period_start: datetime
    period_end: datetime
    status: Literal["open", "summarised"]
    created_at: datetime
    created_by: str
    summarised_at: datetime | None
    summarised_by: str | None


class ResponseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"customer_id": "c-1024", "agent_id": "agent-7", "ticket_number": "TK-20261126-0001",
         "score": 4, "opinion": "快递太慢了"}]})

    customer_id: Ref
    agent_id: Ref | None = None
    ticket_number: Ref | None = None
    score: int = Field(ge=1, le=5, strict=True)
    opinion: str = Field("", max_length=2000)
    answered_at: Moment | None = Field(None, description="Defaults to now.")


class ResponseRead(BaseModel):
    round_id: str
    customer_id: str
    agent_id: str | None
    ticket_number: str | None
    score: int
    opinion: str
    at: datetime


class Route(BaseModel):
    model_config = ConfigDict(extra="forbid")

    keyword: str = Field(min_length=1, max_length=40, examples=["快递"])
    department: Department


class SummariseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "routes": [{"keyword": "快递", "department": "logistics"},
                   {"keyword": "开胶", "department": "quality"}],
        "default_department": "customer_service"}]})

    routes: list[Route] = Field(default_factory=list, max_length=200,
                                description="Keyword → department; the first match wins.")
    default_department: Department = "customer_service"


class DepartmentOpinions(BaseModel):
    department: str
    opinions: list[str]


class DispatchRead(BaseModel):
    id: str
    round_id: str
    department: str
    status: str
    opinions: list[str]
    summarised_at: datetime
    dispatch_due: datetime
    dispatched_at: datetime | None
    measures_due: datetime | None
    measures: str | None
    measures_at: datetime | None
    fixed_at: datetime | None
    fix_note: str | None
    callback_due: datetime | None
    callback_scheduled_for: datetime | None
    callback_note: str | None
    steps_by: dict[str, str]
    late: list[str] = Field(description="Steps past their T5 deadline now.")


class SummaryRead(BaseModel):
    round: RoundRead
    count: int
    average: float | None
    per_agent: dict[str, float]
    opinions: list[DepartmentOpinions]
    dispatches: list[DispatchRead]


class MeasuresIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"measures": "更换快递合作方，发货后24小时内揽收。"}]})

    measures: str = Field(min_length=1, max_length=5000)


class FixIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"note": "新快递合同已生效"}, {}]})

    note: str = Field("", max_length=2000, examples=["新快递合同已生效"])


class CallbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"scheduled_for": "2026-10-20T10:00:00+08:00", "note": "电话回访"}]})

    scheduled_for: Moment
    note: str = Field("", max_length=2000)


@router.post("/surveys", status_code=201, summary="Open a survey round (T14)")
async def open_round(body: RoundCreate, deps: DepsDep, actor: SupervisorActor) -> RoundRead:
    """Supervisor or manager. T14: opens a survey round (`open`) about the service given from
    `starts_on` to `ends_on` (shop days, at most 366 days). 422: `ends_on` before `starts_on`."""
    record = await sv.open_round(deps, actor, title=body.title, starts_on=body.starts_on,
                                 ends_on=body.ends_on)
    return _round(record)


@router.get("/surveys", summary="Survey rounds, newest period first")
async def list_rounds(deps: DepsDep, _: SupervisorActor,
                      limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[RoundRead]:
    """Supervisor or manager. T14: survey rounds, newest period first, open or summarised
    (at most `limit`)."""
    return [_round(r) for r in await sv.list_rounds(deps, limit)]


@router.get("/surveys/{round_id}", summary="One survey round")
async def get_round(round_id: RoundId, deps: DepsDep, _: SupervisorActor) -> RoundRead:
    """Supervisor or manager. T14: one survey round and its status.
    404: unknown round."""
    return _round(await sv.get_round(deps, round_id))


@router.post("/surveys/{round_id}/responses", status_code=201,
             summary="Record a customer's answer (score 1–5 and opinion)",
             responses={409: {"description": "Round summarised, or already answered"}})
async def record_response(round_id: RoundId, body: ResponseCreate, deps: DepsDep,
                          actor: AgentActor) -> ResponseRead:
    """Any agent. T14: records a customer's answer (score 1–5, opinion) to an open round.
    409: round already summarised, or this customer already answered it about this ticket;
    422 `answered_at`: in the future; 404: unknown round."""
    response = await sv.record_response(
        deps, actor, round_id, customer_id=body.customer_id, agent_id=body.agent_id,
        ticket_number=body.ticket_number, score=body.score, opinion=body.opinion,
        answered_at=body.answered_at)
    return ResponseRead(round_id=response.round_id, customer_id=response.customer_id,
                        agent_id=response.agent_id, ticket_number=response.ticket_number,
                        score=response.score, opinion=response.opinion, at=response.at)


@router.get("/surveys/{round_id}/summary", summary="Figures and opinions of a round (T5, T14)")
async def get_summary(round_id: RoundId, deps: DepsDep, _: SupervisorActor) -> SummaryRead:
    """Supervisor or manager. T5/T14: count, average and per-agent scores, opinions by department
    (as routed once summarised) and the round's dispatches with their late steps. 404: unknown
    round."""
    return _summary(await sv.round_summary(deps, round_id), deps.clock.now())


@router.post("/surveys/{round_id}/summary",
             summary="Summarise a round: route opinions to departments, dispatch due in 2 "
                     "working days (T5)", responses={409: {"description": "Already summarised"}})
async def summarise(round_id: RoundId, body: SummariseRequest, deps: DepsDep,
                    actor: SupervisorActor) -> SummaryRead:
    """Supervisor or manager. T5: closes the round (`summarised`: no more answers), routes each
    opinion by the first matching keyword (else `default_department`) and plans one dispatch per
    department, due in 2 working days. 409: already summarised; 404: unknown round."""
    found = await sv.summarise_round(
        deps, actor, round_id, routes={r.keyword: r.department for r in body.routes},
        default_department=body.default_department)
    return _summary(found, deps.clock.now())


@router.get("/survey-dispatches", summary="Opinion dispatches; overdue=true: only late ones (T5)")
async def list_dispatches(
    deps: DepsDep, _: SupervisorActor, overdue: bool = False,
    department: Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9_-]{0,39}$")] = None,
    round_id: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_-]{1,64}$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[DispatchRead]:
    """Supervisor or manager. T5: opinion dispatches, by department or round; `overdue=true` keeps
    those with a step past its deadline (dispatch, measures, callback booking)."""
    rows = await sv.list_dispatches(deps, overdue=overdue, department=department,
                                    round_id=round_id, limit=limit)
    return [_dispatch(record, late) for record, late in rows]


@router.get("/survey-dispatches/{dispatch_id}", summary="One opinion dispatch")
async def get_dispatch(dispatch_id: DispatchId, deps: DepsDep,
                       _: SupervisorActor) -> DispatchRead:
    """Supervisor or manager. T5: one dispatch with its steps, deadlines and late steps.
    404: unknown dispatch."""
    return _current(await sv.get_dispatch(deps, dispatch_id), deps)


@router.post("/survey-dispatches/{dispatch_id}/dispatch",
             summary="Opinions sent to the department: measures due in 3 working days (T5)",
             responses={409: {"description": "Already dispatched"}})
async def dispatch(dispatch_id: DispatchId, deps: DepsDep,
                   actor: SupervisorActor) -> DispatchRead:
    """Supervisor or manager. T5: the opinions reached the department: `planned` → `dispatched`; its
    written measures are due in 3 working days. 409 (current_state, allowed next step): not
    `planned`; 404: unknown dispatch."""
    return _current(await sv.dispatch_opinions(deps, actor, dispatch_id), deps)


@router.post("/survey-dispatches/{dispatch_id}/measures",
             summary="Record the department's written corrective measures (T5)",
             responses={409: {"description": "Not dispatched yet, or measures already in"}})
async def measures(dispatch_id: DispatchId, body: MeasuresIn, deps: DepsDep,
                   actor: SupervisorActor) -> DispatchRead:
    """Supervisor or manager. T5: records the department's written corrective measures:
    `dispatched` → `measures_returned`. 409: not dispatched yet, or measures already in; 404."""
    record = await sv.record_measures(deps, actor, dispatch_id, measures=body.measures)
    return _current(record, deps)


@router.post("/survey-dispatches/{dispatch_id}/fix",
             summary="The fix is in place: customer callback due within 2 weeks (T5)",
             responses={409: {"description": "No measures yet, or already fixed"}})
async def fix(dispatch_id: DispatchId, body: FixIn, deps: DepsDep,
              actor: SupervisorActor) -> DispatchRead:
    """Supervisor or manager. T5: the fix is in place: `measures_returned` → `fixed`; the customer
    callback is due within 2 weeks. 409: no measures yet, or already fixed; 404."""
    return _current(await sv.mark_fixed(deps, actor, dispatch_id, note=body.note), deps)


@router.post("/survey-dispatches/{dispatch_id}/callback",
             summary="Schedule the customer callback, by its due time (T5)",
             responses={409: {"description": "Not fixed yet, or already scheduled"}})
async def callback(dispatch_id: DispatchId, body: CallbackIn, deps: DepsDep,
                   actor: SupervisorActor) -> DispatchRead:
    """Supervisor or manager. T5: books the customer callback: `fixed` → `callback_scheduled`.
    422 `scheduled_for`: in the past or after the callback due time; 409: not fixed yet, or already
    scheduled; 404: unknown dispatch."""
    record = await sv.schedule_callback(deps, actor, dispatch_id,
                                        scheduled_for=body.scheduled_for, note=body.note)
    return _current(record, deps)


def _current(record: DispatchRecord, deps: Deps) -> DispatchRead:
    return _dispatch(record, sv.late_steps(record, deps.clock.now()))


def _round(record: RoundRecord) -> RoundRead:
    r = record.round
    return RoundRead(id=r.id, title=r.title, period_start=r.period.start,
                     period_end=r.period.end, status=record.status, created_at=record.created_at,
                     created_by=record.created_by, summarised_at=record.summarised_at,
                     summarised_by=record.summarised_by)


def _dispatch(record: DispatchRecord, late: list[str]) -> DispatchRead:
    d = record.dispatch
    return DispatchRead(
        id=record.id, round_id=record.round_id, department=d.department, status=record.status,
        opinions=list(d.opinions), summarised_at=d.summarised_at, dispatch_due=d.dispatch_due,
        dispatched_at=d.dispatched_at, measures_due=d.measures_due, measures=d.measures,
        measures_at=d.measures_at, fixed_at=d.fixed_at, fix_note=record.fix_note,
        callback_due=d.callback_due, callback_scheduled_for=record.callback_scheduled_for,
        callback_note=record.callback_note, steps_by=record.steps_by, late=late)


def _summary(found: sv.RoundSummary, now: datetime) -> SummaryRead:
    s = found.summary
    return SummaryRead(
        round=_round(found.round), count=s.count, average=s.average, per_agent=s.per_agent,
        opinions=[DepartmentOpinions(department=k, opinions=v) for k, v in s.opinions.items()],
        dispatches=[_dispatch(d, sv.late_steps(d, now)) for d in found.dispatches])
