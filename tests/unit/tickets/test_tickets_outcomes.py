"""T11 suggestion adoption, T12 complaint verification, L1 return requests, T10 article use."""

import pytest

from tickets.domain.errors import NotAllowed, ValidationFailed
from tickets.domain.events import ReturnItem


@pytest.mark.parametrize("points", [3, 20])
def test_t11_manager_adopts_suggestion_for_3_to_20_points(open_ticket, sh, points):
    ticket = open_ticket(kind="suggestion", description="客服话术增加尺码对照表")
    events = ticket.adopt_suggestion("mgr-1", "manager", sh(2026, 11, 27), "agent-7", points)
    assert events[0].name == "SuggestionAdopted"
    assert (events[0].author_staff_id, events[0].points, events[0].adopted_by) == (
        "agent-7",
        points,
        "mgr-1",
    )


@pytest.mark.parametrize("points", [2, 21, 5.0])
def test_t11_points_outside_3_to_20_are_refused(open_ticket, sh, points):
    ticket = open_ticket(kind="suggestion")
    with pytest.raises(ValidationFailed, match="3 to 20"):
        ticket.adopt_suggestion("mgr-1", "manager", sh(2026, 11, 27), "agent-7", points)


def test_t11_only_the_manager_adopts_and_only_once(open_ticket, sh):
    ticket = open_ticket(kind="suggestion")
    with pytest.raises(NotAllowed):
        ticket.adopt_suggestion("sup-1", "supervisor", sh(2026, 11, 27), "agent-7", 5)
    ticket.adopt_suggestion("mgr-1", "manager", sh(2026, 11, 27), "agent-7", 5)
    with pytest.raises(ValidationFailed, match="already"):
        ticket.adopt_suggestion("mgr-1", "manager", sh(2026, 11, 28), "agent-7", 5)


def test_t12_supervisor_verifies_staff_complaint_with_note(open_ticket, sh):
    ticket = open_ticket(kind="complaint", grade="general")
    events = ticket.verify_staff_complaint(
        "sup-1", "supervisor", sh(2026, 11, 27), "agent-3", "录音核实态度恶劣"
    )
    assert events[0].name == "ComplaintVerified"
    assert (events[0].staff_id, events[0].points, events[0].verified_by) == ("agent-3", -3, "sup-1")
    assert ticket.timeline[-1].action == "complaint_verified"
    with pytest.raises(ValidationFailed, match="already"):
        ticket.verify_staff_complaint("mgr-1", "manager", sh(2026, 11, 28), "agent-3", "再次核实")


def test_t12_verification_needs_supervisor_role_and_a_note(open_ticket, sh):
    ticket = open_ticket(kind="complaint", grade="general")
    with pytest.raises(NotAllowed):
        ticket.verify_staff_complaint("agent-1", "aftersales", sh(2026, 11, 27), "agent-3", "属实")
    with pytest.raises(ValidationFailed, match="note"):
        ticket.verify_staff_complaint("sup-1", "supervisor", sh(2026, 11, 27), "agent-3", " ")
    with pytest.raises(ValidationFailed, match="only complaints"):
        open_ticket().verify_staff_complaint("sup-1", "supervisor", sh(2026, 11, 27), "a", "n")


def test_l1_return_request_from_aftersales_ticket(open_ticket, sh):
    ticket = open_ticket(kind="aftersales", customer_id="c-9")
    items = [ReturnItem(sku="SHOE-42-BLK", quantity=1)]
    events = ticket.request_return(
        "agent-1", sh(2026, 11, 26, 11), "exchange", "ORD-1", items, "尺码偏小", True, "SHOE-43-BLK"
    )
    assert events[0].name == "ReturnRequested" and events[0].customer_id == "c-9"
    assert events[0].to_dict()["type"] == "ReturnRequested"
    with pytest.raises(ValidationFailed, match="wanted_replacement"):
        ticket.request_return(
            "agent-1", sh(2026, 11, 26, 11), "exchange", "ORD-1", items, "尺码偏小"
        )


def test_t10_ticket_remembers_article_versions_used(open_ticket, sh):
    ticket = open_ticket()
    ticket.use_article("agent-1", sh(2026, 11, 26, 10, 2), "kb-7", 3)
    ticket.use_article("agent-1", sh(2026, 11, 26, 10, 3), "kb-7", 3)
    assert ticket.articles == ["kb-7@v3"]
