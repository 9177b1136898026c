"""L8, L9: the replacement of an exchange: ordered after inspection passes, shipped by the
warehouse with its tracking number, delivery followed up; never before the return is received
unless a supervisor approves it with a reason."""

from __future__ import annotations

from logistics.application.context import Actor
from logistics.application.deps import Deps
from logistics.application.rmas import change_rma
from logistics.domain.rma import Rma


async def approve_advance(deps: Deps, actor: Actor, number: str, reason: str) -> Rma:
    """L9: a supervisor lets the replacement ship before the return arrives."""
    actor.require_supervisor("approve an advance replacement")
    return await change_rma(deps, number, lambda rma, at: rma.approve_advance(
        reason, actor.staff_id, at))


async def ship_exchange(deps: Deps, actor: Actor, number: str, tracking_number: str,
                        courier: str | None) -> Rma:
    """L8: the warehouse ships the replacement and records its tracking number."""
    return await change_rma(deps, number, lambda rma, at: rma.ship_exchange(
        tracking_number, courier, actor.staff_id, at))


async def confirm_delivery(deps: Deps, actor: Actor, number: str) -> Rma:
    return await change_rma(deps, number, lambda rma, at: rma.confirm_delivery(
        actor.staff_id, at))


async def exchange_orders(deps: Deps, status: str, limit: int) -> list[Rma]:
    """The order desk's list of replacements to print (pending) or follow (shipped)."""
    return await deps.reads.rmas.exchange_orders(status, limit)
