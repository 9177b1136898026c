"""Routes: T2's staffed hours, a policy a manager edits (seeded from the rulebook)."""

from __future__ import annotations

from fastapi import APIRouter

from tickets.api.deps import PROBLEM_RESPONSES, AgentActor, DepsDep, DomainRoute, ManagerActor
from tickets.api.schemas.staffed_hours import StaffedHoursRead, StaffedHoursUpdate
from tickets.application import policies

router = APIRouter(tags=["policies"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)


@router.get("/staffed-hours", summary="T2's staffed hours")
async def get_staffed_hours(deps: DepsDep, _: AgentActor) -> StaffedHoursRead:
    """Any agent. T2: the daily periods (shop-local) during which first-response clocks run, and
    whether they run every day or on working days only; the rulebook's until a manager edits
    them."""
    return StaffedHoursRead.of(await policies.get_staffed_hours(deps))


@router.put("/staffed-hours", summary="Change T2's staffed hours (manager)")
async def put_staffed_hours(body: StaffedHoursUpdate, deps: DepsDep,
                            actor: ManagerActor) -> StaffedHoursRead:
    """Manager only. T2: replaces the staffed hours; first-response clocks started from now on
    count them, running targets keep their due time. 422 `periods`: a period that does not end
    after it starts, or periods that overlap."""
    hours = await policies.put_staffed_hours(
        deps, actor, [(p.start, p.end) for p in body.periods], body.open_days)
    return StaffedHoursRead.of(hours)
