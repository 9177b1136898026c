"""Contract → handler: the whole list of what the hr service listens to."""

from __future__ import annotations

from hr.application import on_tickets
from hr.application.deps import Deps
from hr.domain.ports import HrUnitOfWork
from ops_shared.contracts import tickets
from ops_shared.messaging import Subscriptions

SUBSCRIPTIONS: Subscriptions[Deps, HrUnitOfWork] = {
    tickets.ComplaintVerified: on_tickets.complaint_verified,
    tickets.SuggestionAdopted: on_tickets.suggestion_adopted,
    tickets.SlaBreached: on_tickets.sla_breached,
    tickets.TicketOpened: on_tickets.ticket_opened,
    tickets.CallbackCompleted: on_tickets.callback_completed,
}
