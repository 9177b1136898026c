"""T7: escalation (supervisor → manager), transfer to a department, reassignment.

Each handover names a reason, a new owner and a deadline, and tells the customer the process
and the expected time: the notice is stored on the timeline and returned to the caller. The new
owner is checked against the staff directory and their role (T15: the holder of a ticket sees
its customer's personal data).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tickets.application.context import Actor, hand_over
from tickets.application.deps import Deps
from tickets.domain.handover import (
    EscalationLevel,
    customer_notice,
    escalation_owner,
    reassignment_owner,
    transfer_owner,
)
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
    ticket = await hand_over(deps, number, to_staff_id, lambda t, member, at: t.escalate(
        actor.staff_id, at, escalation_owner(to_level, member, to_staff_id, actor.staff_id),
        to_level, handover.reason, handover.deadline, notice))
    return ticket, notice


async def transfer(deps: Deps, actor: Actor, number: str, department: str,
                   owner_id: str, handover: Handover) -> tuple[Ticket, str]:
    """T7: hand the ticket to a responsible department."""
    notice = _notice(deps, handover, f"转交{department.strip()}处理")
    ticket = await hand_over(deps, number, owner_id, lambda t, member, at: t.transfer(
        actor.staff_id, at, department,
        transfer_owner(member, owner_id, actor.staff_id, actor.role, t.assignee_id),
        handover.reason, handover.deadline, notice))
    return ticket, notice


async def reassign(deps: Deps, actor: Actor, number: str, to_staff_id: str,
                   reason: str) -> Ticket:
    """Give the ticket to another agent; its open SLA targets follow the new owner."""
    return await hand_over(deps, number, to_staff_id, lambda t, member, at: t.reassign(
        actor.staff_id, at, reassignment_owner(member, to_staff_id), reason))
