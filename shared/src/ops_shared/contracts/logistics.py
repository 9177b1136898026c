"""Events published by the logistics service (contracts fixed now; logistics adopts them)."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from ops_shared.contracts.bounds import Id, Name, Text
from ops_shared.contracts.envelope import Event


class RmaOpened(Event):
    """A return or exchange was opened (L1)."""

    event_type = "logistics.rma.opened"
    producer = "logistics"

    rma_number: Id
    kind: Literal["return", "exchange"]
    order_id: Id
    ticket_number: Id | None = None
    customer_id: Id | None = None
    owner_id: Id | None = None
    quality_claim: bool = False


class RmaStatusChanged(Event):
    """An RMA moved to another state (L14); disputes carry a next-action time (T13)."""

    event_type = "logistics.rma.status_changed"
    producer = "logistics"

    rma_number: Id
    order_id: Id
    ticket_number: Id | None = None
    from_status: Name
    to_status: Name
    owner_id: Id | None = None
    refund_in_progress: bool = False
    dispute: bool = False
    next_action_at: AwareDatetime | None = None
    note: Text = ""


class RefundIssued(Event):
    """A refund was issued, exactly once per RMA (L7)."""

    event_type = "logistics.refund.issued"
    producer = "logistics"

    refund_id: Id
    rma_number: Id
    order_id: Id
    ticket_number: Id | None = None
    amount_fen: int = Field(ge=0)
    postage_fen: int = Field(0, ge=0)
    issued_at: AwareDatetime
    issued_by: Id | None = None


class ExchangeShipped(Event):
    """The replacement of an exchange left the warehouse (L8)."""

    event_type = "logistics.exchange.shipped"
    producer = "logistics"

    rma_number: Id
    order_id: Id
    ticket_number: Id | None = None
    tracking_number: Id
    courier: Name | None = None
    shipped_at: AwareDatetime


class ParcelUnidentified(Event):
    """A received parcel matched no RMA or recall: after-sales must contact the customer (L6)."""

    event_type = "logistics.parcel.unidentified"
    producer = "logistics"

    task_id: Id
    receipt_id: Id
    tracking_number: Id | None = None
    courier: Name | None = None
    customer_ref: Name | None = None
    received_at: AwareDatetime


class ParcelIdentified(Event):
    """After-sales named the RMA or recall an unidentified parcel belongs to (L6); its receipt
    was applied to it. The after-sales ticket opened for the parcel records the outcome."""

    event_type = "logistics.parcel.identified"
    producer = "logistics"

    task_id: Id
    receipt_id: Id
    resolved_to: Id
    resolved_by: Id
    note: Text = ""
    resolved_at: AwareDatetime


class CaseUpdated(Event):
    """A recall, a problem or forwarded parcel or a re-shipment opened, changed or closed
    (L12). Each open case has an owner and a next-action time, for the supervisor's daily review
    (T13); `open=False` takes it off. RMAs carry the same on `logistics.rma.status_changed`.
    `case_type` "rma" is reserved for a consumer that wants every case in one stream."""

    event_type = "logistics.case.updated"
    producer = "logistics"

    case_type: Literal["rma", "recall", "problem_parcel", "reshipment"]
    case_id: Id
    order_id: Id
    status: Name
    open: bool
    owner_id: Id | None = None
    next_action_at: AwareDatetime | None = None
    refund_in_progress: bool = False
    dispute: bool = False
    ticket_number: Id | None = None
    note: Text = ""
    updated_at: AwareDatetime


CONTRACTS: tuple[type[Event], ...] = (
    RmaOpened,
    RmaStatusChanged,
    RefundIssued,
    ExchangeShipped,
    ParcelUnidentified,
    ParcelIdentified,
    CaseUpdated,
)
"""The events of this module, registered by `ops_shared.contracts`."""
