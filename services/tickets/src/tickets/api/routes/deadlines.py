"""Routes: the deadline preview (T2-T6, "if opened at X, when is each target due") and the intake
policy bounding a new ticket's `asked_at` (T2)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tickets.api.deps import PROBLEM_RESPONSES, AgentActor, DepsDep, DomainRoute, ManagerActor
from tickets.api.schemas.deadlines import (
    DeadlinePreviewQuery,
    DeadlinePreviewRead,
    IntakePolicyRead,
    IntakePolicyUpdate,
)
from tickets.api.schemas.tickets import SlaTargetRead
from tickets.application import ticket_deadlines
from tickets.application.ticket_deadlines import DeadlineQuery
from tickets.domain.intake import IntakePolicy

router = APIRouter(tags=["policies"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)


@router.get("/deadline-preview", summary="When each target would be due for a ticket opened at "
                                         "a moment (T2-T6)")
async def deadline_preview(query: Annotated[DeadlinePreviewQuery, Query()], deps: DepsDep,
                           _: AgentActor) -> DeadlinePreviewRead:
    """Any agent. Read-only: the SLA targets a ticket of this kind (grade, tier, channel, origin)
    would get if it opened (or its customer asked) at `at`, computed by the same SLA clock,
    policies and calendar as an opening (the first-response and rectification clocks; the
    callback clocks start at rectification). No ticket is created. 422 `grade`: missing on a
    complaint or set on another kind; 422 `tier`: unknown tier; 422: an unknown parameter."""
    command = DeadlineQuery(at=query.at or deps.clock.now(), kind=query.kind,
                            grade=query.grade, tier=query.tier, channel=query.channel,
                            origin=query.origin)
    targets = await ticket_deadlines.preview_deadlines(deps, command)
    return DeadlinePreviewRead(
        at=command.at, kind=command.kind, grade=command.grade, tier=command.tier,
        channel=command.channel, origin=command.origin,
        targets=[SlaTargetRead(**vars(t)) for t in targets])


@router.get("/intake-policy", summary="How long ago a logged request may have been asked (T2)")
async def get_intake_policy(deps: DepsDep, _: AgentActor) -> IntakePolicyRead:
    """Any agent. The bound on a new ticket's `asked_at` (default 72 hours)."""
    policy = await ticket_deadlines.intake_policy(deps)
    return IntakePolicyRead(**policy.model_dump())


@router.put("/intake-policy", summary="Change how old a logged request may be (manager)")
async def put_intake_policy(body: IntakePolicyUpdate, deps: DepsDep,
                            actor: ManagerActor) -> IntakePolicyRead:
    """Manager only. New openings refuse an `asked_at` older than `max_asked_age_hours`
    (1-744); tickets already open keep their clocks."""
    policy = await ticket_deadlines.put_intake_policy(deps, actor, IntakePolicy(
        max_asked_age_hours=body.max_asked_age_hours))
    return IntakePolicyRead(**policy.model_dump())
