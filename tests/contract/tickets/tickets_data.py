"""Tickets for the contract tests, opened by the domain (times in whole milliseconds, as BSON
keeps them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ops_shared.calendar import WorkCalendar
from tickets.domain.model import Channel, ComplaintGrade, Importance, Kind, Urgency
from tickets.domain.sla import SlaClock
from tickets.domain.ticket import OpenTicket, Ticket

T0 = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday 10:00 in Shanghai
CLOCK = SlaClock(WorkCalendar())


def new_ticket(seq: int = 1, *, kind: Kind = Kind.COMPLAINT, customer_id: str = "CU-1",
               assignee_id: str | None = "agent-1", at: datetime | None = None) -> Ticket:
    at = at or T0 + timedelta(minutes=seq)
    ticket, _ = Ticket.open(OpenTicket(
        id=f"id-{seq}", number=f"TK-20261126-{seq:04d}", customer_id=customer_id,
        channel=Channel.IM, kind=kind, description=f"问题 {seq}", importance=Importance.LOW,
        urgency=Urgency.LOW, grade=ComplaintGrade.GENERAL if kind is Kind.COMPLAINT else None,
        at=at, actor_id="agent-1", assignee_id=assignee_id), clock=CLOCK)
    return ticket
