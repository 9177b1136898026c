"""T3 rectification, T4 callbacks with confirmation, T6 payment notices, closing; on fakes."""

from __future__ import annotations

import pytest

from tickets.application import ticket_resolution as resolution
from tickets.application.ticket_resolution import CallbackInput
from tickets.application.ticket_work import respond
from tickets.domain.errors import CallbackRequired, ValidationFailed
from tickets.domain.model import ComplaintGrade, Kind
from tickets.domain.states import TicketState
from unit.tickets.fakes import fake_deps, store_of
from unit.tickets.fakes.builders import AGENT, opened


async def _rectified(deps, grade: ComplaintGrade = ComplaintGrade.MAJOR):
    ticket = await opened(deps, grade=grade)
    await respond(deps, AGENT, ticket.number, "已收到")
    return await resolution.rectify(deps, AGENT, ticket.number, "已补发")


async def test_t3_rectifying_a_major_complaint_in_time_meets_its_target() -> None:
    deps = fake_deps()

    rectified = await _rectified(deps)

    assert rectified.state is TicketState.AWAITING_CALLBACK
    target = rectified.target("rectification")
    assert target is not None and target.met_at is not None and target.breached_at is None


async def test_t4_rectification_starts_the_callback_clock_of_a_week_for_a_major_one() -> None:
    deps = fake_deps()

    rectified = await _rectified(deps)

    callback = rectified.target("callback")
    assert callback is not None
    assert (callback.due_at - rectified.rectified_at).days == 7


async def test_t4_a_callback_without_confirmation_does_not_close_or_publish() -> None:
    deps = fake_deps()
    ticket = await _rectified(deps)

    after = await resolution.record_callback(deps, AGENT, ticket.number,
                                             CallbackInput("满意吗？", 4))

    assert after.state is TicketState.AWAITING_CALLBACK
    assert store_of(deps).published("tickets.callback.completed") == []
    with pytest.raises(CallbackRequired):
        await resolution.close(deps, AGENT, ticket.number)


async def test_t4_a_confirmed_callback_closes_the_ticket_and_is_published() -> None:
    deps = fake_deps()
    ticket = await _rectified(deps)

    closed = await resolution.record_callback(
        deps, AGENT, ticket.number, CallbackInput("满意吗？", 5, "code", "8841"))

    assert closed.state is TicketState.CLOSED
    [completed] = store_of(deps).published("tickets.callback.completed")
    assert (completed.data["ticket_number"], completed.data["satisfaction"]) == (
        ticket.number, 5)


async def test_t4_a_callback_before_rectification_is_refused() -> None:
    deps = fake_deps()
    ticket = await opened(deps)

    with pytest.raises(ValidationFailed):
        await resolution.record_callback(deps, AGENT, ticket.number,
                                         CallbackInput("满意吗？", 5, "code", "1"))


async def test_t6_a_special_service_gets_its_payment_notice_and_callback_clock() -> None:
    deps = fake_deps()
    ticket = await opened(deps, Kind.SPECIAL_SERVICE)
    await respond(deps, AGENT, ticket.number, "已安排")

    noticed = await resolution.send_payment_notice(deps, AGENT, ticket.number)
    done = await resolution.rectify(deps, AGENT, ticket.number, "服务完成")

    assert "payment_notice_sent" in [e["action"] for e in
                                     await deps.reads.ticket_queries.timeline(noticed.number)]
    assert done.target("callback") is not None


async def test_t6_a_payment_notice_is_only_for_a_special_service() -> None:
    deps = fake_deps()
    ticket = await opened(deps, Kind.CONSULTATION)

    with pytest.raises(ValidationFailed):
        await resolution.send_payment_notice(deps, AGENT, ticket.number)


async def test_closing_a_consultation_after_an_answer() -> None:
    deps = fake_deps()
    ticket = await opened(deps, Kind.CONSULTATION)
    await respond(deps, AGENT, ticket.number, "偏大半码")

    closed = await resolution.close(deps, AGENT, ticket.number)

    assert closed.state is TicketState.CLOSED and closed.closed_at == deps.clock.now()
