"""Routes: the deadline preview (T2-T6, "if opened at X, when is each target due") and the intake
policy bounding `asked_at` (T2). New routes live here while the schema modules move."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from tickets.api.deps import PROBLEM_RESPONSES, AgentActor, DepsDep, DomainRoute, ManagerActor
from tickets.api.schemas import Moment
from tickets.api.schemas_customers import TierName
from tickets.api.schemas_views import SlaTargetView
from tickets.application import ticket_deadlines
from tickets.application.ticket_deadlines import DeadlineQuery
from tickets.domain.intake import DEFAULT_MAX_ASKED_AGE_HOURS, IntakePolicy
from tickets.domain.model import Channel, ComplaintGrade, Kind, Origin

router = APIRouter(tags=["policies"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)


class DeadlinePreviewQuery(BaseModel):
    """A ticket that could be opened; an unknown parameter is a 422."""

    model_config = ConfigDict(extra="forbid")

    at: Moment | None = Field(None, description="When it would open (its clocks start); "
                                                "default now.")
    kind: Kind
    grade: ComplaintGrade | None = Field(None, description="Complaints only: major or general.")
    tier: TierName = "regular"
    channel: Channel = Channel.IM
    origin: Origin = Origin.CUSTOMER


class DeadlinePreviewView(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "at": "2026-11-26T10:00:00+08:00", "kind": "complaint", "grade": "major",
        "tier": "regular", "channel": "im", "origin": "customer", "targets": []}]})

    at: datetime
    kind: str
    grade: str | None
    tier: str
    channel: str
    origin: str
    targets: list[SlaTargetView]


class IntakePolicyIn(BaseModel):
    """T2: how long ago a request logged now may have been asked (`asked_at`)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"max_asked_age_hours": DEFAULT_MAX_ASKED_AGE_HOURS}]})

    max_asked_age_hours: int = Field(ge=1, le=24 * 31, strict=True)


class IntakePolicyView(BaseModel):
    max_asked_age_hours: int


@router.get("/deadline-preview", summary="When each target would be due for a ticket opened at "
                                         "a moment (T2-T6)")
async def deadline_preview(query: Annotated[DeadlinePreviewQuery, Query()], deps: DepsDep,
                           _: AgentActor) -> DeadlinePreviewView:
    """Any agent. Read-only: the SLA targets a ticket of this kind (grade, tier, channel, origin)
    would get if it opened (or its customer asked) at `at`, computed by the same SLA clock,
    policies and calendar as an opening (the first-response and rectification clocks; the
    callback clocks start at rectification). No ticket is created. 422 `grade`: missing on a
    complaint or set on another kind; 422 `tier`: unknown tier; 422: an unknown parameter."""
    command = DeadlineQuery(at=query.at or deps.clock.now(), kind=query.kind,
                            grade=query.grade, tier=query.tier, channel=query.channel,
                            origin=query.origin)
    targets = await ticket_deadlines.preview_deadlines(deps, command)
    return DeadlinePreviewView(
        at=command.at, kind=command.kind, grade=command.grade, tier=command.tier,
        channel=command.channel, origin=command.origin,
        targets=[SlaTargetView(**vars(t)) for t in targets])


@router.get("/intake-policy", summary="How long ago a logged request may have been asked (T2)")
async def get_intake_policy(deps: DepsDep, _: AgentActor) -> IntakePolicyView:
    """Any agent. The bound on a new ticket's `asked_at` (default 72 hours)."""
    policy = await ticket_deadlines.intake_policy(deps)
    return IntakePolicyView(**policy.model_dump())


@router.put("/intake-policy", summary="Change how old a logged request may be (manager)")
async def put_intake_policy(body: IntakePolicyIn, deps: DepsDep,
                            actor: ManagerActor) -> IntakePolicyView:
    """Manager only. New openings refuse an `asked_at` older than `max_asked_age_hours`
    (1-744); tickets already open keep their clocks."""
    policy = await ticket_deadlines.put_intake_policy(deps, actor, IntakePolicy(
        max_asked_age_hours=body.max_asked_age_hours))
    return IntakePolicyView(**policy.model_dump())
