"""Customer profiles (T9) and what each viewer may see of them (T15)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tickets.application.context import Actor
from tickets.application.deps import Deps
from tickets.domain.customers import (
    DEFAULT_TIER,
    Customer,
    OrderReference,
    check_change,
    check_tier_setter,
)
from tickets.domain.errors import NotFound, ValidationFailed
from tickets.domain.model import SUPERVISORS
from tickets.domain.ports import TicketsUnitOfWork, TierRepository


@dataclass(frozen=True)
class NewCustomer:
    name: str
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    platform_ids: list[str] = field(default_factory=list)
    tier: str = DEFAULT_TIER


def new_customer(profile: NewCustomer, by: str, at: datetime) -> Customer:
    return Customer(id=f"CU{uuid.uuid4().hex[:12].upper()}", name=profile.name,
                    phone=profile.phone, email=profile.email, address=profile.address,
                    platform_ids=tuple(profile.platform_ids), tier=profile.tier,
                    created_at=at, created_by=by)


async def _require_tier(tiers: TierRepository, tier: str, field: str = "tier") -> None:
    try:
        await tiers.get(tier)
    except NotFound:
        raise ValidationFailed(f"unknown customer tier {tier!r}", field=field) from None


async def resolve_customer(uow: TicketsUnitOfWork, actor: Actor, customer_id: str | None,
                           profile: NewCustomer | None, at: datetime) -> Customer:
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
    check_tier_setter(actor.role, profile.tier)
    customer = new_customer(profile, actor.staff_id, at)
    await uow.customers.add(customer)
    return customer


async def create_customer(deps: Deps, actor: Actor, profile: NewCustomer) -> dict[str, Any]:
    """T9: open a customer profile; only supervisors and managers choose a tier."""
    async def work(uow: TicketsUnitOfWork) -> Customer:
        await _require_tier(uow.tiers, profile.tier)
        check_tier_setter(actor.role, profile.tier)
        customer = new_customer(profile, actor.staff_id, deps.clock.now())
        await uow.customers.add(customer)
        return customer

    created = await deps.transaction(work)
    return await view_customer(deps, actor, created.id)


async def update_customer(deps: Deps, actor: Actor, customer_id: str,
                          changes: dict[str, Any]) -> dict[str, Any]:
    """Change contact details (T15: the agent holding an open ticket of the customer, or a
    supervisor) or the tier (T9: supervisors and managers)."""
    at = deps.clock.now()

    async def work(uow: TicketsUnitOfWork) -> None:
        customer = await uow.customers.get(customer_id)
        holds = actor.role in SUPERVISORS or await uow.ticket_queries.has_open_ticket(
            customer_id, actor.staff_id)
        check_change(actor.role, changes, holds)
        if "tier" in changes:
            await _require_tier(uow.tiers, changes["tier"])
        await uow.customers.save(customer.changed(changes, by=actor.staff_id, at=at))

    await deps.transaction(work)
    return await view_customer(deps, actor, customer_id)


@dataclass(frozen=True)
class OrderRef:
    order_id: str
    platform: str | None = None
    placed_on: date | None = None


async def add_order_reference(deps: Deps, actor: Actor, customer_id: str,
                              order: OrderRef) -> dict[str, Any]:
    """T9: remember an order of the customer (a reference, not the order itself), once."""
    reference = OrderReference(order_id=order.order_id, platform=order.platform,
                               placed_on=order.placed_on, added_by=actor.staff_id,
                               added_at=deps.clock.now())

    async def work(uow: TicketsUnitOfWork) -> None:
        changed = (await uow.customers.get(customer_id)).with_order(reference)
        if changed is not None:
            await uow.customers.save(changed)

    await deps.transaction(work)
    return await view_customer(deps, actor, customer_id)


async def may_see_customer(deps: Deps, actor: Actor, customer_id: str) -> bool:
    """T15: supervisors, and the assignee of one of the customer's open tickets."""
    if actor.role in SUPERVISORS:
        return True
    return await deps.reads.ticket_queries.has_open_ticket(customer_id, actor.staff_id)


async def view_customer(deps: Deps, actor: Actor, customer_id: str) -> dict[str, Any]:
    """The profile in full or masked, as this viewer may see it (T15)."""
    customer = await deps.reads.customers.get(customer_id)
    return profile_view(customer, masked=not await may_see_customer(deps, actor, customer_id))


def profile_view(customer: Customer, *, masked: bool) -> dict[str, Any]:
    """The profile as the API shows it, masked (T15) when the viewer may not see it in full."""
    shown = customer.masked() if masked else customer
    return {"_id": shown.id, "name": shown.name, "phone": shown.phone, "email": shown.email,
            "address": shown.address, "platform_ids": list(shown.platform_ids),
            "tier": shown.tier, "masked": masked,
            "orders": [{"order_id": o.order_id, "platform": o.platform,
                        "placed_on": o.placed_on} for o in shown.orders]}
