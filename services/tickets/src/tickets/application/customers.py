"""Customer profiles (T9) and what each viewer may see of them (T15)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tickets.application.context import Actor
from tickets.application.deps import Deps
from tickets.domain.errors import NotAllowed, NotFound, ValidationFailed
from tickets.domain.model import SUPERVISORS
from tickets.domain.ports import TicketsUnitOfWork, TierRepository
from tickets.domain.privacy import customer_view

PERSONAL = ("name", "phone", "email", "address", "platform_ids")


@dataclass(frozen=True)
class NewCustomer:
    name: str
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    platform_ids: list[str] = field(default_factory=list)
    tier: str = "new"


def customer_doc(profile: NewCustomer, by: str, at: Any) -> dict[str, Any]:
    return {"_id": f"CU{uuid.uuid4().hex[:12].upper()}", "name": profile.name,
            "phone": profile.phone, "email": profile.email, "address": profile.address,
            "platform_ids": list(profile.platform_ids), "tier": profile.tier, "orders": [],
            "created_at": at, "created_by": by}


async def _require_tier(tiers: TierRepository, tier: str, field: str = "tier") -> None:
    try:
        await tiers.get(tier)
    except NotFound:
        raise ValidationFailed(f"unknown customer tier {tier!r}", field=field) from None


async def resolve_customer(uow: TicketsUnitOfWork, actor: Actor, customer_id: str | None,
                           profile: NewCustomer | None, at: Any) -> dict[str, Any]:
    """T1: the ticket's customer: an existing profile, a known platform id, or a new profile."""
    if customer_id is not None:
        found = await uow.customers.find(customer_id)
        if found is None:
            raise ValidationFailed(f"customer {customer_id} does not exist", field="customer_id")
        return found
    assert profile is not None
    for platform_id in profile.platform_ids:
        if (known := await uow.customers.by_platform_id(platform_id)) is not None:
            return known
    await _require_tier(uow.tiers, profile.tier, "customer.tier")
    doc = customer_doc(profile, actor.staff_id, at)
    await uow.customers.add(doc)
    return doc


async def create_customer(deps: Deps, actor: Actor, profile: NewCustomer) -> dict:
    """T9: open a customer profile."""
    async def work(uow: TicketsUnitOfWork) -> dict:
        await _require_tier(uow.tiers, profile.tier)
        doc = customer_doc(profile, actor.staff_id, deps.clock.now())
        await uow.customers.add(doc)
        return doc

    created = await deps.transaction(work)
    return await view_customer(deps, actor, created["_id"])


async def update_customer(deps: Deps, actor: Actor, customer_id: str,
                          changes: dict[str, Any]) -> dict:
    """Change contact details; only a supervisor or manager changes the tier (T9)."""
    if "tier" in changes and actor.role not in SUPERVISORS:
        raise NotAllowed("only a supervisor or manager changes a customer's tier (T9)")
    changes = {**changes, "updated_at": deps.clock.now(), "updated_by": actor.staff_id}

    async def work(uow: TicketsUnitOfWork) -> None:
        if "tier" in changes:
            await _require_tier(uow.tiers, changes["tier"])
        await uow.customers.update(customer_id, changes)

    await deps.transaction(work)
    return await view_customer(deps, actor, customer_id)


@dataclass(frozen=True)
class OrderRef:
    order_id: str
    platform: str | None = None
    placed_on: date | None = None


async def add_order_reference(deps: Deps, actor: Actor, customer_id: str,
                              order: OrderRef) -> dict:
    """T9: remember an order of the customer (a reference, not the order itself)."""
    reference = {
        "order_id": order.order_id, "platform": order.platform,
        "placed_on": order.placed_on.isoformat() if order.placed_on else None,
        "added_by": actor.staff_id, "added_at": deps.clock.now()}
    await deps.transaction(lambda uow: uow.customers.add_order(customer_id, reference))
    return await view_customer(deps, actor, customer_id)


async def may_see_customer(deps: Deps, actor: Actor, customer_id: str) -> bool:
    """T15: supervisors, and the assignee of one of the customer's open tickets."""
    if actor.role in SUPERVISORS:
        return True
    return await deps.reads.ticket_queries.has_open_ticket(customer_id, actor.staff_id)


async def view_customer(deps: Deps, actor: Actor, customer_id: str) -> dict:
    """The profile in full or masked, as this viewer may see it (T15)."""
    doc = await deps.reads.customers.get(customer_id)
    allowed = await may_see_customer(deps, actor, customer_id)
    shown = customer_view(doc, actor.staff_id, actor.role, actor.staff_id if allowed else None)
    return {**shown, "masked": not allowed}
