"""Ship-date promise (L13) and its policy."""

from __future__ import annotations

from fastapi import APIRouter

from logistics.api.deps import PROBLEM_RESPONSES, DepsDep, DomainRoute, ManagerActor, StaffActor
from logistics.api.schemas.promise import (
    PromiseAsk,
    PromisePolicyIn,
    PromisePolicyRead,
    PromiseRead,
)
from logistics.application import promise
from logistics.domain.promise import SkuAsked

router = APIRouter(tags=["ship-date promise"], route_class=DomainRoute,
                   responses=PROBLEM_RESPONSES)


@router.post("/ship-date-promise", summary="The ship date to promise, and the rule (L13)")
async def promise_ship_date(body: PromiseAsk, deps: DepsDep, _: StaffActor) -> PromiseRead:
    """For pre-sales: the payment time and the SKUs (in stock or not). The order ships when
    its slowest item does; `rule` names what decided it."""
    skus = [SkuAsked(s.sku, s.in_stock) for s in body.skus]
    return PromiseRead.of(await promise.promise_ship_date(deps, body.paid_at, skus))


@router.get("/policies/promise", summary="The ship-date policy")
async def get_policy(deps: DepsDep, _: StaffActor) -> PromisePolicyRead:
    return PromisePolicyRead.of(await promise.promise_policy(deps))


@router.put("/policies/promise", summary="Edit the ship-date policy (manager)")
async def put_policy(body: PromisePolicyIn, deps: DepsDep,
                     actor: ManagerActor) -> PromisePolicyRead:
    """Takes effect for the next question on every replica."""
    return PromisePolicyRead.of(await promise.set_promise_policy(deps, actor, body.policy()))
