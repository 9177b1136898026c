"""T2 first response in staffed minutes, T3 rectification in working days, SLA policies as data."""

from datetime import timedelta

import pytest

from tickets.domain.events import SlaBreached, SlaWarned
from tickets.domain.sla import (
    DEFAULT_POLICIES,
    PolicyMatch,
    SlaClock,
    SlaPolicy,
    compute_due,
    policy_attrs,
    select_policies,
    sweep,
)


def test_t2_first_response_due_three_staffed_minutes_after_arrival(open_ticket, sh):
    ticket = open_ticket(at=sh(2026, 11, 26, 10, 0))
    assert ticket.target("first_response").due_at == sh(2026, 11, 26, 10, 3)


def test_t2_ticket_arriving_1129_is_due_1232_across_the_lunch_gap(open_ticket, sh):
    ticket = open_ticket(at=sh(2026, 11, 26, 11, 29))
    assert ticket.target("first_response").due_at == sh(2026, 11, 26, 12, 32)


def test_t2_ticket_arriving_at_night_is_due_three_minutes_after_opening(open_ticket, sh):
    ticket = open_ticket(at=sh(2026, 11, 28, 23, 50))  # a Saturday: staffed every day
    assert ticket.target("first_response").due_at == sh(2026, 11, 29, 9, 3)


def test_t2_breach_predicate_and_breach_recorded_against_assignee(open_ticket, sh):
    ticket = open_ticket(at=sh(2026, 11, 26, 10, 0))
    target = ticket.target("first_response")
    assert not target.due_for_breach(sh(2026, 11, 26, 10, 3))
    assert target.due_for_breach(sh(2026, 11, 26, 10, 4))
    events = ticket.check_sla(sh(2026, 11, 26, 10, 4))
    assert len(events) == 1 and isinstance(events[0], SlaBreached)
    assert events[0].responsible_id == "agent-1" and events[0].breached_at == target.due_at
    assert ticket.check_sla(sh(2026, 11, 26, 10, 5)) == []  # recorded once
    assert ticket.timeline[-1].action == "sla_breached"


def test_t2_warning_comes_before_the_breach(open_ticket, sh):
    ticket = open_ticket(at=sh(2026, 11, 26, 10, 0))
    target = ticket.target("first_response")
    assert target.warn_at == sh(2026, 11, 26, 10, 2) + timedelta(seconds=24)
    events = ticket.check_sla(target.warn_at)
    assert [type(e) for e in events] == [SlaWarned]
    assert ticket.check_sla(target.warn_at + timedelta(seconds=1)) == []


def test_t2_response_margin_is_measured_in_staffed_time(open_ticket, clock, sh):
    early = open_ticket(at=sh(2026, 11, 26, 11, 29))
    early.respond("agent-1", sh(2026, 11, 26, 12, 31), "您好", clock)
    assert early.target("first_response").margin_seconds == 60
    late = open_ticket(at=sh(2026, 11, 26, 11, 29))
    events = late.respond("agent-1", sh(2026, 11, 26, 12, 40), "您好", clock)
    assert late.target("first_response").margin_seconds == -8 * 60
    assert [e.name for e in events] == ["FirstResponded", "SlaBreached"]


def test_t9_key_customer_first_response_is_tighter(open_ticket, sh):
    ticket = open_ticket(at=sh(2026, 11, 26, 10, 0), tier="key")
    target = ticket.target("first_response")
    assert (target.policy_name, target.due_at) == ("first_response_key", sh(2026, 11, 26, 10, 2))


def test_t3_major_complaint_due_in_one_working_day_over_a_holiday(open_ticket, sh):
    ticket = open_ticket(kind="complaint", grade="major", at=sh(2026, 9, 30, 10, 0))
    assert ticket.target("rectification").due_at == sh(2026, 10, 8, 10, 0)


def test_t3_general_complaint_due_in_three_working_days(open_ticket, sh):
    ticket = open_ticket(kind="complaint", grade="general", at=sh(2026, 9, 30, 10, 0))
    assert ticket.target("rectification").due_at == sh(2026, 10, 12, 10, 0)  # Thu, Fri, Mon


def test_t3_complaint_on_a_holiday_counts_from_next_working_morning(open_ticket, sh):
    ticket = open_ticket(kind="complaint", grade="major", at=sh(2026, 10, 3, 15, 0))
    assert ticket.target("rectification").due_at == sh(2026, 10, 9, 9, 0)


def test_t3_consultation_has_no_rectification_target(open_ticket):
    assert open_ticket().target("rectification") is None


def test_t3_t9_most_specific_policy_wins_and_policies_are_editable_data(calendar, sh):
    attrs = {"kind": "complaint", "grade": "major", "tier": "key", "channel": "im"}
    assert select_policies(DEFAULT_POLICIES, attrs, "rectification").name == "rectify_major"
    vip = SlaPolicy(
        name="rectify_major_key",
        applies_to=PolicyMatch(kind="complaint", grade="major", tier="key"),
        metric="rectification",
        amount=4,
        unit="calendar_days",
    )
    chosen = select_policies((*DEFAULT_POLICIES, vip), attrs, "rectification")
    assert chosen is vip
    assert compute_due(chosen, sh(2026, 9, 30, 10), calendar) == sh(2026, 10, 4, 10)


def test_policy_validation_refuses_nonsense():
    with pytest.raises(ValueError):
        SlaPolicy(name="x", metric="callback", amount=0, unit="calendar_days")


def test_t2_sweep_breaches_past_due_targets_and_warns_of_those_coming_due(calendar, sh):
    clock = SlaClock(calendar)
    attrs = policy_attrs("complaint", "major", "regular", "im", "customer")
    response = clock.start("first_response", attrs, sh(2026, 11, 26, 10), "agent-1")
    rectify = clock.start("rectification", attrs, sh(2026, 11, 26, 10), "agent-1")
    events = sweep([response, rectify], "TK-20261126-0001", sh(2026, 11, 27, 9))
    assert [(type(e), e.metric) for e in events] == [
        (SlaBreached, "first_response"), (SlaWarned, "rectification")]
    assert response.breached_at == response.due_at and rectify.warned_at == sh(2026, 11, 27, 9)
    assert sweep([response, rectify], "TK-20261126-0001", sh(2026, 11, 27, 9, 30)) == []


def test_t2_a_target_met_late_is_breached_once(calendar, sh):
    clock = SlaClock(calendar)
    attrs = policy_attrs("consultation", None, "regular", "im", "customer")
    late = clock.start("first_response", attrs, sh(2026, 11, 26, 10), "agent-1")
    [breach] = clock.meet_or_breach(late, "TK-20261126-0001", sh(2026, 11, 26, 10, 5))
    assert breach.responsible_id == "agent-1" and breach.breached_at == late.due_at
    assert clock.meet_or_breach(late, "TK-20261126-0001", sh(2026, 11, 26, 10, 6)) == []
    on_time = clock.start("first_response", attrs, sh(2026, 11, 26, 10), "agent-1")
    assert clock.meet_or_breach(on_time, "TK-20261126-0001", sh(2026, 11, 26, 10, 1)) == []
    assert clock.meet_or_breach(None, "TK-20261126-0001", sh(2026, 11, 26, 10, 1)) == []
