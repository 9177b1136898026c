"""H13 use case: the IM integration account reports a presence change."""

from __future__ import annotations

import uuid
from datetime import datetime

from hr.application.deps import Deps
from hr.domain.errors import NotAllowed
from hr.domain.ports import HrUnitOfWork
from hr.domain.presence import PresenceChange, Status
from hr.domain.staff import Actor

INTEGRATIONS = frozenset({"ops_admin", "hr_admin"})


async def report(deps: Deps, actor: Actor, staff_id: str, status: Status,
                 at: datetime | None) -> PresenceChange:
    if actor.role not in INTEGRATIONS:
        raise NotAllowed("presence comes from the IM integration account")
    change = PresenceChange(uuid.uuid4().hex, staff_id, status, at or deps.clock.now(),
                            actor.staff_id)

    async def work(uow: HrUnitOfWork) -> None:
        await uow.staff.get(staff_id)
        await uow.presence.add(change)

    await deps.transaction(work)
    return change
