"""T14 survey rounds and responses, T5 opinion dispatch deadlines; on fakes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tickets.application import surveys
from tickets.domain.errors import Conflict, TransitionRefused
from unit.tickets.fakes import clock_of, fake_deps
from unit.tickets.fakes.builders import SUPERVISOR

START, END = date(2026, 11, 1), date(2026, 11, 30)


async def _round(deps) -> str:
    record = await surveys.open_round(deps, SUPERVISOR, title="11月", starts_on=START,
                                      ends_on=END)
    return record.round.id


async def _answer(deps, round_id: str, customer: str, score: int, opinion: str = "",
                  agent: str = "as-1", ticket: str | None = None):
    return await surveys.record_response(
        deps, SUPERVISOR, round_id, customer_id=customer, agent_id=agent, ticket_number=ticket,
        score=score, opinion=opinion, answered_at=None)


async def test_t14_a_round_s_summary_averages_scores_per_agent() -> None:
    deps = fake_deps()
    round_id = await _round(deps)
    await _answer(deps, round_id, "CU-1", 5)
    await _answer(deps, round_id, "CU-2", 3)

    result = await surveys.round_summary(deps, round_id)

    assert (result.summary.count, result.summary.average) == (2, 4.0)


async def test_t14_a_customer_answers_a_round_once_about_a_ticket() -> None:
    deps = fake_deps()
    round_id = await _round(deps)
    await _answer(deps, round_id, "CU-1", 5, ticket="TK-1")

    with pytest.raises(Conflict):
        await _answer(deps, round_id, "CU-1", 1, ticket="TK-1")

    assert (await surveys.round_summary(deps, round_id)).summary.count == 1


async def test_t5_summarising_plans_dispatches_due_in_2_working_days_and_closes_the_round(
        ) -> None:
    deps = fake_deps()
    round_id = await _round(deps)
    await _answer(deps, round_id, "CU-1", 2, "快递太慢")

    result = await surveys.summarise_round(deps, SUPERVISOR, round_id,
                                           routes={"快递": "logistics"},
                                           default_department="service")

    [dispatch] = result.dispatches
    assert (dispatch.dispatch.department, dispatch.status) == ("logistics", "planned")
    assert dispatch.dispatch.dispatch_due == deps.calendar.add_working_days(
        deps.clock.now(), 2)
    with pytest.raises(TransitionRefused):
        await _answer(deps, round_id, "CU-2", 5)


async def test_t5_the_dispatch_steps_run_in_order_with_their_deadlines() -> None:
    deps = fake_deps()
    round_id = await _round(deps)
    await _answer(deps, round_id, "CU-1", 2, "页面卡")
    [planned] = (await surveys.summarise_round(deps, SUPERVISOR, round_id, routes={},
                                                default_department="website")).dispatches

    with pytest.raises(TransitionRefused):
        await surveys.record_measures(deps, SUPERVISOR, planned.id, measures="先测量")
    sent = await surveys.dispatch_opinions(deps, SUPERVISOR, planned.id)
    measured = await surveys.record_measures(deps, SUPERVISOR, planned.id, measures="优化")
    fixed = await surveys.mark_fixed(deps, SUPERVISOR, planned.id, note="已上线")
    booked = await surveys.schedule_callback(
        deps, SUPERVISOR, planned.id, scheduled_for=deps.clock.now() + timedelta(days=3),
        note="电话回访")

    assert sent.dispatch.measures_due == deps.calendar.add_working_days(deps.clock.now(), 3)
    assert (measured.status, fixed.status, booked.status) == (
        "measures_returned", "fixed", "callback_scheduled")
    assert fixed.dispatch.callback_due == deps.clock.now() + timedelta(weeks=2)


async def test_t5_an_overdue_dispatch_is_listed_with_its_late_step() -> None:
    deps = fake_deps()
    round_id = await _round(deps)
    await _answer(deps, round_id, "CU-1", 2, "客服态度")
    await surveys.summarise_round(deps, SUPERVISOR, round_id, routes={},
                                  default_department="service")
    clock_of(deps).advance(days=7)

    rows = await surveys.list_dispatches(deps, overdue=True, department=None, round_id=None,
                                         limit=10)

    assert [late for _, late in rows] == [["dispatch"]]
