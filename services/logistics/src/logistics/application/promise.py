"""L13: pre-sales asks for a ship date; the manager edits the policy behind it at run time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import structlog

from logistics.application.context import Actor
from logistics.application.deps import Deps
from logistics.domain.promise import Promise, PromisePolicy, SkuAsked, promise

log = structlog.get_logger(__name__)


async def promise_ship_date(deps: Deps, paid_at: datetime, skus: Sequence[SkuAsked]) -> Promise:
    return promise(paid_at, skus, await deps.reads.policies.promise_policy(), deps.calendar)


async def promise_policy(deps: Deps) -> PromisePolicy:
    return await deps.reads.policies.promise_policy()


async def set_promise_policy(deps: Deps, actor: Actor, policy: PromisePolicy) -> PromisePolicy:
    """The manager's edit takes effect for the next question, on every replica."""
    at = deps.clock.now()
    await deps.transaction(lambda uow: uow.policies.save_promise_policy(
        policy, actor.staff_id, at))
    log.info("policy.promise_changed", cutoff=policy.cutoff.isoformat(),
             ships_on_non_working_days=policy.ships_on_non_working_days)
    return policy
