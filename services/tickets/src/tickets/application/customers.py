"""Customer profiles (T9) and what each viewer may see of them (T15)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ops_shared.persistence import MongoUnitOfWork
from ops_shared.service import Runtime
from tickets.application.context import Actor, now
from tickets.domain.errors import NotAllowed, NotFound, ValidationFailed
from tickets.domain.model import SUPERVISORS
from tickets.domain.privacy import customer_view
from tickets.storage.customers import CustomerStore, TierStore
from tickets.storage.tickets import TicketQueries

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


async def _require_tier(tiers: TierStore, tier: str, field: str = "tier") -> None:
    try:
        await tiers.get(tier)
    except NotFound:
        raise ValidationFailed(f"unknown customer tier {tier!r}", field=field) from None


async def resolve_customer(uow: MongoUnitOfWork, actor: Actor, customer_id: str | None,
                           profile: NewCustomer | None, at: Any) -> dict[str, Any]:
    """T1: the ticket's customer: an existing profile, a known platform id, or a new profile."""
    store = CustomerStore(uow.db, uow.session)
    if customer_id is not None:
        found = await store.find(customer_id)
        if found is None:
            raise ValidationFailed(f"customer {customer_id} does not exist", field="customer_id")
        return found
    assert profile is not None
    for platform_id in profile.platform_ids:
        if (known := await store.by_platform_id(platform_id)) is not None:
            return known
    await _require_tier(TierStore(uow.db, uow.session), profile.tier, "customer.tier")
    doc = customer_doc(profile, actor.staff_id, at)
    await store.add(doc)
    return doc


async def create_customer(runtime: Runtime, actor: Actor, profile: NewCustomer) -> dict:
    """T9: open a customer profile."""
    async def work(uow: MongoUnitOfWork) -> dict:
        await _require_tier(TierStore(uow.db, uow.session), profile.tier)
        doc = customer_doc(profile, actor.staff_id, now(runtime))
        await CustomerStore(uow.db, uow.session).add(doc)
        return doc

    created = await runtime.database.transaction(work)
    return await view_customer(runtime, actor, created["_id"])


async def update_customer(runtime: Runtime, actor: Actor, customer_id: str,
                          changes: dict[str, Any]) -> dict:
    """Change contact details; only a supervisor or manager changes the tier (T9)."""
    if "tier" in changes:
        if actor.role not in SUPERVISORS:
            raise NotAllowed("only a supervisor or manager changes a customer's tier (T9)")
        await _require_tier(TierStore(runtime.database.db), changes["tier"])
    changes = {**changes, "updated_at": now(runtime), "updated_by": actor.staff_id}
    await CustomerStore(runtime.database.db).update(customer_id, changes)
    return await view_customer(runtime, actor, customer_id)


@dataclass(frozen=True)
class OrderRef:
    order_id: str
    platform: str | None = None
    placed_on: date | None = None


async def add_order_reference(runtime: Runtime, actor: Actor, customer_id: str,
                              order: OrderRef) -> dict:
    """T9: remember an order of the customer (a reference, not the order itself)."""
    await CustomerStore(runtime.database.db).add_order(customer_id, {
        "order_id": order.order_id, "platform": order.platform,
        "placed_on": order.placed_on.isoformat() if order.placed_on else None,
        "added_by": actor.staff_id, "added_at": now(runtime)})
    return await view_customer(runtime, actor, customer_id)


async def may_see_customer(runtime: Runtime, actor: Actor, customer_id: str) -> bool:
    """T15: supervisors, and the assignee of one of the customer's open tickets."""
    if actor.role in SUPERVISORS:
        return True
    return await TicketQueries(runtime.database.db).has_open_ticket(customer_id, actor.staff_id)


async def view_customer(runtime: Runtime, actor: Actor, customer_id: str) -> dict:
    """The profile in full or masked, as this viewer may see it (T15)."""
    doc = await CustomerStore(runtime.database.db).get(customer_id)
    allowed = await may_see_customer(runtime, actor, customer_id)
    shown = customer_view(doc, actor.staff_id, actor.role, actor.staff_id if allowed else None)
    return {**shown, "masked": not allowed}
