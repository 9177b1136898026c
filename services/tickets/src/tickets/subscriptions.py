"""Contract → handler: the whole list of what the tickets service listens to."""

from __future__ import annotations

from ops_shared.contracts import hr, logistics
from ops_shared.messaging import Subscriptions
from tickets.application import on_hr, on_logistics
from tickets.application.deps import Deps
from tickets.domain.ports import TicketsUnitOfWork

SUBSCRIPTIONS: Subscriptions[Deps, TicketsUnitOfWork] = {
    hr.StaffChanged: on_hr.staff_changed,
    hr.RosterPublished: on_hr.roster_published,
    hr.ShiftChanged: on_hr.shift_changed,
    logistics.RmaOpened: on_logistics.rma_opened,
    logistics.RmaStatusChanged: on_logistics.rma_status_changed,
    logistics.RefundIssued: on_logistics.refund_issued,
    logistics.ExchangeShipped: on_logistics.exchange_shipped,
    logistics.ParcelUnidentified: on_logistics.parcel_unidentified,
    logistics.ParcelIdentified: on_logistics.parcel_identified,
    logistics.CaseUpdated: on_logistics.case_updated,
}
