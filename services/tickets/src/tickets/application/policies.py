"""Policies a manager edits at run time: SLA targets, assignment, customer tiers, categories."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from tickets.application.context import Actor
from tickets.application.deps import Deps
from tickets.domain.defaults import check_sla_policy_deletable, check_tier_deletable
from tickets.domain.errors import Conflict
from tickets.domain.ports import OpenDays, TicketsUnitOfWork, TimeRange
from tickets.domain.sla import SlaPolicy, check_policy
from tickets.domain.staffed_hours import StaffedHours


async def seed_defaults(deps: Deps) -> None:
    """At start: the default SLA policies, tiers and suggestion categories, once per database."""
    async def work(uow: TicketsUnitOfWork) -> None:
        if await uow.policies.claim_seed("sla_policies"):
            await uow.policies.seed_sla_policies()
        if await uow.policies.claim_seed("staffed_hours"):
            await uow.policies.seed_staffed_hours()
        if await uow.policies.claim_seed("tiers"):
            await uow.tiers.seed()
        if await uow.policies.claim_seed("suggestion_categories"):
            await uow.categories.seed()

    with contextlib.suppress(Conflict):  # another replica seeded at the same moment
        await deps.transaction(work)


async def list_sla_policies(deps: Deps) -> tuple[SlaPolicy, ...]:
    return await deps.reads.policies.sla_policies()


async def get_sla_policy(deps: Deps, name: str) -> SlaPolicy:
    return await deps.reads.policies.sla_policy(name)


async def put_sla_policy(deps: Deps, actor: Actor, policy: SlaPolicy) -> SlaPolicy:
    """T2-T6: add or change a policy; new clocks use it, running targets keep their due time."""
    checked = check_policy(policy)

    async def work(uow: TicketsUnitOfWork) -> SlaPolicy:
        await uow.policies.put_sla_policy(checked, actor.staff_id)
        return await uow.policies.sla_policy(policy.name)

    return await deps.transaction(work)


async def delete_sla_policy(deps: Deps, name: str) -> None:
    """Policies a manager added; a default one is only changed (Conflict)."""
    check_sla_policy_deletable(name)
    await deps.transaction(lambda uow: uow.policies.delete_sla_policy(name))


async def get_staffed_hours(deps: Deps) -> StaffedHours:
    return await deps.reads.policies.staffed_hours()


async def put_staffed_hours(deps: Deps, actor: Actor, periods: Sequence[TimeRange],
                            open_days: OpenDays) -> StaffedHours:
    """T2: new staffed hours; first-response clocks started from now on count them."""
    hours = StaffedHours(periods=tuple(periods), open_days=open_days, updated_by=actor.staff_id,
                         updated_at=deps.clock.now())
    await deps.transaction(lambda uow: uow.policies.put_staffed_hours(hours))
    return hours


async def get_assignment_policy(deps: Deps) -> dict[str, Any]:
    return await deps.reads.policies.assignment()


async def put_assignment_policy(deps: Deps, actor: Actor, strategy: str) -> dict[str, Any]:
    fields = {"strategy": strategy, "updated_by": actor.staff_id, "updated_at": deps.clock.now()}
    return await deps.transaction(lambda uow: uow.policies.put_assignment(fields))


async def list_tiers(deps: Deps) -> list[dict[str, Any]]:
    return await deps.reads.tiers.all()


async def put_tier(deps: Deps, actor: Actor, name: str, description: str,
                   boost_priority: bool) -> dict[str, Any]:
    """T9: a tier of the customer-classification standard; boosted tiers raise priority."""
    fields = {"description": description, "boost_priority": boost_priority,
              "updated_by": actor.staff_id, "updated_at": deps.clock.now()}
    return await deps.transaction(lambda uow: uow.tiers.put(name, fields))


async def delete_tier(deps: Deps, name: str) -> None:
    """Tiers other than `new`, which every new customer takes (Conflict)."""
    check_tier_deletable(name)
    await deps.transaction(lambda uow: uow.tiers.delete(name))


async def list_suggestion_categories(deps: Deps) -> list[dict[str, Any]]:
    return await deps.reads.categories.all()


async def put_suggestion_category(deps: Deps, actor: Actor, name: str,
                                  description: str) -> dict[str, Any]:
    """T11: add or describe a suggestion category (data, not code)."""
    fields = {"description": description, "updated_by": actor.staff_id,
              "updated_at": deps.clock.now()}
    return await deps.transaction(lambda uow: uow.categories.put(name, fields))


async def delete_suggestion_category(deps: Deps, name: str) -> None:
    """T11: new suggestions can no longer take it; tickets that carry it keep it."""
    await deps.transaction(lambda uow: uow.categories.delete(name))
