"""The follow-up delays (T13 next-action times, L8 and L12 delivery follow-up): policy the
manager edits at run time, like the ship-date promise (L13)."""

from __future__ import annotations

import structlog

from logistics.application.context import Actor
from logistics.application.deps import Deps
from logistics.domain.follow_up import FollowUpPolicy

log = structlog.get_logger(__name__)


async def follow_up_policy(deps: Deps) -> FollowUpPolicy:
    return await deps.reads.policies.follow_up_policy()


async def set_follow_up_policy(deps: Deps, actor: Actor,
                               policy: FollowUpPolicy) -> FollowUpPolicy:
    """Takes effect for the next move of any case, on every replica; next-action times
    already set stay until the case moves again."""
    at = deps.clock.now()
    await deps.transaction(lambda uow: uow.policies.save_follow_up_policy(
        policy, actor.staff_id, at))
    log.info("policy.follow_up_changed", by=actor.staff_id)
    return policy
