"""Who gets a new ticket: an on-duty agent of the right role, by the stored policy (T1, H2)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import structlog

from tickets.domain.assignment import AgentLoad, choose_assignee
from tickets.domain.model import Role
from tickets.domain.ports import TicketsUnitOfWork

log = structlog.get_logger(__name__)


async def pick_assignee(uow: TicketsUnitOfWork, role: Role, at: datetime, tz: ZoneInfo,
                        turn: str) -> str | None:
    """An on-duty agent by round robin or least load; None (unassigned) when nobody is on duty.

    `turn` (the ticket number) makes a retried opening keep the agent it was given."""
    staff = uow.staff
    local = at.astimezone(tz)
    on_duty = await staff.on_duty(role.value, local.date(), local.timetz())
    if not on_duty:
        log.info("ticket.no_agent_on_duty", role=role.value)
        return None
    strategy = (await uow.policies.assignment())["strategy"]
    if strategy == "least_loaded":
        loads = await staff.open_loads(on_duty)
        candidates = [AgentLoad(sid, loads[sid]) for sid in on_duty]
        return choose_assignee(candidates, "least_loaded")
    agents = [AgentLoad(sid, 0) for sid in on_duty]
    return await staff.take_turn(
        role.value, turn, lambda last: choose_assignee(agents, "round_robin", last), at)
