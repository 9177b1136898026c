"""RMA schemas: Create, the updates staff make, and Read (contact masked by role)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from pydantic import BaseModel, Field

from logistics.api.schemas.common import Fen, In, Note, Ref, Sku, Text
from logistics.domain import privacy
from logistics.domain.rma import PlatformStatus, Rma, Verdict
from ops_shared.web import StaffDetails, StaffTime


class ItemIn(In):
    sku: Sku
    quantity: int = Field(ge=1, le=1000)
    unit_paid_fen: Fen | None = Field(None, description="Paid per unit; needed for a refund.")


class RmaCreate(In):
    """L1: a return or exchange opened by after-sales."""

    kind: Literal["return", "exchange"]
    order_id: Ref
    items: list[ItemIn] = Field(min_length=1, max_length=50)
    reason: Text
    customer_id: Ref
    contact_name: str = Field("", max_length=100)
    contact_phone: str = Field("", max_length=30)
    address: str = Field("", max_length=300)
    wanted_replacement: str | None = Field(None, min_length=1, max_length=200)
    quality_claim: bool = False
    photos: list[Ref] = Field(default_factory=list, max_length=20)
    owner_id: Ref | None = Field(None, description="After-sales owner; default: the caller.")
    ticket_number: str | None = Field(None, pattern=r"^TK-\d{8}-\d{4,}$")


class PhotosIn(In):
    photos: list[Ref] = Field(min_length=1, max_length=20)


class QualityDecisionIn(In):
    verdict: Verdict
    note: Note = ""


class TrackingIn(In):
    """L5: the customer's return parcel, and what they paid for the return leg (L3)."""

    tracking_number: Ref
    courier: str | None = Field(None, max_length=50)
    return_postage_fen: Fen | None = None


class AmountsIn(In):
    amounts: dict[Sku, Fen] = Field(min_length=1, max_length=50,
                                    description="SKU → amount paid per unit, in fen.")


class PlatformStatusIn(In):
    status: PlatformStatus


class OwnerIn(In):
    owner_id: Ref


class ReasonIn(In):
    reason: Text


class NoteIn(In):
    note: Note = ""


class SettleDisputeIn(In):
    accept_rejected: bool = Field(description="Refund the rejected items too (true), or only "
                                  "what passed inspection (false).")
    note: Note = ""


class RefundIn(In):
    override_reason: str | None = Field(
        None, min_length=1, max_length=500,
        description="Supervisor override of the inspection (L7), with the reason.")


class ItemRead(BaseModel):
    sku: str
    quantity: int
    unit_paid_fen: int | None


class PostageRead(BaseModel):
    return_leg_payer: str
    outgoing_leg_payer: str | None
    return_postage_fen: int
    outgoing_postage_fen: int
    customer_advanced_fen: int
    owed_to_customer_fen: int
    shop_pays_fen: int


class CardRead(BaseModel):
    customer_id: str
    reason: str
    contact_name: str
    contact_phone: str
    address: str
    wanted_replacement: str | None


class RmaRead(BaseModel):
    number: str
    kind: str
    state: str
    allowed_next: list[str]
    order_id: str
    ticket_number: str | None
    items: list[ItemRead]
    card: CardRead
    quality_claim: bool
    photos: list[str]
    decision: StaffDetails | None
    owner_id: str
    opened_by: str
    opened_at: StaffTime
    postage: PostageRead
    tracking_number: str | None
    courier: str | None
    platform_status: str | None
    inspection: StaffDetails | None
    dispute: dict | None
    advance: StaffDetails | None
    exchange: dict | None
    refund_id: str | None
    next_action_at: StaffTime | None

    @classmethod
    def of(cls, rma: Rma, role: str) -> RmaRead:
        card = rma.card
        if not privacy.sees_contact(role):
            card = type(card)(customer_id=privacy.mask_ref(card.customer_id),
                              reason=card.reason, contact_name=privacy.mask_name(
                                  card.contact_name),
                              contact_phone=privacy.mask_phone(card.contact_phone),
                              address=privacy.mask_address(card.address),
                              wanted_replacement=card.wanted_replacement)

        def plain(value: object) -> dict | None:
            return asdict(value) if value is not None else None  # type: ignore[call-overload]

        return cls(
            number=rma.number, kind=rma.kind.value, state=rma.state.value,
            allowed_next=rma.allowed_next(), order_id=rma.order_id,
            ticket_number=rma.ticket_number,
            items=[ItemRead(**asdict(i)) for i in rma.items], card=CardRead(**asdict(card)),
            quality_claim=rma.quality_claim, photos=rma.photos, decision=plain(rma.decision),
            owner_id=rma.owner_id, opened_by=rma.opened_by, opened_at=rma.opened_at,
            postage=PostageRead(**asdict(rma.postage)), tracking_number=rma.tracking_number,
            courier=rma.courier,
            platform_status=rma.platform_status.value if rma.platform_status else None,
            inspection=plain(rma.inspection), dispute=plain(rma.dispute),
            advance=plain(rma.advance), exchange=plain(rma.exchange), refund_id=rma.refund_id,
            next_action_at=rma.next_action_at)


class RefundRead(BaseModel):
    refund_id: str
    subject: str
    order_id: str
    ticket_number: str | None
    items_fen: int
    postage_fen: int
    amount_fen: int
    issued_at: StaffTime
    issued_by: str
    override_reason: str | None
