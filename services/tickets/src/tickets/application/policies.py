"""Policies a manager edits at run time: SLA targets, assignment, customer tiers, categories."""

from __future__ import annotations

import contextlib
from typing import Any

from pymongo.errors import DuplicateKeyError

from ops_shared.persistence import MongoUnitOfWork
from ops_shared.service import Runtime
from tickets.application.context import Actor, now
from tickets.domain.sla import SlaPolicy, check_policy
from tickets.storage.categories import CategoryStore
from tickets.storage.customers import TierStore
from tickets.storage.policies import PolicyStore


async def seed_defaults(runtime: Runtime) -> None:
    """At start: the default SLA policies, tiers and suggestion categories, once per database."""
    async def work(uow: MongoUnitOfWork) -> None:
        store = PolicyStore(uow.db, uow.session)
        if await store.claim_seed("sla_policies"):
            await store.seed_sla_policies()
        if await store.claim_seed("tiers"):
            await TierStore(uow.db, uow.session).seed()
        if await store.claim_seed("suggestion_categories"):
            await CategoryStore(uow.db, uow.session).seed()

    with contextlib.suppress(DuplicateKeyError):  # another replica seeded at the same moment
        await runtime.database.transaction(work)


async def list_sla_policies(runtime: Runtime) -> tuple[SlaPolicy, ...]:
    return await PolicyStore(runtime.database.db).sla_policies()


async def get_sla_policy(runtime: Runtime, name: str) -> SlaPolicy:
    return await PolicyStore(runtime.database.db).sla_policy(name)


async def put_sla_policy(runtime: Runtime, actor: Actor, policy: SlaPolicy) -> SlaPolicy:
    """T2-T6: add or change a policy; new clocks use it, running targets keep their due time."""
    store = PolicyStore(runtime.database.db)
    await store.put_sla_policy(check_policy(policy), actor.staff_id)
    return await store.sla_policy(policy.name)


async def delete_sla_policy(runtime: Runtime, name: str) -> None:
    await PolicyStore(runtime.database.db).delete_sla_policy(name)


async def get_assignment_policy(runtime: Runtime) -> dict[str, Any]:
    return await PolicyStore(runtime.database.db).assignment()


async def put_assignment_policy(runtime: Runtime, actor: Actor, strategy: str) -> dict[str, Any]:
    return await PolicyStore(runtime.database.db).put_assignment(
        {"strategy": strategy, "updated_by": actor.staff_id, "updated_at": now(runtime)})


async def list_tiers(runtime: Runtime) -> list[dict[str, Any]]:
    return await TierStore(runtime.database.db).all()


async def put_tier(runtime: Runtime, actor: Actor, name: str, description: str,
                   boost_priority: bool) -> dict[str, Any]:
    """T9: a tier of the customer-classification standard; boosted tiers raise priority."""
    return await TierStore(runtime.database.db).put(
        name, {"description": description, "boost_priority": boost_priority,
               "updated_by": actor.staff_id, "updated_at": now(runtime)})


async def delete_tier(runtime: Runtime, name: str) -> None:
    await TierStore(runtime.database.db).delete(name)


async def list_suggestion_categories(runtime: Runtime) -> list[dict[str, Any]]:
    return await CategoryStore(runtime.database.db).all()


async def put_suggestion_category(runtime: Runtime, actor: Actor, name: str,
                                  description: str) -> dict[str, Any]:
    """T11: add or describe a suggestion category (data, not code)."""
    return await CategoryStore(runtime.database.db).put(
        name, {"description": description, "updated_by": actor.staff_id,
               "updated_at": now(runtime)})


async def delete_suggestion_category(runtime: Runtime, name: str) -> None:
    """T11: new suggestions can no longer take it; tickets that carry it keep it."""
    await CategoryStore(runtime.database.db).delete(name)
