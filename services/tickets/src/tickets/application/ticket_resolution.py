"""Rectification (T3), payment notices (T6), callbacks with confirmation (T4) and closing."""

from __future__ import annotations

from dataclasses import dataclass

from tickets.application.context import Actor, change_ticket
from tickets.application.deps import Deps
from tickets.domain.callbacks import Callback, Confirmation, ConfirmationKind
from tickets.domain.ticket import Ticket


@dataclass(frozen=True)
class CallbackInput:
    question: str
    satisfaction: int
    confirmation_kind: ConfirmationKind | None = None
    confirmation_value: str | None = None


async def rectify(deps: Deps, actor: Actor, number: str, note: str) -> Ticket:
    """T3/T6: the problem is fixed; the callback clock starts (T4)."""
    return await change_ticket(
        deps, number, lambda t, clock, at: t.mark_rectified(actor.staff_id, at, note, clock))


async def send_payment_notice(deps: Deps, actor: Actor, number: str) -> Ticket:
    """T6: the payment notice of a special service went to the customer."""
    return await change_ticket(
        deps, number, lambda t, clock, at: t.record_payment_notice(actor.staff_id, at, clock))


async def record_callback(deps: Deps, actor: Actor, number: str,
                          data: CallbackInput) -> Ticket:
    """T4: a callback; confirmed by the customer it closes the ticket and is published."""
    def action(ticket: Ticket, clock, at):
        confirmation = (Confirmation(data.confirmation_kind, data.confirmation_value or "")
                        if data.confirmation_kind else None)
        callback = Callback(question=data.question, satisfaction=data.satisfaction, at=at,
                            by=actor.staff_id, confirmation=confirmation)
        return ticket.record_callback(callback, clock)

    return await change_ticket(deps, number, action)


async def close(deps: Deps, actor: Actor, number: str) -> Ticket:
    """Close; T4 refuses while a needed callback is unconfirmed."""
    return await change_ticket(deps, number, lambda t, clock, at: t.close(actor.staff_id, at))
