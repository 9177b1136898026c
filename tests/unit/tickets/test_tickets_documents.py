"""Ticket ↔ document mapping and the scheduler's next check time (T2-T4, T8)."""

from __future__ import annotations

from datetime import timedelta

from tickets.domain.callbacks import Callback, Confirmation
from tickets.domain.classification import Classification
from tickets.domain.model import ComplaintGrade, ComplaintSubject, Kind
from tickets.domain.outcomes import has_confirmed_callback
from tickets.domain.states import TicketState
from tickets.storage.documents import next_sla_check, ticket_doc, ticket_from_doc


def test_t8_document_round_trip_keeps_state_targets_and_callbacks(open_ticket, clock, sh):
    ticket = open_ticket(kind=Kind.COMPLAINT, grade=ComplaintGrade.MAJOR)
    ticket.respond("agent-1", sh(2026, 11, 26, 10, 1), "您好", clock)
    ticket.mark_rectified("agent-1", sh(2026, 11, 26, 15), "已处理", clock)
    ticket.record_callback(Callback(question="满意吗", satisfaction=5, at=sh(2026, 11, 27, 10),
                                    by="agent-1", confirmation=Confirmation("code", "1234")),
                           clock)
    doc = ticket_doc(ticket)
    assert "timeline" not in doc and doc["state"] == "closed" and doc["grade"] == "major"
    back = ticket_from_doc({"_id": ticket.number, **doc})
    assert back.state is TicketState.CLOSED and back.kind is Kind.COMPLAINT
    assert back.grade is ComplaintGrade.MAJOR and has_confirmed_callback(back.callbacks)
    assert [t.metric for t in back.sla] == [t.metric for t in ticket.sla]
    assert back.target("callback").met_at == sh(2026, 11, 27, 10)
    assert back.timeline == ()


def test_t2_next_check_is_the_earliest_pending_warning_or_breach(open_ticket, sh):
    ticket = open_ticket(at=sh(2026, 11, 26, 10, 0))
    target = ticket.target("first_response")
    assert next_sla_check(ticket) == target.warn_at
    ticket.check_sla(target.warn_at)
    assert next_sla_check(ticket) == target.due_at
    ticket.check_sla(target.due_at + timedelta(seconds=1))
    assert next_sla_check(ticket) is None  # breached once: nothing more to raise


def test_t2_met_and_closed_tickets_need_no_check(open_ticket, clock, sh):
    ticket = open_ticket(at=sh(2026, 11, 26, 10, 0))
    ticket.respond("agent-1", sh(2026, 11, 26, 10, 1), "您好", clock)
    assert next_sla_check(ticket) is None
    complaint = open_ticket(kind=Kind.COMPLAINT, grade=ComplaintGrade.GENERAL)
    assert next_sla_check(complaint) is not None
    complaint.respond("agent-1", sh(2026, 11, 26, 10, 1), "您好", clock)
    assert next_sla_check(complaint) == complaint.target("rectification").warn_at


def test_t11_t12_classification_round_trips_and_old_documents_have_none(open_ticket, sh):
    ticket = open_ticket(kind=Kind.COMPLAINT, grade=ComplaintGrade.GENERAL)
    ticket.classify("sup-1", "supervisor", sh(2026, 11, 26, 11),
                    {"subject": "staff_service", "staff_id": "as-1", "summary": "态度差"}, [])
    doc = ticket_doc(ticket)
    assert (doc["subject"], doc["staff_id"], doc["summary_by"]) == ("staff_service", "as-1",
                                                                   "sup-1")
    back = ticket_from_doc({"_id": ticket.number, **doc})
    assert back.subject is ComplaintSubject.STAFF_SERVICE
    assert (back.staff_id, back.summary, back.summary_at) == ("as-1", "态度差",
                                                              sh(2026, 11, 26, 11))
    old = {k: v for k, v in doc.items()
           if k not in ("category", "subject", "staff_id", "summary", "summary_by", "summary_at")}
    assert ticket_from_doc({"_id": ticket.number, **old}).classification == Classification()
