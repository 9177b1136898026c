"""Receipt schemas: the warehouse staff's entry (the event's own fields) and the reads."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from logistics.api.schemas.common import In, Note, Ref, Sku
from logistics.domain import privacy
from logistics.domain.receipts import ParcelTask, Receipt, RecordedReceipt
from ops_shared.web import Moment, StaffTime


class InspectedItemIn(In):
    sku: Sku
    quantity: int = Field(ge=1, le=1000)
    intact: bool
    box_complete: bool
    resellable: bool
    note: str = Field("", max_length=500)


class ReceiptCreate(In):
    """The same fields as `warehouse.receipt.recorded`, keyed by the same `receipt_id`."""

    receipt_id: Ref
    received_at: Moment
    tracking_number: str | None = Field(None, max_length=100)
    courier: str | None = Field(None, max_length=50)
    rma_number: str | None = Field(None, max_length=100)
    customer_ref: str | None = Field(None, max_length=100)
    service_card: bool = False
    items: list[InspectedItemIn] = Field(min_length=1, max_length=50)
    inspector: Ref
    signed_by: str | None = Field(None, max_length=100)


class ReceiptRead(BaseModel):
    receipt_id: str
    received_at: StaffTime
    recorded_at: datetime
    recorded_by: str
    tracking_number: str | None
    courier: str | None
    rma_number: str | None
    customer_ref: str | None
    signed_by: str | None
    inspector: str
    items: list[dict]
    matched_kind: str | None
    matched_number: str | None
    matched_by: str | None
    task_id: str | None
    notes: list[str]

    @classmethod
    def of(cls, recorded: RecordedReceipt, role: str) -> ReceiptRead:
        r, m = recorded.receipt, recorded.matched
        return cls(receipt_id=r.receipt_id, received_at=r.received_at,
                   recorded_at=recorded.recorded_at, recorded_by=r.recorded_by,
                   tracking_number=r.tracking_number, courier=r.courier,
                   rma_number=r.rma_number, customer_ref=_ref(r, role), signed_by=r.signed_by,
                   inspector=r.inspector, items=[i.__dict__ for i in r.items],
                   matched_kind=m.kind.value if m else None, matched_number=m.number if m else None,
                   matched_by=m.by.value if m else None, task_id=recorded.task_id,
                   notes=list(recorded.notes))


class ParcelTaskRead(BaseModel):
    task_id: str
    state: str
    receipt_id: str
    received_at: StaffTime
    tracking_number: str | None
    courier: str | None
    customer_ref: str | None
    notes: list[str]
    created_at: StaffTime
    resolved_to: str | None
    resolved_by: str | None
    resolved_at: StaffTime | None
    note: str

    @classmethod
    def of(cls, task: ParcelTask, role: str) -> ParcelTaskRead:
        r = task.receipt
        return cls(task_id=task.task_id, state=task.state.value, receipt_id=r.receipt_id,
                   received_at=r.received_at, tracking_number=r.tracking_number,
                   courier=r.courier, customer_ref=_ref(r, role), notes=list(task.notes),
                   created_at=task.created_at, resolved_to=task.resolved_to,
                   resolved_by=task.resolved_by, resolved_at=task.resolved_at, note=task.note)


class TaskResolutionIn(In):
    number: str = Field(pattern=r"^(RMA|RC)-\d{8}-\d{4,}$",
                        description="The RMA or recall the parcel belongs to.")
    note: Note = ""


def _ref(receipt: Receipt, role: str) -> str | None:
    ref = receipt.customer_ref
    return ref if ref is None or privacy.sees_contact(role) else privacy.mask_ref(ref)
