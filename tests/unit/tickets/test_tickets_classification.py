"""T11/T12 classification: category for suggestions, subject and staff member for complaints,
a short summary for both; who may change them; how T12 verification relates to them."""

import pytest

from tickets.domain.classification import Classification, about_staff, keep_verified
from tickets.domain.errors import NotAllowed, ValidationFailed

CATEGORIES = ["product", "website"]


def _field(excinfo: pytest.ExceptionInfo) -> str | None:
    return excinfo.value.field


def test_t11_suggestion_opens_with_a_listed_category_and_a_timeline_line(open_ticket):
    ticket = open_ticket(kind="suggestion", classification=Classification(category="website"),
                         categories=CATEGORIES, actor_id="agent-1")
    assert ticket.category == "website"
    assert [e.action for e in ticket.timeline] == ["opened", "classified"]
    assert ticket.timeline[-1].details == {"category": "website"}
    assert ticket.timeline[-1].actor_id == "agent-1"


def test_t11_category_must_be_listed_and_only_suggestions_have_one(open_ticket):
    with pytest.raises(ValidationFailed, match="unknown") as unknown:
        open_ticket(kind="suggestion", classification=Classification(category="price"),
                    categories=CATEGORIES)
    with pytest.raises(ValidationFailed, match="only suggestions") as wrong_kind:
        open_ticket(kind="complaint", grade="general",
                    classification=Classification(category="website"), categories=CATEGORIES)
    assert _field(unknown) == _field(wrong_kind) == "category"


def test_t11_a_removed_category_stays_on_the_ticket_that_carries_it(open_ticket, sh):
    ticket = open_ticket(kind="suggestion", classification=Classification(category="website"),
                         categories=CATEGORIES)
    ticket.classify("agent-1", "aftersales", sh(2026, 11, 27), {"summary": "加尺码表"},
                    ["product"])
    assert (ticket.category, ticket.summary) == ("website", "加尺码表")


def test_t12_subject_only_for_complaints_and_staff_id_only_for_staff_service(open_ticket):
    with pytest.raises(ValidationFailed) as not_complaint:
        open_ticket(kind="suggestion", classification=Classification(subject="product"))
    assert _field(not_complaint) == "subject"
    with pytest.raises(ValidationFailed) as product_with_staff:
        open_ticket(kind="complaint", grade="major",
                    classification=Classification(subject="product", staff_id="as-1"))
    assert _field(product_with_staff) == "staff_id"
    with pytest.raises(ValidationFailed) as unknown_subject:
        open_ticket(kind="complaint", grade="major",
                    classification=Classification(subject="price"))  # type: ignore[arg-type]
    assert _field(unknown_subject) == "subject"
    ticket = open_ticket(kind="complaint", grade="major", classification=Classification(
        subject="staff_service", staff_id="as-1"))
    assert (ticket.subject, ticket.staff_id) == ("staff_service", "as-1")


def test_t11_t12_assignee_or_supervisor_classifies_and_the_timeline_says_who(open_ticket, sh):
    ticket = open_ticket(kind="complaint", grade="general", assignee_id="agent-1")
    with pytest.raises(NotAllowed):
        ticket.classify("agent-2", "aftersales", sh(2026, 11, 27), {"subject": "product"}, [])
    ticket.classify("agent-1", "aftersales", sh(2026, 11, 27), {"subject": "product"}, [])
    ticket.classify("sup-1", "supervisor", sh(2026, 11, 28), {"summary": " 鞋底开胶 "}, [])
    assert (ticket.subject, ticket.summary) == ("product", "鞋底开胶")
    assert (ticket.summary_by, ticket.summary_at) == ("sup-1", sh(2026, 11, 28))
    last = ticket.timeline[-1]
    assert (last.action, last.actor_id, last.at, last.details) == (
        "classified", "sup-1", sh(2026, 11, 28), {"summary": "鞋底开胶"})
    ticket.classify("sup-1", "supervisor", sh(2026, 11, 29), {"summary": "鞋底开胶"}, [])
    assert ticket.timeline[-1].at == sh(2026, 11, 28)  # nothing changed, nothing logged


