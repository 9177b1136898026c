"""The hr policies (H2, H4, H6, H11-H16, H20-H22): read by anyone, changed by the manager."""

from __future__ import annotations

from typing import Any

import structlog

from hr.application.deps import Deps
from hr.domain.errors import NotAllowed
from hr.domain.policy import HrPolicy
from hr.domain.ports import HrUnitOfWork
from hr.domain.staff import Actor

log = structlog.get_logger(__name__)


async def current(deps: Deps) -> HrPolicy:
    return await deps.reads.policies.get()


async def change(deps: Deps, actor: Actor, fields: dict[str, Any]) -> HrPolicy:
    if actor.role != "manager":
        raise NotAllowed("only the manager changes hr policy")

    async def work(uow: HrUnitOfWork) -> HrPolicy:
        changed = (await uow.policies.get()).changed(**fields)
        await uow.policies.save(changed)
        return changed

    changed = await deps.transaction(work)
    log.info("policy.changed", fields=sorted(fields), version=changed.version,
             by=actor.staff_id)
    return changed
