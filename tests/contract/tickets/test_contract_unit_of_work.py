"""Contract of the tickets unit of work: one transaction for the state, the outbox and the
inbox; nothing of a work that raises is kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from contract.tickets.backends import Backend
from contract.tickets.tickets_data import new_ticket
from ops_shared.contracts import new_envelope
from ops_shared.contracts.tickets import TicketOpened
from ops_shared.persistence import AlreadyHandled
from tickets.domain.errors import NotFound
from tickets.domain.ports import TicketsUnitOfWork

EVENT = TicketOpened(ticket_number="TK-20261126-0001", kind="complaint", channel="im",
                     priority="P4", assignee_id=None,
                     opened_at=datetime(2026, 11, 26, 2, 0, tzinfo=UTC))


async def test_a_work_returns_its_result_with_its_writes_and_events(backend: Backend) -> None:
    async def work(uow: TicketsUnitOfWork) -> str:
        await uow.tickets.add(new_ticket())
        uow.publish(EVENT)
        return "done"

    assert await backend.run(work) == "done"

    assert (await backend.reads.ticket_queries.get(new_ticket().number)).id == new_ticket().id
    assert await backend.published() == ["tickets.ticket.opened"]


async def test_a_work_that_raises_leaves_no_state_no_event_no_inbox_row(
        backend: Backend) -> None:
    envelope = new_envelope(EVENT)

    async def work(uow: TicketsUnitOfWork) -> None:
        await uow.record_inbox(envelope)
        await uow.tickets.add(new_ticket())
        await uow.tiers.put("vip", {"boost_priority": True})
        uow.publish(EVENT)
        raise RuntimeError("the work failed")

    with pytest.raises(RuntimeError):
        await backend.run(work)

    with pytest.raises(NotFound):
        await backend.reads.ticket_queries.get(new_ticket().number)
    assert await backend.reads.tiers.names() == []
    assert await backend.published() == []
    assert await backend.inbox() == set()


async def test_an_event_recorded_in_the_inbox_is_refused_the_second_time(
        backend: Backend) -> None:
    envelope = new_envelope(EVENT)
    await backend.run(lambda uow: uow.record_inbox(envelope))

    with pytest.raises(AlreadyHandled):
        await backend.run(lambda uow: uow.record_inbox(envelope))

    assert await backend.inbox() == {envelope.id}
