"""Schemas of tickets themselves (T1, T8): opening one, listing, reading, the timeline."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tickets.api.schemas.common import (
    CategoryName,
    Moment,
    StaffDetails,
    StaffId,
    StaffTime,
    Text,
    read_config,
    request_config,
)
from tickets.api.schemas.customers import CUSTOMER_EXAMPLE, CustomerCreate, CustomerId, CustomerRead
from tickets.application.ticket_queries import TicketPage, TicketWithCustomer
from tickets.domain.model import (
    Channel,
    ComplaintGrade,
    ComplaintSubject,
    Importance,
    Kind,
    Urgency,
)
from tickets.domain.states import TicketState, allowed_targets
from tickets.domain.ticket import Ticket

_AT = "2026-11-26T10:00:00+08:00"
NOTICE_EXAMPLE = "您的问题已升级至客服主管处理，预计于 2026-11-27 18:00 前给您答复。"
SLA_EXAMPLE = {"metric": "first_response", "policy_name": "first_response",
               "unit": "staffed_minutes", "started_at": _AT,
               "due_at": "2026-11-26T10:03:00+08:00", "warn_at": "2026-11-26T10:02:24+08:00",
               "responsible_id": "as-01", "met_at": "2026-11-26T10:01:00+08:00",
               "margin_seconds": 120.0, "warned_at": None, "breached_at": None}
TICKET_EXAMPLE = {
    "number": "TK-20261126-0001", "customer_id": "CU1A2B3C4D5E6F", "customer": CUSTOMER_EXAMPLE,
    "channel": "im", "kind": "complaint", "description": "鞋子开胶了", "importance": "high",
    "urgency": "high", "priority": "P1", "tier": "regular", "role": "aftersales",
    "state": "open", "allowed_transitions": ["pending_customer", "escalated", "closed"],
    "grade": "major", "origin": "customer", "needs_callback": True, "assignee_id": "as-01",
    "department": None, "escalation_level": None, "deadline": None,
    "first_responded_at": "2026-11-26T10:01:00+08:00", "rectified_at": None,
    "closed_at": None, "merged_into": None, "links": [], "articles": [],
    "sla": [SLA_EXAMPLE], "callbacks": [], "created_at": _AT,
    "category": None, "subject": "product", "staff_id": None,
    "summary": "鞋底开胶，已补发", "summary_by": "as-01", "summary_at": _AT,
    "verified_staff_ids": [], "adopted_points": None,
}


class TicketCreate(BaseModel):
    """T1: a customer request; give an existing `customer_id` or a new `customer` profile."""

    model_config = request_config(
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


class TicketListQuery(BaseModel):
    """Typed filters only; an unknown parameter (e.g. `assignee[$ne]`) is a 422."""

    model_config = ConfigDict(extra="forbid")

    state: TicketState | None = None
    kind: Kind | None = None
    assignee: StaffId | None = None
    customer_id: CustomerId | None = None
    unassigned: bool = Field(False, description="Only tickets nobody on duty could take.")
    page: int = Field(1, ge=1, le=10_000)
    limit: int = Field(20, ge=1, le=100)


class SlaTargetRead(BaseModel):
    """One SLA clock (T2-T6): due time, and when and by how much it was met."""

    model_config = read_config(SLA_EXAMPLE)

    metric: str
    policy_name: str
    unit: str
    started_at: StaffTime
    due_at: StaffTime
    warn_at: StaffTime
    responsible_id: str | None
    met_at: StaffTime | None
    margin_seconds: float | None
    warned_at: StaffTime | None
    breached_at: StaffTime | None


class TicketCallbackRead(BaseModel):
    model_config = read_config({"question": "问题是否已解决？", "satisfaction": 5, "at": _AT,
                                "by": "as-01", "confirmed": True, "confirmation_kind": "code"})

    question: str
    satisfaction: int
    at: StaffTime
    by: str
    confirmed: bool
    confirmation_kind: str | None


class TicketRead(BaseModel):
    """A ticket; its customer is embedded masked unless the viewer may see it (T15)."""

    model_config = read_config(TICKET_EXAMPLE)

    number: str
    customer_id: str
    customer: CustomerRead | None
    channel: str
    kind: str
    description: str
    importance: str
    urgency: str
    priority: str
    tier: str
    role: str
    state: str
    allowed_transitions: list[str]
    grade: str | None
    origin: str
    needs_callback: bool
    assignee_id: str | None
    department: str | None
    escalation_level: str | None
    deadline: StaffTime | None
    first_responded_at: StaffTime | None
    rectified_at: StaffTime | None
    closed_at: StaffTime | None
    merged_into: str | None
    links: list[str]
    articles: list[str]
    sla: list[SlaTargetRead]
    callbacks: list[TicketCallbackRead]
    created_at: StaffTime
    asked_at: StaffTime | None = Field(None, description="When the customer asked (T2's clock "
                                                        "started then).")
    category: str | None = Field(None, description="Suggestions: their category (T11).")
    subject: str | None = Field(None, description="Complaints: product, logistics or "
                                                  "staff_service (T12).")
    staff_id: str | None = Field(None, description="staff_service complaints: whom about.")
    summary: str | None = None
    summary_by: str | None = None
    summary_at: StaffTime | None = None
    verified_staff_ids: list[str] = Field(default_factory=list,
                                          description="T12: verified against these staff.")
    adopted_points: int | None = Field(None, description="T11: points if adopted.")

    @classmethod
    def of(cls, ticket: Ticket, customer: dict[str, Any] | None = None) -> TicketRead:
        return cls(
            number=ticket.number, customer_id=ticket.customer_id,
            customer=CustomerRead.of(customer) if customer else None,
            channel=ticket.channel, kind=ticket.kind, description=ticket.description,
            importance=ticket.importance, urgency=ticket.urgency, priority=ticket.priority,
            tier=ticket.tier, role=ticket.role, state=ticket.state,
            allowed_transitions=allowed_targets(ticket.state), grade=ticket.grade,
            origin=ticket.origin, needs_callback=ticket.needs_callback,
            assignee_id=ticket.assignee_id, department=ticket.department,
            escalation_level=ticket.escalation_level, deadline=ticket.deadline,
            first_responded_at=ticket.first_responded_at, rectified_at=ticket.rectified_at,
            closed_at=ticket.closed_at, merged_into=ticket.merged_into, links=ticket.links,
            articles=ticket.articles, created_at=ticket.created_at, asked_at=ticket.asked_at,
            category=ticket.category, subject=ticket.subject, staff_id=ticket.staff_id,
            summary=ticket.summary, summary_by=ticket.summary_by, summary_at=ticket.summary_at,
            verified_staff_ids=ticket.verified_staff_ids, adopted_points=ticket.adopted_points,
            sla=[SlaTargetRead(**vars(t)) for t in ticket.sla],
            callbacks=[TicketCallbackRead(question=c.question, satisfaction=c.satisfaction,
                                          at=c.at, by=c.by, confirmed=c.confirmed,
                                          confirmation_kind=c.confirmation.kind
                                          if c.confirmation else None)
                       for c in ticket.callbacks],
        )

    @classmethod
    def embedded(cls, found: TicketWithCustomer) -> TicketRead:
        return cls.of(found.ticket, found.customer)


class TicketPageRead(BaseModel):
    model_config = read_config({"items": [TICKET_EXAMPLE], "total": 1, "page": 1, "limit": 20})

    items: list[TicketRead]
    total: int
    page: int
    limit: int

    @classmethod
    def of(cls, page: TicketPage) -> TicketPageRead:
        return cls(items=[TicketRead.embedded(i) for i in page.items], total=page.total,
                   page=page.page, limit=page.limit)


class TimelineEntryRead(BaseModel):
    model_config = read_config({"at": _AT, "actor_id": "as-01", "action": "first_responded",
                                "details": {"from_state": "new", "to_state": "open"}})

    at: StaffTime
    actor_id: str | None
    action: str
    details: StaffDetails


class TimelineRead(BaseModel):
    """T8: the append-only history of a ticket, oldest first."""

    model_config = read_config({"ticket_number": "TK-20261126-0001", "entries": [
        {"at": _AT, "actor_id": "as-01", "action": "opened",
         "details": {"kind": "complaint", "priority": "P1"}}]})

    ticket_number: str
    entries: list[TimelineEntryRead]


class HandoverRead(BaseModel):
    """T7: the ticket after an escalation or transfer, and what the customer is told."""

    model_config = read_config({"ticket": TICKET_EXAMPLE, "customer_notice": NOTICE_EXAMPLE})

    ticket: TicketRead
    customer_notice: str
