"""Routes: the hr policy (shifts, staffing, limits, fines, bands, bonuses, pay day)."""

from __future__ import annotations

from fastapi import APIRouter

from hr.api.deps import PROBLEM_RESPONSES, DepsDep, DomainRoute, ManagerActor, StaffActor
from hr.api.schemas.policy import PolicyRead, PolicyUpdate
from hr.application import policies

router = APIRouter(tags=["policy"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)


@router.get("/policy", summary="The hr policy, seeded from the rulebook")
async def read(deps: DepsDep, _: StaffActor) -> PolicyRead:
    return PolicyRead.of(await policies.current(deps))


@router.patch("/policy", summary="Change the hr policy (manager)")
async def change(body: PolicyUpdate, deps: DepsDep, actor: ManagerActor) -> PolicyRead:
    return PolicyRead.of(await policies.change(deps, actor, body.changes()))
