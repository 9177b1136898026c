"""Request bodies of the ticket routes: typed fields, unknown fields refused (422)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from tickets.api.deps import TICKET_NUMBER_PATTERN
from tickets.api.schemas_customers import CustomerCreate
from tickets.domain.model import (
    Channel,
    ComplaintGrade,
    ComplaintSubject,
    Importance,
    Kind,
    Urgency,
)

Text = Annotated[str, Field(min_length=1, max_length=4000)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
StaffId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
CategoryName = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_-]*$",
                                    examples=["website"])]
Number = Annotated[str, Field(pattern=TICKET_NUMBER_PATTERN, examples=["TK-20261126-0002"])]
# Days and moments from callers lie in 2000-2099: the shop-zone, calendar and BSON date
# arithmetic behind them overflows near year 1 and year 9999 (a 500 instead of a 422).
Day = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2099, 12, 31),
                            description="A day in 2000-2099.")]
Moment = Annotated[AwareDatetime, Field(ge=datetime(2000, 1, 1, tzinfo=UTC),
                                        lt=datetime(2100, 1, 1, tzinfo=UTC),
                                        description="A moment with its zone, in 2000-2099.")]


def _in(*examples: dict) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})


class TicketCreate(BaseModel):
    """T1: a customer request; give an existing `customer_id` or a new `customer` profile."""

    model_config = _in(
        {"customer_id": "CU1A2B3C4D5E6F", "channel": "im", "kind": "complaint",
         "description": "鞋子开胶了，要求处理", "importance": "high", "urgency": "high",
         "grade": "major"},
        {"customer": {"name": "张三", "phone": "13812345678", "platform_ids": ["tb_zhang"]},
         "channel": "phone", "kind": "consultation", "description": "38码偏大吗？",
         "importance": "low", "urgency": "low"},
        {"customer_id": "CU1A2B3C4D5E6F", "channel": "phone", "kind": "complaint",
         "description": "客服态度差", "importance": "high", "urgency": "low",
         "grade": "general", "subject": "staff_service", "staff_id": "as-01"},
        {"customer_id": "CU1A2B3C4D5E6F", "channel": "web", "kind": "suggestion",
         "description": "希望详情页加尺码表", "importance": "low", "urgency": "low",
         "category": "website"})

    customer_id: StaffId | None = None
    customer: CustomerCreate | None = None
    channel: Channel
    kind: Kind
    description: Text
    importance: Importance
    urgency: Urgency
    grade: ComplaintGrade | None = Field(None, description="Complaints only: major or general.")
    category: CategoryName | None = Field(
        None, description="Suggestions only (T11): one of GET /suggestion-categories.")
    subject: ComplaintSubject | None = Field(None, description="Complaints only (T12).")
    staff_id: StaffId | None = Field(
        None, description="Complaints about staff_service: whom the complaint is about (T12).")
    asked_at: Moment | None = Field(
        None, description="When the customer's message arrived, for a request logged after the "
        "fact (T2's clock starts then); default now. Not in the future, not older than the "
        "intake policy allows (GET /intake-policy).")

    @model_validator(mode="after")
    def _one_customer(self) -> TicketCreate:
        if (self.customer_id is None) == (self.customer is None):
            raise ValueError("give exactly one of customer_id and customer")
        return self


class MessageIn(BaseModel):
    model_config = _in({"message": "您好，已为您查询，38码偏大半码。"})

    message: Text


class NoteIn(BaseModel):
    model_config = _in({"note": "已补发配件，客户确认收到"})

    note: Text


class EscalationIn(BaseModel):
    """T7: to the supervisor first, then the manager; reason, new owner and deadline."""

    model_config = _in({"to_level": "supervisor", "to_staff_id": "sup-01",
                        "reason": "客户要求赔偿，超出权限",
                        "deadline": "2026-11-27T18:00:00+08:00"})

    to_level: Literal["supervisor", "manager"]
    to_staff_id: StaffId
    reason: Text
    deadline: Moment
    customer_notice: Text | None = Field(
        None, description="What the customer is told; generated from the deadline if omitted.")


class TransferIn(BaseModel):
    model_config = _in({"department": "仓库", "owner_id": "wh-01", "reason": "需核实发货记录",
                        "deadline": "2026-11-28T18:00:00+08:00"})

    department: ShortText
    owner_id: StaffId
    reason: Text
    deadline: Moment
    customer_notice: Text | None = None


class ReassignIn(BaseModel):
    model_config = _in({"to_staff_id": "as-02", "reason": "as-01 请假"})

    to_staff_id: StaffId
    reason: Annotated[str, Field(max_length=1000)] = ""


class ConfirmationIn(BaseModel):
    model_config = _in({"kind": "code", "value": "839201"})

    kind: Literal["code", "signature_ref", "verbal_consent"]
    value: ShortText


class TicketCallbackIn(BaseModel):
    """T4: what was asked, satisfaction 1-5, the customer's confirmation (签字认可)."""

    model_config = _in({"question": "问题是否已解决？", "satisfaction": 5,
                        "confirmation": {"kind": "verbal_consent", "value": "rec-20261127-01"}})

    question: Text
    satisfaction: int = Field(ge=1, le=5, strict=True)
    confirmation: ConfirmationIn | None = None


class LinkIn(BaseModel):
    model_config = _in({"other_number": "TK-20261126-0002"})

    other_number: Number


class MergeIn(BaseModel):
    model_config = _in({"into_number": "TK-20261126-0002"})

    into_number: Number


class ReturnItemIn(BaseModel):
    model_config = _in({"sku": "WOOL-HANDMADE-38", "quantity": 1})

    sku: ShortText
    quantity: int = Field(ge=1, le=1000, strict=True)


class ReturnRequestIn(BaseModel):
    """L1: ask logistics to open a return or exchange."""

    model_config = _in({"kind": "exchange", "order_id": "TB-9876543210",
                        "items": [{"sku": "WOOL-HANDMADE-38", "quantity": 1}],
                        "reason": "尺码偏大", "wanted_replacement": "WOOL-HANDMADE-37"})

    kind: Literal["return", "exchange"]
    order_id: ShortText
    items: list[ReturnItemIn] = Field(min_length=1, max_length=50)
    reason: Text
    quality_claim: bool = False
    wanted_replacement: ShortText | None = None


class VerificationIn(BaseModel):
    """T12: the complaint about `staff_id`'s service is true (H17: −3 points).

    The complaint must be classified `staff_service` about this `staff_id`, or not classified
    yet (it then becomes so); any other subject or staff member is refused (422 naming it).
    """

    model_config = _in({"staff_id": "as-01", "note": "录音核实，服务态度问题属实"})

    staff_id: StaffId
    note: Text


class AdoptionIn(BaseModel):
    """T11: management adopts the suggestion of `author_staff_id` for 3-20 points (H18)."""

    model_config = _in({"author_staff_id": "as-03", "points": 5})

    author_staff_id: StaffId
    points: int = Field(ge=3, le=20, strict=True)


class ArticleUsedIn(BaseModel):
    """T10: the knowledge-base article (and its version) that helped with this ticket."""

    model_config = _in({"article_id": "kb-size-guide", "version": 3})

    article_id: StaffId
    version: int = Field(ge=1, le=100_000, strict=True)
