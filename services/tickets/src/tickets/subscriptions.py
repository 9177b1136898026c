"""Contract → handler: the whole list of what the tickets service listens to.

Transitional: the handlers still live in the application modules' `handlers(runtime)` tables
and are adapted here; they move to `application/on_hr.py` and `application/on_logistics.py`.
"""

from __future__ import annotations

from typing import Any

from ops_shared.contracts import Envelope, Event, hr, logistics
from ops_shared.messaging import Subscriptions
from tickets.application import review, staffing, ticket_links
from tickets.application.deps import Deps
from tickets.storage.unit_of_work import MongoTicketsUnitOfWork

_MODULES = (staffing, ticket_links, review)


def _legacy(contract: type[Event]) -> Any:
    async def handle(deps: Deps, uow: MongoTicketsUnitOfWork, event: Event,
                     envelope: Envelope) -> None:
        for module in _MODULES:
            handler = module.handlers(deps.runtime).get(contract.event_type)
            if handler is not None:
                await handler(event, envelope, uow.base)

    return handle


SUBSCRIPTIONS: Subscriptions[Deps, MongoTicketsUnitOfWork] = {
    hr.StaffChanged: _legacy(hr.StaffChanged),
    hr.RosterPublished: _legacy(hr.RosterPublished),
    hr.ShiftChanged: _legacy(hr.ShiftChanged),
    logistics.RmaOpened: _legacy(logistics.RmaOpened),
    logistics.RmaStatusChanged: _legacy(logistics.RmaStatusChanged),
    logistics.RefundIssued: _legacy(logistics.RefundIssued),
    logistics.ExchangeShipped: _legacy(logistics.ExchangeShipped),
    logistics.ParcelUnidentified: _legacy(logistics.ParcelUnidentified),
}
