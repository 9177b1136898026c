"""Exchange routes (L8, L9): the replacement's order, shipment and delivery."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query

from logistics.api.deps import (
    PROBLEM_RESPONSES,
    AftersalesActor,
    DepsDep,
    DomainRoute,
    RmaNumber,
    StaffActor,
    SupervisorActor,
    WarehouseActor,
)
from logistics.api.schemas.exchanges import AdvanceIn, ShipmentIn
from logistics.api.schemas.rmas import RmaRead
from logistics.application import exchanges

router = APIRouter(tags=["exchanges"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)


@router.get("/exchange-orders", summary="Replacements to print and ship (L8)")
async def exchange_orders(deps: DepsDep, actor: StaffActor,
                          status: Literal["pending", "shipped", "delivered"] = "pending",
                          limit: int = Query(100, ge=1, le=500)) -> list[RmaRead]:
    """For the order desk and the warehouse: `pending` replacements wait to be shipped."""
    return [RmaRead.of(r, actor.role)
            for r in await exchanges.exchange_orders(deps, status, limit)]


@router.post("/rmas/{number}/exchange/advance-approval",
             summary="Approve shipping the replacement before the return arrives (L9)")
async def approve_advance(number: RmaNumber, body: AdvanceIn, deps: DepsDep,
                          actor: SupervisorActor) -> RmaRead:
    rma = await exchanges.approve_advance(deps, actor, number, body.reason)
    return RmaRead.of(rma, actor.role)


@router.post("/rmas/{number}/exchange/shipment", summary="Ship the replacement (L8)")
async def ship(number: RmaNumber, body: ShipmentIn, deps: DepsDep,
               actor: WarehouseActor) -> RmaRead:
    """409 `return-not-received` before the return is received without an approval (L9)."""
    rma = await exchanges.ship_exchange(deps, actor, number, body.tracking_number,
                                        body.courier)
    return RmaRead.of(rma, actor.role)


@router.post("/rmas/{number}/exchange/delivery", summary="The replacement was delivered")
async def delivered(number: RmaNumber, deps: DepsDep, actor: AftersalesActor) -> RmaRead:
    return RmaRead.of(await exchanges.confirm_delivery(deps, actor, number), actor.role)
