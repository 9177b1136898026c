"""Events published by the warehouse system (external producer, EVENTS.md)."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ops_shared.contracts.bounds import MAX_ITEMS, Id, Name, Text
from ops_shared.contracts.envelope import Event


class ReceiptItem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    sku: str = Field(min_length=1, max_length=100)
    quantity: int = Field(ge=1)
    intact: bool
    box_complete: bool
    resellable: bool
    note: Text = ""


class ReceiptRecorded(Event):
    """A returned parcel was received and inspected (L4, L6)."""

    event_type = "warehouse.receipt.recorded"
    producer = "warehouse"

    receipt_id: str = Field(min_length=1, max_length=100)
    received_at: AwareDatetime
    tracking_number: Id | None = None
    courier: Name | None = None
    rma_number: Id | None = None
    customer_ref: Name | None = None
    service_card: bool = False
    items: list[ReceiptItem] = Field(min_length=1, max_length=MAX_ITEMS)
    inspector: Name
    signed_by: Name | None = None


CONTRACTS: tuple[type[Event], ...] = (
    ReceiptRecorded,
)
"""The events of this module, registered by `ops_shared.contracts`."""
