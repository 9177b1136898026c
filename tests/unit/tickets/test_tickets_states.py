"""The ticket state machine refuses impossible moves and says what is allowed."""

import pytest

from tickets.domain.errors import TransitionRefused
from tickets.domain.states import TRANSITIONS, TicketState, allowed_targets, check_transition


def test_refused_transition_lists_allowed_states():
    with pytest.raises(TransitionRefused) as refused:
        check_transition(TicketState.NEW, TicketState.CLOSED)
    assert refused.value.code == "transition_refused"
    assert refused.value.allowed == ["open", "escalated", "transferred", "merged"]
    assert "allowed: open, escalated, transferred, merged" in refused.value.detail


def test_closed_and_merged_are_terminal():
    for state in (TicketState.CLOSED, TicketState.MERGED):
        assert allowed_targets(state) == []
        with pytest.raises(TransitionRefused, match="none"):
            check_transition(state, TicketState.OPEN)


def test_every_state_has_a_transition_row():
    assert set(TRANSITIONS) == set(TicketState)


def test_t7_escalated_may_escalate_again_to_the_next_level():
    check_transition(TicketState.ESCALATED, TicketState.ESCALATED)


def test_refused_move_on_a_ticket_leaves_it_unchanged(open_ticket, sh):
    ticket = open_ticket()
    with pytest.raises(TransitionRefused):
        ticket.wait_for_customer("agent-1", sh(2026, 11, 26, 10, 1), "等待客户回复")
    assert ticket.state is TicketState.NEW and len(ticket.timeline) == 1


def test_t8_pending_customer_round_trip_is_on_the_timeline(open_ticket, clock, sh):
    ticket = open_ticket()
    ticket.respond("agent-1", sh(2026, 11, 26, 10, 1), "请提供订单号", clock)
    ticket.wait_for_customer("agent-1", sh(2026, 11, 26, 10, 2), "等订单号")
    ticket.customer_replied(sh(2026, 11, 26, 10, 30), "订单号 ORD-1")
    assert ticket.state is TicketState.OPEN
    actions = [e.action for e in ticket.timeline]
    assert actions == ["opened", "first_responded", "state_changed", "customer_replied"]
