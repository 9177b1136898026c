"""T7: escalation (supervisor → manager), transfer to a department, reassignment.

Each handover names a reason, a new owner and a deadline, and tells the customer the process
and the expected time: the notice is stored on the timeline and returned to the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tickets.application.context import Actor, change_ticket
from tickets.application.deps import Deps
from tickets.domain.handover import EscalationLevel, customer_notice
from tickets.domain.ticket import Ticket

_PROCESS = {"supervisor": "升级至客服主管处理", "manager": "升级至客服部长处理"}


@dataclass(frozen=True)
class Handover:
    reason: str
    deadline: datetime
    customer_notice: str | None = None


def _notice(deps: Deps, handover: Handover, process: str) -> str:
    return handover.customer_notice or customer_notice(
        process, handover.deadline, deps.calendar.tz)


async def escalate(deps: Deps, actor: Actor, number: str, to_level: EscalationLevel,
                   to_staff_id: str, handover: Handover) -> tuple[Ticket, str]:
    """T7: escalate to the next level with reason, new owner, deadline and customer notice."""
    notice = _notice(deps, handover, _PROCESS.get(to_level, "升级处理"))
    ticket = await change_ticket(deps, number, lambda t, clock, at: t.escalate(
        actor.staff_id, at, to_staff_id, to_level, handover.reason, handover.deadline, notice))
    return ticket, notice


async def transfer(deps: Deps, actor: Actor, number: str, department: str,
                   owner_id: str, handover: Handover) -> tuple[Ticket, str]:
    """T7: hand the ticket to a responsible department."""
    notice = _notice(deps, handover, f"转交{department.strip()}处理")
    ticket = await change_ticket(deps, number, lambda t, clock, at: t.transfer(
        actor.staff_id, at, department, owner_id, handover.reason, handover.deadline, notice))
    return ticket, notice


async def reassign(deps: Deps, actor: Actor, number: str, to_staff_id: str,
                   reason: str) -> Ticket:
    """Give the ticket to another agent; its open SLA targets follow the new owner."""
    return await change_ticket(deps, number, lambda t, clock, at: t.reassign(
        actor.staff_id, at, to_staff_id, reason))
