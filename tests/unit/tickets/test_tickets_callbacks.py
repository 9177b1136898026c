"""T4 callbacks after rectification and T6 special-service follow-up."""

from datetime import timedelta

import pytest

from tickets.domain.callbacks import Callback, Confirmation
from tickets.domain.errors import CallbackRequired, TransitionRefused, ValidationFailed
from tickets.domain.model import Kind, Origin
from tickets.domain.outcomes import (
    clocks_after_rectification,
    needs_callback,
    rectified_state,
    require_closable,
)
from tickets.domain.states import TicketState


def _callback(sh, confirmed=True, satisfaction=5, day=28):
    confirmation = Confirmation("code", "834201") if confirmed else None
    return Callback(
        question="问题解决了吗？",
        satisfaction=satisfaction,
        at=sh(2026, 11, day, 15),
        by="agent-1",
        confirmation=confirmation,
    )


@pytest.fixture
def rectified(open_ticket, clock, sh):
    def build(grade):
        ticket = open_ticket(kind="complaint", grade=grade)
        ticket.respond("agent-1", sh(2026, 11, 26, 10, 1), "已收到，马上处理", clock)
        ticket.mark_rectified("agent-1", sh(2026, 11, 27, 9, 0), "已补发鞋垫", clock)
        return ticket

    return build


@pytest.mark.parametrize(("grade", "weeks"), [("major", 1), ("general", 2)])
def test_t4_callback_due_one_or_two_weeks_after_rectification(rectified, sh, grade, weeks):
    ticket = rectified(grade)
    assert ticket.state is TicketState.AWAITING_CALLBACK
    due = ticket.target("callback").due_at
    assert due == sh(2026, 11, 27, 9, 0) + timedelta(weeks=weeks)


def test_t4_close_refused_without_confirmed_callback(rectified, sh):
    ticket = rectified("major")
    with pytest.raises(CallbackRequired) as refused:
        ticket.close("agent-1", sh(2026, 11, 28, 9))
    assert refused.value.code == "callback_required"
    assert refused.value.current == TicketState.AWAITING_CALLBACK
    assert TicketState.CLOSED not in refused.value.allowed
    assert ticket.state is TicketState.AWAITING_CALLBACK


def test_t4_unconfirmed_callback_is_recorded_but_does_not_close(rectified, clock, sh):
    ticket = rectified("major")
    events = ticket.record_callback(_callback(sh, confirmed=False), clock)
    assert [e.name for e in events] == ["CallbackRecorded"]
    assert ticket.state is TicketState.AWAITING_CALLBACK
    assert ticket.target("callback").met_at is None


def test_t4_confirmed_callback_meets_target_and_closes(rectified, clock, sh):
    ticket = rectified("major")
    events = ticket.record_callback(_callback(sh), clock)
    assert [e.name for e in events] == ["CallbackRecorded", "TicketClosed"]
    target = ticket.target("callback")
    assert target.met_at == sh(2026, 11, 28, 15)
    assert target.margin_seconds == (target.due_at - target.met_at).total_seconds()
    assert ticket.state is TicketState.CLOSED


def test_t4_callback_refused_before_rectification(open_ticket, clock, sh):
    ticket = open_ticket(kind="complaint", grade="general")
    with pytest.raises(ValidationFailed, match="after rectification"):
        ticket.record_callback(_callback(sh), clock)


@pytest.mark.parametrize("score", [0, 6, True])
def test_t4_satisfaction_outside_one_to_five_is_refused(sh, score):
    with pytest.raises(ValidationFailed, match="satisfaction"):
        _callback(sh, satisfaction=score)


def test_t4_empty_confirmation_is_refused():
    with pytest.raises(ValidationFailed):
        Confirmation("signature_ref", "  ")
    with pytest.raises(ValidationFailed):
        Confirmation("fingerprint", "x")  # type: ignore[arg-type]


def test_t3_rectification_target_met_with_margin(rectified, sh):
    target = rectified("major").target("rectification")
    assert target.due_at == sh(2026, 11, 27, 10, 0)
    assert (target.met_at, target.margin_seconds) == (sh(2026, 11, 27, 9, 0), 3600)


def test_t6_special_service_payment_notice_and_callback(open_ticket, clock, sh):
    ticket = open_ticket(kind="special_service", description="上门量脚定制")
    ticket.respond("agent-1", sh(2026, 11, 26, 10, 1), "已预约", clock)
    ticket.mark_rectified("agent-1", sh(2026, 11, 27, 16, 0), "服务完成", clock)  # Friday
    notice, callback = ticket.target("payment_notice"), ticket.target("callback")
    assert notice.due_at == sh(2026, 11, 30, 16, 0)  # next working day: Monday
    assert callback.due_at == sh(2026, 12, 4, 16, 0)
    events = ticket.record_payment_notice("agent-1", sh(2026, 11, 30, 10, 0), clock)
    assert [e.name for e in events] == ["PaymentNoticeSent"]
    assert notice.margin_seconds == 6 * 3600
    with pytest.raises(CallbackRequired):
        ticket.close("agent-1", sh(2026, 11, 30, 11, 0))


def test_t6_payment_notice_refused_once_the_ticket_is_closed(open_ticket, clock, sh):
    ticket = open_ticket(kind="special_service", description="上门量脚定制")
    ticket.respond("agent-1", sh(2026, 11, 26, 10, 1), "已预约", clock)
    ticket.mark_rectified("agent-1", sh(2026, 11, 27, 16, 0), "服务完成", clock)
    ticket.record_callback(Callback(question="满意吗？", satisfaction=5, at=sh(2026, 11, 30, 9),
                                    by="agent-1", confirmation=Confirmation(
                                        kind="code", value="8841")), clock)
    assert ticket.state is TicketState.CLOSED
    with pytest.raises(TransitionRefused) as refused:
        ticket.record_payment_notice("agent-1", sh(2026, 11, 30, 10, 0), clock)
    assert refused.value.current == TicketState.CLOSED


def test_t4_t5_t6_complaints_special_services_and_survey_opinions_end_with_a_callback():
    assert needs_callback(Kind.COMPLAINT, Origin.CUSTOMER)
    assert needs_callback(Kind.SPECIAL_SERVICE, Origin.CUSTOMER)
    assert needs_callback(Kind.AFTERSALES, Origin.SURVEY)
    assert not needs_callback(Kind.AFTERSALES, Origin.CUSTOMER)
    assert rectified_state(True) is TicketState.AWAITING_CALLBACK
    assert rectified_state(False) is TicketState.RECTIFIED


def test_t4_t6_rectification_starts_the_callback_and_payment_notice_clocks():
    assert clocks_after_rectification(Kind.COMPLAINT, True) == ("callback",)
    assert clocks_after_rectification(Kind.SPECIAL_SERVICE, True) == (
        "callback", "payment_notice")
    assert clocks_after_rectification(Kind.AFTERSALES, False) == ()


def test_t4_only_a_confirmed_callback_lets_a_ticket_close(sh):
    with pytest.raises(CallbackRequired) as refused:
        require_closable(TicketState.AWAITING_CALLBACK, True, [_callback(sh, confirmed=False)])
    assert refused.value.allowed == ["open"]
    require_closable(TicketState.AWAITING_CALLBACK, True, [_callback(sh)])
    require_closable(TicketState.RECTIFIED, False, [])
