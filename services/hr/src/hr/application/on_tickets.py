"""What tickets tells hr: verified complaints (H17, -3 points), adopted suggestions (H18,
+3..+20 points), and the facts behind the per-person figures (SLA breaches, tickets opened,
callback satisfaction). Each runs in the consumer's transaction after the inbox row; the
ledger's unique sources make a replay add nothing even past the inbox."""

from __future__ import annotations

import uuid

from hr.application.deps import Deps
from hr.application.ledger import record_in
from hr.domain.ledger import LedgerEntry
from hr.domain.ports import HrUnitOfWork
from hr.domain.roster import month_of
from ops_shared.contracts import Envelope
from ops_shared.contracts.tickets import (
    CallbackCompleted,
    ComplaintVerified,
    SlaBreached,
    SuggestionAdopted,
    TicketOpened,
)


async def complaint_verified(deps: Deps, uow: HrUnitOfWork, event: ComplaintVerified,
                             envelope: Envelope) -> None:
    """H17: a verified complaint costs the staff member 3 points (policy)."""
    policy = await uow.policies.get()
    await record_in(uow, LedgerEntry(
        uuid.uuid4().hex, event.staff_id, month_of(event.verified_at.astimezone(deps.tz)),
        "points", policy.complaint_points, "H17", f"event:{envelope.id}", event.verified_by,
        event.verified_at, f"complaint verified on {event.ticket_number}"))


async def suggestion_adopted(deps: Deps, uow: HrUnitOfWork, event: SuggestionAdopted,
                             envelope: Envelope) -> None:
    """H18: an adopted suggestion earns the points management decided (3 to 20)."""
    await record_in(uow, LedgerEntry(
        uuid.uuid4().hex, event.author_staff_id,
        month_of(event.adopted_at.astimezone(deps.tz)), "points", event.points, "H18",
        f"event:{envelope.id}", event.adopted_by, event.adopted_at,
        f"suggestion adopted on {event.ticket_number}"))


async def sla_breached(deps: Deps, uow: HrUnitOfWork, event: SlaBreached,
                       envelope: Envelope) -> None:
    if event.responsible_id:
        await uow.facts.add(envelope.id, event.responsible_id,
                            month_of(event.breached_at.astimezone(deps.tz)), "sla_breach", 1)


async def ticket_opened(deps: Deps, uow: HrUnitOfWork, event: TicketOpened,
                        envelope: Envelope) -> None:
    if event.assignee_id:
        await uow.facts.add(envelope.id, event.assignee_id,
                            month_of(event.opened_at.astimezone(deps.tz)), "ticket", 1)


async def callback_completed(deps: Deps, uow: HrUnitOfWork, event: CallbackCompleted,
                             envelope: Envelope) -> None:
    if event.agent_id:
        await uow.facts.add(envelope.id, event.agent_id,
                            month_of(event.completed_at.astimezone(deps.tz)), "callback",
                            event.satisfaction)
