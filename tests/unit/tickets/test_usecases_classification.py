"""T11/T12: classifying suggestions and complaints, on fakes."""

from __future__ import annotations

import pytest

from tickets.application.classification import classify_ticket
from tickets.application.context import Actor
from tickets.application.policies import delete_suggestion_category
from tickets.domain.errors import NotAllowed, ValidationFailed
from tickets.domain.model import Kind
from unit.tickets.fakes import fake_deps, store_of
from unit.tickets.fakes.builders import SUPERVISOR, opened, put_on_duty


async def test_t11_the_assignee_classifies_a_suggestion_and_summarises_it() -> None:
    deps = fake_deps()
    put_on_duty(store_of(deps), "as-1", "aftersales", deps.clock.now().date())
    ticket = await opened(deps, Kind.SUGGESTION)
    assignee = Actor("as-1", "aftersales")

    changed = await classify_ticket(deps, assignee, ticket.number,
                                    {"category": "logistics", "summary": "希望顺丰发货"})

    assert (changed.category, changed.summary, changed.summary_by) == (
        "logistics", "希望顺丰发货", "as-1")
    entry = (await deps.reads.ticket_queries.timeline(ticket.number))[-1]
    assert (entry["action"], entry["actor_id"]) == ("classified", "as-1")


async def test_t11_a_category_must_be_one_the_manager_keeps() -> None:
    deps = fake_deps()
    ticket = await opened(deps, Kind.SUGGESTION)
    await delete_suggestion_category(deps, "website")

    with pytest.raises(ValidationFailed) as refused:
        await classify_ticket(deps, SUPERVISOR, ticket.number, {"category": "website"})

    assert refused.value.field == "category"


async def test_t12_a_complaint_is_classified_as_about_a_staff_member() -> None:
    deps = fake_deps()
    ticket = await opened(deps)

    changed = await classify_ticket(deps, SUPERVISOR, ticket.number,
                                    {"subject": "staff_service", "staff_id": "agent-7"})

    assert (changed.subject, changed.staff_id) == ("staff_service", "agent-7")


async def test_t12_only_the_assignee_or_a_supervisor_classifies() -> None:
    deps = fake_deps()
    ticket = await opened(deps)

    with pytest.raises(NotAllowed):
        await classify_ticket(deps, Actor("someone", "aftersales"), ticket.number,
                              {"subject": "product"})
