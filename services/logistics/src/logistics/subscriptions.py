"""Contract → handler: the whole list of what the logistics service listens to."""

from __future__ import annotations

from logistics.application import on_tickets, on_warehouse
from logistics.application.deps import Deps
from logistics.domain.ports import LogisticsUnitOfWork
from ops_shared.contracts import tickets, warehouse
from ops_shared.messaging import Subscriptions

SUBSCRIPTIONS: Subscriptions[Deps, LogisticsUnitOfWork] = {
    tickets.ReturnRequested: on_tickets.return_requested,
    warehouse.ReceiptRecorded: on_warehouse.receipt_recorded,
}
