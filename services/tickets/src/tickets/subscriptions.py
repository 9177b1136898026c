"""Event type → handler: the whole list of what the tickets service listens to.

Each application module offers `handlers(runtime)`; where two modules react to the same event
(a refund both updates the ticket and feeds the daily review) their handlers run in order,
in the same transaction, so the event is applied once, wholly or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping

from ops_shared.consumer import Handler
from ops_shared.events import Envelope, Event
from ops_shared.service import Runtime
from ops_shared.storage import UnitOfWork
from tickets.application import review, staffing, ticket_links

SUBSCRIBERS = (staffing, ticket_links, review)


def subscriptions(runtime: Runtime) -> Mapping[str, Handler]:
    table: dict[str, list[Handler]] = {}
    for module in SUBSCRIBERS:
        for event_type, handler in module.handlers(runtime).items():
            table.setdefault(event_type, []).append(handler)
    return {event_type: _in_order(handlers) for event_type, handlers in table.items()}


def _in_order(handlers: list[Handler]) -> Handler:
    if len(handlers) == 1:
        return handlers[0]

    async def run_all(event: Event, envelope: Envelope, uow: UnitOfWork) -> None:
        for handler in handlers:
            await handler(event, envelope, uow)

    return run_all