def test_t12_moving_away_from_staff_service_drops_the_staff_id(open_ticket, sh):
    ticket = open_ticket(kind="complaint", grade="general", classification=Classification(
        subject="staff_service", staff_id="as-1"))
    ticket.classify("agent-1", "aftersales", sh(2026, 11, 27), {"subject": "logistics"}, [])
    assert (ticket.subject, ticket.staff_id) == ("logistics", None)
    with pytest.raises(ValidationFailed) as named:
        ticket.classify("agent-1", "aftersales", sh(2026, 11, 27),
                        {"subject": "product", "staff_id": "as-1"}, [])
    assert _field(named) == "staff_id"


def test_t11_t12_summary_is_for_suggestions_and_complaints_and_at_most_500_characters(
        open_ticket, sh):
    with pytest.raises(ValidationFailed) as consultation:
        open_ticket().classify("agent-1", "aftersales", sh(2026, 11, 27), {"summary": "x"}, [])
    assert _field(consultation) == "summary"
    ticket = open_ticket(kind="suggestion")
    ticket.classify("agent-1", "aftersales", sh(2026, 11, 27), {"summary": "长" * 500}, [])
    with pytest.raises(ValidationFailed, match="500") as too_long:
        ticket.classify("agent-1", "aftersales", sh(2026, 11, 27), {"summary": "长" * 501}, [])
    assert _field(too_long) == "summary"
    with pytest.raises(ValidationFailed) as unknown:
        ticket.classify("agent-1", "aftersales", sh(2026, 11, 27), {"grade": "major"}, [])
    assert _field(unknown) == "grade"


def test_t12_verification_classifies_an_unclassified_complaint(open_ticket, sh):
    ticket = open_ticket(kind="complaint", grade="general")
    events = ticket.verify_staff_complaint("sup-1", "supervisor", sh(2026, 11, 27), "as-3", "属实")
    assert (ticket.subject, ticket.staff_id, events[0].staff_id) == ("staff_service", "as-3",
                                                                     "as-3")
    assert [e.action for e in ticket.timeline][-2:] == ["classified", "complaint_verified"]


def test_t12_only_a_complaint_about_that_staff_members_service_is_verified(open_ticket, sh):
    about_product = open_ticket(kind="complaint", grade="general",
                                classification=Classification(subject="product"))
    with pytest.raises(ValidationFailed, match="reclassify") as product:
        about_product.verify_staff_complaint("sup-1", "supervisor", sh(2026, 11, 27), "as-3", "n")
    assert _field(product) == "subject"
    about_as1 = open_ticket(kind="complaint", grade="general", classification=Classification(
        subject="staff_service", staff_id="as-1"))
    with pytest.raises(ValidationFailed, match="about as-1, not as-3") as other:
        about_as1.verify_staff_complaint("sup-1", "supervisor", sh(2026, 11, 27), "as-3", "n")
    assert _field(other) == "staff_id"
    assert about_as1.verified_staff_ids == [] and about_product.subject == "product"


def test_t12_a_verified_complaint_keeps_its_subject_and_staff_member(open_ticket, sh):
    ticket = open_ticket(kind="complaint", grade="general", assignee_id="agent-1")
    ticket.verify_staff_complaint("sup-1", "supervisor", sh(2026, 11, 27), "as-3", "属实")
    for changes in ({"subject": "product"}, {"staff_id": "as-4"}, {"staff_id": None}):
        with pytest.raises(ValidationFailed, match="keeps") as kept:
            ticket.classify("sup-1", "supervisor", sh(2026, 11, 28), changes, [])
        assert _field(kept) == "subject"
    ticket.classify("agent-1", "aftersales", sh(2026, 11, 28), {"summary": "态度问题属实"}, [])
    assert (ticket.subject, ticket.staff_id, ticket.summary) == (
        "staff_service", "as-3", "态度问题属实")


def test_t12_verifying_against_a_staff_member_classifies_by_rule():
    assert about_staff(Classification(summary="s"), "as-3") == Classification(
        subject="staff_service", staff_id="as-3", summary="s")
    with pytest.raises(ValidationFailed) as other:
        about_staff(Classification(subject="staff_service", staff_id="as-1"), "as-3")
    assert _field(other) == "staff_id"
    verified = Classification(subject="staff_service", staff_id="as-3")
    keep_verified(verified, Classification(subject="staff_service", staff_id="as-3",
                                           summary="new"), ["as-3"])
    with pytest.raises(ValidationFailed, match="keeps"):
        keep_verified(verified, Classification(subject="product"), ["as-3"])
