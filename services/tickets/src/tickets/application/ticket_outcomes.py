"""Outcomes for other services: returns (L1), verified complaints (T12), suggestions (T11)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from tickets.application.context import Actor, change_ticket
from tickets.application.deps import Deps
from tickets.domain.events import ReturnItem
from tickets.domain.ticket import Ticket


@dataclass(frozen=True)
class ReturnInput:
    kind: Literal["return", "exchange"]
    order_id: str
    items: Sequence[ReturnItem]
    reason: str
    quality_claim: bool = False
    wanted_replacement: str | None = None


async def request_return(deps: Deps, actor: Actor, number: str, data: ReturnInput) -> Ticket:
    """L1: ask logistics to open a return or exchange (publishes tickets.return.requested)."""
    return await change_ticket(deps, number, lambda t, clock, at: t.request_return(
        actor.staff_id, at, data.kind, data.order_id, data.items, data.reason,
        data.quality_claim, data.wanted_replacement))


async def verify_staff_complaint(deps: Deps, actor: Actor, number: str, staff_id: str,
                                 note: str) -> Ticket:
    """T12: a supervisor verifies a service complaint (publishes tickets.complaint.verified)."""
    return await change_ticket(deps, number, lambda t, clock, at: t.verify_staff_complaint(
        actor.staff_id, actor.role, at, staff_id, note))


async def adopt_suggestion(deps: Deps, actor: Actor, number: str, author_staff_id: str,
                           points: int) -> Ticket:
    """T11: the manager adopts a suggestion (publishes tickets.suggestion.adopted)."""
    return await change_ticket(deps, number, lambda t, clock, at: t.adopt_suggestion(
        actor.staff_id, actor.role, at, author_staff_id, points))
