"""Domain events → published contracts: what leaves the service and what stays inside."""

from __future__ import annotations

from tickets.application.outgoing import to_contract
from tickets.domain import events as ev
from tickets.domain.model import Channel, ComplaintGrade, Importance, Kind, Urgency
from tickets.domain.ticket import OpenTicket, Ticket


def test_t1_opened_ticket_is_published_with_its_assignee(clock, sh):
    _, events = Ticket.open(OpenTicket(
        id="t", number="TK-20261126-0009", customer_id="c", channel=Channel.IM,
        kind=Kind.CONSULTATION, description="d", importance=Importance.LOW,
        urgency=Urgency.HIGH, at=sh(2026, 11, 26, 10), assignee_id="ps-1"), clock=clock)
    message = to_contract(events[0])
    assert message.event_type == "tickets.ticket.opened"
    assert message.assignee_id == "ps-1" and message.priority == "P3"


def test_t4_only_confirmed_callbacks_are_published(sh):
    at = sh(2026, 11, 26, 10)
    base = {"ticket_number": "TK-20261126-0001", "by": "a", "agent_id": "a", "satisfaction": 4}
    assert to_contract(ev.CallbackRecorded(at=at, confirmed=False, **base)) is None
    done = to_contract(ev.CallbackRecorded(at=at, confirmed=True, **base))
    assert done.event_type == "tickets.callback.completed" and done.completed_at == at


def test_t2_breach_and_warning_name_the_responsible_staff(open_ticket, sh):
    ticket = open_ticket(kind=Kind.COMPLAINT, grade=ComplaintGrade.MAJOR)
    target = ticket.target("first_response")
    warned = ticket.check_sla(target.warn_at)
    breached = ticket.check_sla(target.due_at + (target.due_at - target.warn_at))
    assert to_contract(warned[0]).event_type == "tickets.sla.warned"
    message = to_contract(breached[0])
    assert message.event_type == "tickets.sla.breached"
    assert message.responsible_id == "agent-1" and message.metric == "first_response"


def test_internal_events_stay_inside(sh):
    at = sh(2026, 11, 26, 10)
    assert to_contract(ev.TicketClosed(ticket_number="TK-20261126-0001", at=at,
                                       actor_id="a")) is None
