"""Recall and void schemas (L10, L11)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from pydantic import BaseModel, Field

from logistics.api.schemas.common import Fen, In, Note, Ref, Text
from logistics.domain.recall import Recall, Void
from ops_shared.web import Day, StaffDetails, StaffTime


class CancellationCreate(In):
    """An order cancelled after payment: voided if not printed, else recalled (L11)."""

    printed: bool = Field(description="Whether the shipping order was printed (or shipped).")
    paid_fen: Fen
    reason: Text
    tracking_number: str | None = Field(None, min_length=1, max_length=100)
    courier: str | None = Field(None, max_length=50)
    ticket_number: str | None = Field(None, pattern=r"^TK-\d{8}-\d{4,}$")
    owner_id: Ref | None = None


class CourierAnswerIn(In):
    accepted: bool
    note: Note = ""


class SlipIn(In):
    slip_number: Ref
    courier_signed_by: Text


class ParcelReceivedIn(In):
    signed_by: Text = Field(description="Name of the order-desk member who signs.")
    on: Day


class FailureIn(In):
    reason: Text


class VoidRead(BaseModel):
    order_id: str
    reason: str
    voided_by: str
    voided_at: StaffTime
    ticket_number: str | None


class RecallRead(BaseModel):
    number: str
    state: str
    allowed_next: list[str]
    order_id: str
    tracking_number: str
    courier: str | None
    paid_fen: int
    owner_id: str
    opened_by: str
    opened_at: StaffTime
    reason: str
    ticket_number: str | None
    slip: StaffDetails | None
    received: dict | None
    refund_id: str | None
    next_action_at: StaffTime | None

    @classmethod
    def of(cls, recall: Recall) -> RecallRead:
        return cls(number=recall.number, state=recall.state.value,
                   allowed_next=recall.allowed_next(), order_id=recall.order_id,
                   tracking_number=recall.tracking_number, courier=recall.courier,
                   paid_fen=recall.paid_fen, owner_id=recall.owner_id,
                   opened_by=recall.opened_by, opened_at=recall.opened_at, reason=recall.reason,
                   ticket_number=recall.ticket_number,
                   slip=asdict(recall.slip) if recall.slip else None,
                   received=asdict(recall.received) if recall.received else None,
                   refund_id=recall.refund_id, next_action_at=recall.next_action_at)


class CancellationRead(BaseModel):
    outcome: Literal["voided", "recall"]
    void: VoidRead | None = None
    recall: RecallRead | None = None

    @classmethod
    def of(cls, result: Void | Recall) -> CancellationRead:
        if isinstance(result, Void):
            return cls(outcome="voided", void=VoidRead(**asdict(result)))
        return cls(outcome="recall", recall=RecallRead.of(result))
