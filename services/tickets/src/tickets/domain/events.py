"""Domain events returned by Ticket methods; fields mirror ops_shared.contracts.tickets."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from tickets.domain.model import VERIFIED_COMPLAINT_POINTS


@dataclass(frozen=True, kw_only=True)
class Event:
    """Something that happened to a ticket at a moment."""

    ticket_number: str
    at: datetime

    @property
    def name(self) -> str:
        """The event's class name, e.g. "TicketOpened"."""
        return type(self).__name__

    def to_dict(self) -> dict[str, Any]:
        """Plain dict with a "type" key, for the outbox."""
        return {"type": self.name, **asdict(self)}


@dataclass(frozen=True, kw_only=True)
class TicketOpened(Event):
    ticket_id: str
    customer_id: str
    kind: str
    channel: str
    priority: str
    assignee_id: str | None


@dataclass(frozen=True, kw_only=True)
class FirstResponded(Event):
    actor_id: str
    margin_seconds: float | None


@dataclass(frozen=True, kw_only=True)
class Escalated(Event):
    actor_id: str
    to_staff_id: str
    to_level: str
    reason: str
    deadline: datetime
    customer_notice: str


@dataclass(frozen=True, kw_only=True)
class Transferred(Event):
    actor_id: str
    department: str
    owner_id: str
    reason: str
    deadline: datetime
    customer_notice: str


@dataclass(frozen=True, kw_only=True)
class Reassigned(Event):
    actor_id: str
    from_staff_id: str | None
    to_staff_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class Rectified(Event):
    actor_id: str
    note: str
    callback_due_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class PaymentNoticeSent(Event):
    actor_id: str


@dataclass(frozen=True, kw_only=True)
class CallbackRecorded(Event):
    by: str
    agent_id: str | None
    satisfaction: int
    confirmed: bool


@dataclass(frozen=True, kw_only=True)
class TicketClosed(Event):
    actor_id: str


@dataclass(frozen=True, kw_only=True)
class TicketLinked(Event):
    actor_id: str
    other_number: str


@dataclass(frozen=True, kw_only=True)
class TicketMerged(Event):
    actor_id: str
    into_number: str


@dataclass(frozen=True, kw_only=True)
class SlaWarned(Event):
    metric: str
    policy: str
    due_at: datetime
    responsible_id: str | None


@dataclass(frozen=True, kw_only=True)
class SlaBreached(Event):
    metric: str
    policy: str
    due_at: datetime
    breached_at: datetime
    responsible_id: str | None


@dataclass(frozen=True, kw_only=True)
class ComplaintVerified(Event):
    staff_id: str
    verified_by: str
    note: str
    points: int = VERIFIED_COMPLAINT_POINTS  # H17


@dataclass(frozen=True, kw_only=True)
class SuggestionAdopted(Event):
    author_staff_id: str
    adopted_by: str
    points: int


@dataclass(frozen=True, kw_only=True)
class ReturnItem:
    sku: str
    quantity: int
    unit_paid_fen: int | None = None  # L7: per unit, in fen; None when not known


@dataclass(frozen=True, kw_only=True)
class ReturnRequested(Event):
    kind: str  # "return" | "exchange"
    order_id: str
    customer_id: str
    items: tuple[ReturnItem, ...]
    reason: str
    quality_claim: bool
    wanted_replacement: str | None
    requested_by: str
