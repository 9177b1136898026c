"""Request bodies of what staff do to a ticket (T2-T8, T10-T12, L1), one per action.

An action's body is named after the action with the suffix `Request` (`EscalateRequest` for
`POST /tickets/{n}/escalations`); unknown fields are refused (422).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from tickets.api.schemas.common import (
    CategoryName,
    Moment,
    Number,
    ShortText,
    StaffId,
    Text,
    request_config,
)
from tickets.domain.model import ComplaintSubject

SummaryText = Annotated[str, Field(min_length=1, max_length=500)]


class RespondRequest(BaseModel):
    """An answer to the customer (the first one meets T2)."""

    model_config = request_config({"message": "您好，已为您查询，38码偏大半码。"})

    message: Text


class CustomerReplyRequest(BaseModel):
    """What the customer replied."""

    model_config = request_config({"message": "好的，那我换37码。"})

    message: Text


class WaitForCustomerRequest(BaseModel):
    model_config = request_config({"note": "已请客户提供开胶部位照片"})

    note: Text


class RectifyRequest(BaseModel):
    """T3/T6: what was done to fix the problem."""

    model_config = request_config({"note": "已补发配件，客户确认收到"})

    note: Text


class EscalateRequest(BaseModel):
    """T7: to the supervisor first, then the manager; reason, new owner and deadline."""

    model_config = request_config({"to_level": "supervisor", "to_staff_id": "sup-01",
                                   "reason": "客户要求赔偿，超出权限",
                                   "deadline": "2026-11-27T18:00:00+08:00"})

    to_level: Literal["supervisor", "manager"]
    to_staff_id: StaffId
    reason: Text
    deadline: Moment
    customer_notice: Text | None = Field(
        None, description="What the customer is told; generated from the deadline if omitted.")


class TransferRequest(BaseModel):
    model_config = request_config({"department": "仓库", "owner_id": "wh-01",
                                   "reason": "需核实发货记录",
                                   "deadline": "2026-11-28T18:00:00+08:00"})

    department: ShortText
    owner_id: StaffId
    reason: Text
    deadline: Moment
    customer_notice: Text | None = None


class ReassignRequest(BaseModel):
    model_config = request_config({"to_staff_id": "as-02", "reason": "as-01 请假"})

    to_staff_id: StaffId
    reason: Annotated[str, Field(max_length=1000)] = ""


class CallbackConfirmation(BaseModel):
    """The customer's confirmation of a callback (签字认可)."""

    model_config = request_config({"kind": "code", "value": "839201"})

    kind: Literal["code", "signature_ref", "verbal_consent"]
    value: ShortText


class CallbackRequest(BaseModel):
    """T4: what was asked, satisfaction 1-5, the customer's confirmation (签字认可)."""

    model_config = request_config({"question": "问题是否已解决？", "satisfaction": 5,
                                   "confirmation": {"kind": "verbal_consent",
                                                    "value": "rec-20261127-01"}})

    question: Text
    satisfaction: int = Field(ge=1, le=5, strict=True)
    confirmation: CallbackConfirmation | None = None


class LinkRequest(BaseModel):
    model_config = request_config({"other_number": "TK-20261126-0002"})

    other_number: Number


class MergeRequest(BaseModel):
    model_config = request_config({"into_number": "TK-20261126-0002"})

    into_number: Number


MAX_UNIT_PAID_FEN = 100_000_000
"""One million yuan per unit: far above anything the shop sells, a bound on typos."""


class ReturnLine(BaseModel):
    """One SKU and quantity of a return or exchange, with what was paid per unit when known."""

    model_config = request_config({"sku": "WOOL-HANDMADE-38", "quantity": 1,
                                   "unit_paid_fen": 25900})

    sku: ShortText
    quantity: int = Field(ge=1, le=1000, strict=True)
    unit_paid_fen: int | None = Field(
        None, ge=0, le=MAX_UNIT_PAID_FEN, strict=True,
        description="What the customer paid per unit, in integer fen (L7); omit when unknown: "
        "after-sales enters it in logistics before the refund.")


class ReturnRequest(BaseModel):
    """L1: ask logistics to open a return or exchange."""

    model_config = request_config({"kind": "exchange", "order_id": "TB-9876543210",
                                   "items": [{"sku": "WOOL-HANDMADE-38", "quantity": 1}],
                                   "reason": "尺码偏大", "wanted_replacement": "WOOL-HANDMADE-37"})

    kind: Literal["return", "exchange"]
    order_id: ShortText
    items: list[ReturnLine] = Field(min_length=1, max_length=50)
    reason: Text
    quality_claim: bool = False
    wanted_replacement: ShortText | None = None


class VerifyComplaintRequest(BaseModel):
    """T12: the complaint about `staff_id`'s service is true (H17: −3 points).

    The complaint must be classified `staff_service` about this `staff_id`, or not classified
    yet (it then becomes so); any other subject or staff member is refused (422 naming it).
    """

    model_config = request_config({"staff_id": "as-01", "note": "录音核实，服务态度问题属实"})

    staff_id: StaffId
    note: Text


class AdoptSuggestionRequest(BaseModel):
    """T11: management adopts the suggestion of `author_staff_id` for 3-20 points (H18)."""

    model_config = request_config({"author_staff_id": "as-03", "points": 5})

    author_staff_id: StaffId
    points: int = Field(ge=3, le=20, strict=True)


class ClassifyRequest(BaseModel):
    """T11/T12: only the fields given change; `null` clears one. `category` is for suggestions,
    `subject` and `staff_id` for complaints, `summary` for both."""

    model_config = request_config({"category": "website", "summary": "建议详情页增加尺码对照表"},
                                  {"subject": "staff_service", "staff_id": "as-01"})

    category: CategoryName | None = None
    subject: ComplaintSubject | None = None
    staff_id: StaffId | None = None
    summary: SummaryText | None = None

    @model_validator(mode="after")
    def _something(self) -> ClassifyRequest:
        if not self.model_fields_set:
            raise ValueError("give at least one of category, subject, staff_id, summary")
        return self

    def changes(self) -> dict[str, str | None]:
        return self.model_dump(mode="json", exclude_unset=True)


class UseArticleRequest(BaseModel):
    """T10: the knowledge-base article (and its version) that helped with this ticket."""

    model_config = request_config({"article_id": "kb-size-guide", "version": 3})

    article_id: StaffId
    version: int = Field(ge=1, le=100_000, strict=True)
