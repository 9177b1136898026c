"""T2: when the customer asked; the opening clocks start then, within the intake policy."""

from datetime import timedelta

import pytest

from tickets.domain.errors import ValidationFailed
from tickets.domain.intake import CLOCK_SKEW, IntakePolicy
from tickets.domain.sla import opening_targets, policy_attrs


def test_t2_asked_at_defaults_to_when_the_request_is_logged(sh):
    assert IntakePolicy().asked_at(None, sh(2026, 11, 26, 10)) == sh(2026, 11, 26, 10)


def test_t2_asked_at_earlier_within_the_bound_is_kept(sh):
    logged = sh(2026, 11, 26, 10)
    assert IntakePolicy().asked_at(logged - timedelta(hours=71), logged) == \
        logged - timedelta(hours=71)


@pytest.mark.parametrize("offset", [CLOCK_SKEW + timedelta(seconds=1), timedelta(hours=-73)])
def test_t2_asked_at_in_the_future_or_too_old_is_refused(sh, offset):
    logged = sh(2026, 11, 26, 10)
    with pytest.raises(ValidationFailed) as refused:
        IntakePolicy().asked_at(logged + offset, logged)
    assert refused.value.field == "asked_at"


def test_t2_clock_skew_is_tolerated_and_the_clock_starts_no_later_than_now(sh):
    logged = sh(2026, 11, 26, 10)
    assert IntakePolicy().asked_at(logged + CLOCK_SKEW, logged) == logged


def test_t2_the_age_bound_is_policy(sh):
    logged = sh(2026, 11, 26, 10)
    with pytest.raises(ValidationFailed):
        IntakePolicy(max_asked_age_hours=1).asked_at(logged - timedelta(hours=2), logged)


def test_t2_ticket_asked_earlier_starts_its_opening_clocks_then(open_ticket, sh):
    asked = sh(2026, 11, 26, 9, 40)
    ticket = open_ticket(asked_at=asked, kind="complaint", grade="major")
    assert ticket.asked_at == asked and ticket.created_at == sh(2026, 11, 26, 10)
    first = ticket.target("first_response")
    assert first.started_at == asked and first.due_at == sh(2026, 11, 26, 9, 43)
    assert ticket.target("rectification").started_at == asked
    assert ticket.timeline[0].details["asked_at"] == asked


def test_t2_opening_targets_are_what_an_opening_records(open_ticket, clock, sh):
    ticket = open_ticket(kind="complaint", grade="general")
    attrs = policy_attrs("complaint", "general", "regular", "im", "customer")
    preview = opening_targets(clock, attrs, sh(2026, 11, 26, 10), "agent-1")
    assert preview == ticket.sla
