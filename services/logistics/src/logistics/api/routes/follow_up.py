"""The follow-up policy: when the owner of an open case looks again (T13, L8, L12)."""

from __future__ import annotations

from fastapi import APIRouter

from logistics.api.deps import PROBLEM_RESPONSES, DepsDep, DomainRoute, ManagerActor, StaffActor
from logistics.api.schemas.follow_up import FollowUpPolicyIn, FollowUpPolicyRead
from logistics.application import follow_up

router = APIRouter(tags=["follow-up policy"], route_class=DomainRoute,
                   responses=PROBLEM_RESPONSES)


@router.get("/policies/follow-up", summary="The follow-up delays of open cases")
async def get_policy(deps: DepsDep, _: StaffActor) -> FollowUpPolicyRead:
    return FollowUpPolicyRead.of(await follow_up.follow_up_policy(deps))


@router.put("/policies/follow-up", summary="Edit the follow-up delays (manager)")
async def put_policy(body: FollowUpPolicyIn, deps: DepsDep,
                     actor: ManagerActor) -> FollowUpPolicyRead:
    """Hours after each move until the case's owner must look again (its next-action time,
    on the daily review). Takes effect for the next move of any case, on every replica."""
    return FollowUpPolicyRead.of(await follow_up.set_follow_up_policy(
        deps, actor, body.policy()))
