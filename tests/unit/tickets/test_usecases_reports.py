"""T14 agent figures, T11 suggestion and T12 complaint summaries for a period; on fakes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tickets.application import reports, summaries
from tickets.application.classification import classify_ticket
from tickets.application.context import Actor
from tickets.application.ticket_outcomes import adopt_suggestion, verify_staff_complaint
from tickets.application.ticket_work import respond
from tickets.domain.errors import ValidationFailed
from tickets.domain.model import Kind
from unit.tickets.fakes import clock_of, fake_deps, store_of
from unit.tickets.fakes.builders import MANAGER, SUPERVISOR, opened, put_on_duty

DAY = date(2026, 11, 26)


async def test_t14_figures_per_agent_count_tickets_and_first_response_hits() -> None:
    deps = fake_deps()
    put_on_duty(store_of(deps), "as-1", "aftersales", DAY)
    agent = Actor("as-1", "aftersales")
    on_time, late = await opened(deps), await opened(deps)
    await respond(deps, agent, on_time.number, "您好")
    clock_of(deps).advance(minutes=10)
    await respond(deps, agent, late.number, "您好")

    period, rows = await reports.agent_figures(deps, starts_on=DAY, ends_on=DAY)

    [row] = rows
    assert period.contains(on_time.created_at)
    assert (row.agent_id, row.tickets_handled, row.first_response_hit_rate) == ("as-1", 2, 0.5)


async def test_t14_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        await reports.agent_figures(fake_deps(), starts_on=DAY, ends_on=DAY - timedelta(days=1))


async def test_t11_suggestions_per_category_with_adoptions_and_points() -> None:
    deps = fake_deps()
    first, second = await opened(deps, Kind.SUGGESTION), await opened(deps, Kind.SUGGESTION)
    await classify_ticket(deps, SUPERVISOR, first.number, {"category": "logistics"})
    await classify_ticket(deps, SUPERVISOR, second.number, {"category": "logistics"})
    await adopt_suggestion(deps, MANAGER, first.number, "as-3", 8)

    _, figures = await summaries.suggestions(deps, starts_on=DAY, ends_on=DAY, latest=3)

    logistics = next(f for f in figures if f.category == "logistics")
    assert (logistics.count, logistics.adopted, logistics.points_awarded) == (2, 1, 8)


async def test_t12_complaints_per_grade_and_staff_points_lost() -> None:
    deps = fake_deps()
    ticket = await opened(deps)
    await verify_staff_complaint(deps, SUPERVISOR, ticket.number, "as-7", "属实")

    _, figures = await summaries.complaints(deps, starts_on=DAY, ends_on=DAY)

    assert [(s.staff_id, s.verified_complaints, s.points) for s in figures.verified_staff] == [
        ("as-7", 1, -3)]
    assert sum(g.count for g in figures.groups) == 1
