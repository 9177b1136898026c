"""Domain events → the published contracts (ops_shared.contracts.tickets).

Only what other services listen to leaves the service; the rest stays on the timeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ops_shared.contracts import Event as Contract
from ops_shared.contracts import tickets as contract
from ops_shared.persistence import UnitOfWork
from tickets.domain import events as ev


def _opened(e: ev.TicketOpened) -> Contract:
    return contract.TicketOpened(ticket_number=e.ticket_number, kind=e.kind, channel=e.channel,
                                 priority=e.priority, assignee_id=e.assignee_id, opened_at=e.at)


def _breached(e: ev.SlaBreached) -> Contract:
    return contract.SlaBreached(ticket_number=e.ticket_number, metric=e.metric, policy=e.policy,
                                due_at=e.due_at, breached_at=e.breached_at,
                                responsible_id=e.responsible_id)


def _warned(e: ev.SlaWarned) -> Contract:
    return contract.SlaWarned(ticket_number=e.ticket_number, metric=e.metric, policy=e.policy,
                              due_at=e.due_at, warned_at=e.at, responsible_id=e.responsible_id)


def _verified(e: ev.ComplaintVerified) -> Contract:
    return contract.ComplaintVerified(ticket_number=e.ticket_number, staff_id=e.staff_id,
                                      verified_by=e.verified_by, note=e.note, verified_at=e.at)


def _adopted(e: ev.SuggestionAdopted) -> Contract:
    return contract.SuggestionAdopted(ticket_number=e.ticket_number,
                                      author_staff_id=e.author_staff_id, points=e.points,
                                      adopted_by=e.adopted_by, adopted_at=e.at)


def _callback(e: ev.CallbackRecorded) -> Contract | None:
    if not e.confirmed:
        return None  # T4: only a confirmed callback completes
    return contract.CallbackCompleted(ticket_number=e.ticket_number, agent_id=e.agent_id,
                                      satisfaction=e.satisfaction, completed_at=e.at)


def _return(e: ev.ReturnRequested) -> Contract:
    return contract.ReturnRequested(
        ticket_number=e.ticket_number, kind=e.kind, order_id=e.order_id,  # type: ignore[arg-type]
        customer_id=e.customer_id, reason=e.reason, quality_claim=e.quality_claim,
        items=[contract.ReturnItem(sku=i.sku, quantity=i.quantity, unit_paid_fen=i.unit_paid_fen)
               for i in e.items],
        wanted_replacement=e.wanted_replacement, requested_by=e.requested_by,
        requested_at=e.at)


MAPPERS: dict[type[ev.Event], Callable] = {
    ev.TicketOpened: _opened,
    ev.SlaBreached: _breached,
    ev.SlaWarned: _warned,
    ev.ComplaintVerified: _verified,
    ev.SuggestionAdopted: _adopted,
    ev.CallbackRecorded: _callback,
    ev.ReturnRequested: _return,
}


def to_contract(event: ev.Event) -> Contract | None:
    """The contract to publish for a domain event, or None if it stays inside."""
    mapper = MAPPERS.get(type(event))
    return mapper(event) if mapper else None


def publish(uow: UnitOfWork, events: Iterable[ev.Event]) -> None:
    """Write the outbox rows of `events` in the unit of work's transaction."""
    for event in events:
        message = to_contract(event)
        if message is not None:
            uow.publish(message)
