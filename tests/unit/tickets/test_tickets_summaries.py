"""T11 suggestion summaries per category, T12 complaint summaries per grade and subject."""

from datetime import datetime

import pytest

from tickets.domain.model import Period
from tickets.domain.summaries import complaint_summary, suggestion_summary
from tickets.domain.ticket import Ticket

CATEGORIES = ["product", "service", "website"]


@pytest.fixture
def november(sh) -> Period:
    return Period(sh(2026, 11, 1), sh(2026, 12, 1))


@pytest.fixture
def suggestion(open_ticket, sh):
    def build(n: int, category: str | None = None, at: datetime | None = None) -> Ticket:
        ticket = open_ticket(number=f"TK-20261126-{n:04d}", kind="suggestion",
                             at=at or sh(2026, 11, 26, 10))
        if category:
            ticket.classify("agent-1", "aftersales", sh(2026, 11, 26, 11), {"category": category},
                            CATEGORIES)
        return ticket

    return build


def _by_category(rows) -> dict:
    return {row.category: row for row in rows}


def test_t11_suggestions_counted_per_category_with_adoptions_and_points(
        suggestion, sh, november, clock):
    adopted = suggestion(1, "website")
    adopted.adopt_suggestion("mgr-1", "manager", sh(2026, 11, 27), "agent-7", 10)
    also = suggestion(2, "website")
    also.adopt_suggestion("mgr-1", "manager", sh(2026, 11, 27), "agent-8", 3)
    handled = suggestion(3, "website")
    handled.respond("agent-1", sh(2026, 11, 26, 12), "谢谢建议", clock)
    handled.mark_rectified("agent-1", sh(2026, 11, 26, 13), "已转产品部", clock)
    product = suggestion(4, "product")
    rows = _by_category(suggestion_summary([adopted, also, handled, product], november,
                                           CATEGORIES))
    website = rows["website"]
    assert (website.count, website.adopted, website.points_awarded, website.open) == (3, 2, 13, 2)
    assert (rows["product"].count, rows["product"].adopted, rows["product"].open) == (1, 0, 1)


def test_t11_every_listed_category_shows_then_removed_ones_then_unclassified(
        suggestion, november):
    tickets = [suggestion(1, "website"), suggestion(2)]
    tickets[0].category = "gone"  # a category the manager has since removed
    rows = suggestion_summary(tickets, november, CATEGORIES)
    assert [row.category for row in rows] == ["product", "service", "website", "gone", None]
    assert [row.count for row in rows] == [0, 0, 0, 1, 1]


def test_t11_latest_summaries_newest_first_with_author_and_adopted_points(
        suggestion, sh, november):
    tickets = [suggestion(n, "service") for n in (1, 2, 3)]
    for n, ticket in enumerate(tickets, start=1):
        ticket.reassign("sup-1", sh(2026, 11, 26, 12), f"agent-{n}")
        ticket.classify(f"agent-{n}", "aftersales", sh(2026, 11, 26, 12, n),
                        {"summary": f"建议{n}"}, CATEGORIES)
    tickets[2].adopt_suggestion("mgr-1", "manager", sh(2026, 11, 27), "agent-3", 20)
    row = _by_category(suggestion_summary(tickets, november, CATEGORIES, latest=2))["service"]
    assert [(line.ticket_number, line.summary, line.author_id, line.adopted_points)
            for line in row.latest] == [("TK-20261126-0003", "建议3", "agent-3", 20),
                                        ("TK-20261126-0002", "建议2", "agent-2", None)]
    assert row.latest[0].written_at == sh(2026, 11, 26, 12, 3)


def test_t11_outside_the_period_other_kinds_and_merged_duplicates_do_not_count(
        suggestion, open_ticket, sh, november):
    earlier = suggestion(1, "website", at=sh(2026, 10, 31, 23, 59))
    duplicate, kept = suggestion(2, "website"), suggestion(3, "website")
    duplicate.merge_into(kept, "agent-1", sh(2026, 11, 26, 12))
    complaint = open_ticket(number="TK-20261126-0009", kind="complaint", grade="general")
    rows = suggestion_summary([earlier, duplicate, kept, complaint], november, CATEGORIES)
    assert _by_category(rows)["website"].count == 1
    assert None not in _by_category(rows)


def test_t12_complaints_per_grade_and_subject_with_rectified_in_time(open_ticket, sh, clock,
                                                                     november):
    def complaint(n: int, grade: str, subject: str | None, rectified: datetime | None) -> Ticket:
        ticket = open_ticket(number=f"TK-20261126-{n:04d}", kind="complaint", grade=grade,
                             at=sh(2026, 11, 26, 10))
        if subject:
            ticket.classify("agent-1", "aftersales", sh(2026, 11, 26, 10, 1),
                            {"subject": subject}, [])
        ticket.respond("agent-1", sh(2026, 11, 26, 10, 2), "您好", clock)
        if rectified:
            ticket.mark_rectified("agent-1", rectified, "已处理", clock)
        return ticket

    tickets = [
        complaint(1, "major", "product", sh(2026, 11, 26, 17)),  # due Fri 27th 10:00: in time
        complaint(2, "major", "product", sh(2026, 11, 30, 9)),  # late
        complaint(3, "major", "product", None),  # not rectified yet
        complaint(4, "general", "logistics", sh(2026, 12, 1, 9)),  # 3 working days: in time
        complaint(5, "general", None, None),
    ]
    figures = complaint_summary(tickets, november)
    groups = {(g.grade, g.subject): (g.count, g.rectified_in_time) for g in figures.groups}
    assert len(groups) == 8  # every grade × (product, logistics, staff_service, unclassified)
    assert groups[("major", "product")] == (3, 1)
    assert groups[("general", "logistics")] == (1, 1)
    assert groups[("general", None)] == (1, 0)
    assert groups[("major", "staff_service")] == (0, 0)
    assert figures.verified_staff == ()


def test_t12_verified_staff_complaints_cost_3_points_each_per_staff_member(open_ticket, sh,
                                                                           november):
    def verified(n: int, staff_id: str) -> Ticket:
        ticket = open_ticket(number=f"TK-20261126-{n:04d}", kind="complaint", grade="general")
        ticket.verify_staff_complaint("sup-1", "supervisor", sh(2026, 11, 27), staff_id, "属实")
        return ticket

    unverified = open_ticket(number="TK-20261126-0009", kind="complaint", grade="general")
    unverified.classify("sup-1", "supervisor", sh(2026, 11, 26, 11),
                        {"subject": "staff_service", "staff_id": "as-9"}, [])
    figures = complaint_summary(
        [verified(1, "as-2"), verified(2, "as-1"), verified(3, "as-2"), unverified], november)
    assert [(s.staff_id, s.verified_complaints, s.points) for s in figures.verified_staff] == [
        ("as-1", 1, -3), ("as-2", 2, -6)]
    groups = {(g.grade, g.subject): g.count for g in figures.groups}
    assert groups[("general", "staff_service")] == 4
