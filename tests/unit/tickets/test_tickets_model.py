"""T1 numbers and priority, T9 key-customer boost, ticket opening rules."""

from datetime import date, datetime

import pytest

from tickets.domain.errors import ValidationFailed
from tickets.domain.events import TicketOpened
from tickets.domain.model import (
    Channel,
    ComplaintGrade,
    Importance,
    Kind,
    Priority,
    Role,
    Urgency,
    graded,
    priority_of,
    ticket_number,
)
from tickets.domain.states import TicketState
from tickets.domain.ticket import OpenTicket, Ticket


def test_t1_ticket_number_is_day_and_sequence():
    assert ticket_number(date(2026, 11, 26), 1) == "TK-20261126-0001"
    assert ticket_number(date(2026, 11, 26), 123) == "TK-20261126-0123"
    with pytest.raises(ValidationFailed):
        ticket_number(date(2026, 11, 26), 0)


@pytest.mark.parametrize(
    ("importance", "urgency", "expected"),
    [
        (Importance.HIGH, Urgency.HIGH, Priority.P1),
        (Importance.HIGH, Urgency.LOW, Priority.P2),
        (Importance.LOW, Urgency.HIGH, Priority.P3),
        (Importance.LOW, Urgency.LOW, Priority.P4),
    ],
)
def test_t1_priority_follows_importance_and_urgency(importance, urgency, expected):
    assert priority_of(importance, urgency, "regular") is expected


def test_t9_key_customer_is_raised_one_level_but_never_above_p1():
    assert priority_of(Importance.LOW, Urgency.LOW, "key") is Priority.P3
    assert priority_of(Importance.HIGH, Urgency.HIGH, "key") is Priority.P1
    assert priority_of(Importance.LOW, Urgency.LOW, "vip", boost_tiers={"vip"}) is Priority.P3


def test_t1_open_records_priority_team_and_opening_event(clock, sh):
    ticket, events = Ticket.open(
        OpenTicket(
            id="t-9",
            number="TK-20261126-0009",
            customer_id="c-1",
            channel=Channel.PHONE,
            kind=Kind.AFTERSALES,
            description="鞋底开胶",
            importance=Importance.HIGH,
            urgency=Urgency.LOW,
            at=sh(2026, 11, 26, 10),
            tier="key",
            assignee_id="agent-2",
        ),
        clock=clock,
    )
    assert (ticket.priority, ticket.role, ticket.state) == (
        Priority.P1,
        Role.AFTERSALES,
        TicketState.NEW,
    )
    assert [e.name for e in events] == ["TicketOpened"]
    assert isinstance(events[0], TicketOpened) and events[0].priority == "P1"
    assert ticket.timeline[0].action == "opened"


def test_t1_consultation_goes_to_presales(open_ticket):
    assert open_ticket(kind=Kind.CONSULTATION).role is Role.PRESALES


def test_t3_complaint_requires_a_grade_and_others_refuse_one(open_ticket):
    with pytest.raises(ValidationFailed, match="grade"):
        open_ticket(kind=Kind.COMPLAINT)
    with pytest.raises(ValidationFailed, match="grade"):
        open_ticket(kind=Kind.CONSULTATION, grade="major")


def test_naive_datetimes_are_refused(open_ticket):
    with pytest.raises(ValidationFailed, match="timezone"):
        open_ticket(at=datetime(2026, 11, 26, 10, 0))


def test_t4_t5_t6_callbacks_needed_for_complaints_special_service_and_survey_tickets(open_ticket):
    assert open_ticket(kind="complaint", grade="general").needs_callback
    assert open_ticket(kind="special_service").needs_callback
    assert open_ticket(kind="consultation", origin="survey").needs_callback
    assert not open_ticket(kind="consultation").needs_callback


def test_t3_only_complaints_are_graded_major_or_general():
    assert graded(Kind.COMPLAINT, "major") is ComplaintGrade.MAJOR
    assert graded(Kind.CONSULTATION, None) is None
    for kind, grade in ((Kind.COMPLAINT, None), (Kind.SUGGESTION, "general")):
        with pytest.raises(ValidationFailed) as refused:
            graded(kind, grade)
        assert refused.value.field == "grade"
