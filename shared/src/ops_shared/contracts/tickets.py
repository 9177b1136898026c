"""Events published by the tickets service."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ops_shared.contracts.bounds import MAX_ITEMS, Id, Name, Text
from ops_shared.contracts.envelope import Event


class TicketOpened(Event):
    """A customer request became a ticket (T1)."""

    event_type = "tickets.ticket.opened"
    producer = "tickets"

    ticket_number: Id
    kind: Name
    channel: Name
    priority: Name
    assignee_id: Id | None = None
    opened_at: AwareDatetime


class SlaBreached(Event):
    """A ticket missed one of its SLA targets; counted against the responsible staff (T2/T3)."""

    event_type = "tickets.sla.breached"
    producer = "tickets"

    ticket_number: Id
    metric: Name
    policy: Name
    due_at: AwareDatetime
    breached_at: AwareDatetime
    responsible_id: Id | None = None


class SlaWarned(Event):
    """A ticket's SLA target is close to its deadline; the responsible staff is warned (T2-T6)."""

    event_type = "tickets.sla.warned"
    producer = "tickets"

    ticket_number: Id
    metric: Name
    policy: Name
    due_at: AwareDatetime
    warned_at: AwareDatetime
    responsible_id: Id | None = None


class ComplaintVerified(Event):
    """A complaint about a staff member's service was verified as true (T12 → H17)."""

    event_type = "tickets.complaint.verified"
    producer = "tickets"

    ticket_number: Id
    staff_id: Id
    verified_by: Id
    note: Text
    verified_at: AwareDatetime


class SuggestionAdopted(Event):
    """Management adopted a staff member's suggestion (T11 → H18)."""

    event_type = "tickets.suggestion.adopted"
    producer = "tickets"

    ticket_number: Id
    author_staff_id: Id
    points: int = Field(ge=3, le=20)
    adopted_by: Id
    adopted_at: AwareDatetime


class CallbackCompleted(Event):
    """A confirmed callback was recorded (T4, T14)."""

    event_type = "tickets.callback.completed"
    producer = "tickets"

    ticket_number: Id
    agent_id: Id | None = None
    satisfaction: int = Field(ge=1, le=5)
    completed_at: AwareDatetime


class ReturnItem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    sku: Id
    quantity: int = Field(ge=1)
    unit_paid_fen: int | None = Field(
        None, ge=0, exclude_if=lambda value: value is None,
        description="What the customer paid per unit of this item, in fen (L7); missing: "
        "after-sales enters it before the refund. Left out of the payload when not known.")


class ReturnRequested(Event):
    """An after-sales ticket asks logistics to open a return or exchange (L1)."""

    event_type = "tickets.return.requested"
    producer = "tickets"

    ticket_number: Id
    kind: Literal["return", "exchange"]
    order_id: Id
    customer_id: Id
    items: list[ReturnItem] = Field(min_length=1, max_length=MAX_ITEMS)
    reason: Text
    quality_claim: bool = False
    wanted_replacement: Name | None = None
    requested_by: Id
    requested_at: AwareDatetime


class ReviewReminderItem(BaseModel):
    """One case on an owner's daily review list (T13): an RMA, or another logistics case
    (L12: a recall, a problem parcel, a re-shipment)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    rma_number: Id = Field(description="The review item's key: the RMA number, or "
                           "`<case_type>:<case_id>` for another case (kept as in v1; read "
                           "`case_type` and `case_id` instead).")
    order_id: Id
    kind: Literal["refund_in_progress", "dispute"]
    next_action_at: AwareDatetime
    ticket_number: Id | None = None
    case_type: Literal["rma", "recall", "problem_parcel", "reshipment"] = Field(
        "rma", description="What the case is (additive in v1; missing: an RMA), as logistics "
        "names it on `logistics.case.updated`.")
    case_id: Id | None = Field(
        None, description="The case's own number: the RMA number, or the recall's, problem "
        "parcel's or re-shipment's id (additive in v1; missing: `rma_number`).")


class ReviewReminderSent(Event):
    """The supervisor reminded an after-sales owner of their overdue refunds and disputes (T13)."""

    event_type = "tickets.review.reminder_sent"
    producer = "tickets"

    owner_id: Id
    day: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="Shop-local review day.")
    items: list[ReviewReminderItem] = Field(min_length=1, max_length=MAX_ITEMS)
    reminded_by: Id
    reminded_at: AwareDatetime


CONTRACTS: tuple[type[Event], ...] = (
    TicketOpened,
    SlaBreached,
    SlaWarned,
    ComplaintVerified,
    SuggestionAdopted,
    CallbackCompleted,
    ReturnRequested,
    ReviewReminderSent,
)
"""The events of this module, registered by `ops_shared.contracts`."""
