"""Agent work on a ticket (T2 first response, T8 timeline and links, T10 articles), on fakes."""

from __future__ import annotations

import pytest

from tickets.application import ticket_work
from tickets.application.knowledge import create_article
from tickets.domain.errors import NotFound, TransitionRefused, ValidationFailed
from tickets.domain.states import TicketState
from unit.tickets.fakes import clock_of, fake_deps, store_of
from unit.tickets.fakes.builders import AGENT, opened


async def _actions(deps, number: str) -> list[str]:
    return [entry["action"] for entry in await deps.reads.ticket_queries.timeline(number)]


async def test_t2_the_first_answer_in_time_opens_the_ticket_without_a_breach() -> None:
    deps = fake_deps()
    ticket = await opened(deps)
    clock_of(deps).advance(minutes=2)

    answered = await ticket_work.respond(deps, AGENT, ticket.number, "您好，我们马上处理")

    assert answered.state is TicketState.OPEN
    assert answered.first_responded_at == deps.clock.now()
    target = answered.target("first_response")
    assert target is not None and target.met_at is not None and target.breached_at is None
    assert store_of(deps).published("tickets.sla.breached") == []


async def test_t2_a_late_first_answer_records_and_publishes_the_breach() -> None:
    deps = fake_deps()
    ticket = await opened(deps)
    clock_of(deps).advance(minutes=10)

    await ticket_work.respond(deps, AGENT, ticket.number, "抱歉久等")

    breached = store_of(deps).published("tickets.sla.breached")
    assert [e.data["metric"] for e in breached] == ["first_response"]
    assert "sla_breached" in await _actions(deps, ticket.number)


async def test_t8_every_change_goes_on_the_timeline_with_who_and_when() -> None:
    deps = fake_deps()
    ticket = await opened(deps)

    await ticket_work.respond(deps, AGENT, ticket.number, "请提供照片")
    await ticket_work.wait_for_customer(deps, AGENT, ticket.number, "等照片")
    replied = await ticket_work.record_customer_reply(deps, AGENT, ticket.number, "照片已发")

    assert replied.state is TicketState.OPEN
    timeline = await deps.reads.ticket_queries.timeline(ticket.number)
    assert [e["action"] for e in timeline][-3:] == [
        "state_changed", "customer_replied", "customer_reply_recorded"]
    assert timeline[-1]["actor_id"] == AGENT.staff_id


async def test_t8_linking_records_the_link_on_both_tickets() -> None:
    deps = fake_deps()
    first, second = await opened(deps), await opened(deps)

    await ticket_work.link_tickets(deps, AGENT, first.number, second.number)

    assert (await deps.reads.ticket_queries.get(first.number)).links == [second.number]
    assert (await deps.reads.ticket_queries.get(second.number)).links == [first.number]


async def test_t8_a_ticket_cannot_be_linked_to_itself() -> None:
    deps = fake_deps()
    ticket = await opened(deps)

    with pytest.raises(ValidationFailed):
        await ticket_work.link_tickets(deps, AGENT, ticket.number, ticket.number)


async def test_t8_merging_keeps_both_histories_and_ends_the_duplicate() -> None:
    deps = fake_deps()
    duplicate, kept = await opened(deps), await opened(deps)

    merged = await ticket_work.merge_ticket(deps, AGENT, duplicate.number, kept.number)

    assert merged.state is TicketState.MERGED and merged.merged_into == kept.number
    assert "merged_from" in await _actions(deps, kept.number)
    with pytest.raises(TransitionRefused):
        await ticket_work.respond(deps, AGENT, duplicate.number, "还在吗")


async def test_a_failed_pair_change_saves_neither_ticket() -> None:
    deps = fake_deps()
    ticket = await opened(deps)
    before = await _actions(deps, ticket.number)

    with pytest.raises(NotFound):
        await ticket_work.link_tickets(deps, AGENT, ticket.number, "TK-20261126-0999")

    assert await _actions(deps, ticket.number) == before


async def test_t10_using_an_article_remembers_its_version_once() -> None:
    deps = fake_deps()
    ticket = await opened(deps)
    article = await create_article(deps, AGENT, title="运费", body="运费说明", tags=[])
    article_id = article.article.id

    await ticket_work.use_article(deps, AGENT, ticket.number, article_id, 1)
    used = await ticket_work.use_article(deps, AGENT, ticket.number, article_id, 1)

    assert used.articles == [f"{article_id}@v1"]
    assert (await _actions(deps, ticket.number)).count("article_used") == 1


async def test_t10_only_a_published_version_of_an_existing_article_is_used() -> None:
    deps = fake_deps()
    ticket = await opened(deps)
    article = await create_article(deps, AGENT, title="运费", body="运费说明", tags=[])

    for article_id, version in (("kb-nope", 1), (article.article.id, 2)):
        with pytest.raises(ValidationFailed):
            await ticket_work.use_article(deps, AGENT, ticket.number, article_id, version)

    assert (await deps.reads.ticket_queries.get(ticket.number)).articles == []


async def test_an_unknown_ticket_is_not_found() -> None:
    deps = fake_deps()

    with pytest.raises(NotFound):
        await ticket_work.respond(deps, AGENT, "TK-20261126-0001", "您好")
