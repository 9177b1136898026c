"""Contract of the ticket core repositories (T1 numbers, T8 timeline, queries, SLA sweep),
on the fakes and on MongoDB alike."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest

from contract.tickets.backends import Backend
from contract.tickets.tickets_data import CLOCK, T0, new_ticket
from tickets.domain.errors import Conflict, NotFound
from tickets.domain.model import Kind, Period
from tickets.domain.ports import TicketFilter, TicketsUnitOfWork
from tickets.domain.states import TicketState
from tickets.domain.ticket import Ticket


async def _add(backend: Backend, *tickets, **extra: str) -> None:
    async def work(uow: TicketsUnitOfWork) -> None:
        for ticket in tickets:
            await uow.tickets.add(ticket, **extra)
    await backend.run(work)


async def test_get_returns_what_add_stored_without_the_timeline(backend: Backend) -> None:
    ticket = new_ticket()
    await _add(backend, ticket)

    loaded = await backend.run(lambda uow: uow.tickets.get(ticket.number))

    assert loaded.timeline == ()
    assert (loaded.number, loaded.kind, loaded.state, loaded.created_at) == (
        ticket.number, Kind.COMPLAINT, TicketState.NEW, T0 + timedelta(minutes=1))
    assert loaded.sla == ticket.sla
    assert await backend.reads.ticket_queries.get(ticket.number) == loaded


async def test_a_missing_ticket_is_not_found_everywhere(backend: Backend) -> None:
    with pytest.raises(NotFound):
        await backend.run(lambda uow: uow.tickets.get("TK-20261126-0999"))
    with pytest.raises(NotFound):
        await backend.reads.ticket_queries.get("TK-20261126-0999")
    with pytest.raises(NotFound):
        await backend.reads.ticket_queries.timeline("TK-20261126-0999")


async def test_adding_the_same_number_twice_is_a_conflict(backend: Backend) -> None:
    await _add(backend, new_ticket(1))
    with pytest.raises(Conflict):
        await _add(backend, new_ticket(1))


async def test_a_second_ticket_for_the_same_source_is_a_conflict(backend: Backend) -> None:
    await _add(backend, new_ticket(1), source_ref="parcel:task-1")

    with pytest.raises(Conflict):
        await _add(backend, new_ticket(2), source_ref="parcel:task-1")

    assert await backend.reads.tickets.find_by_source("parcel:task-1") == new_ticket(1).number
    assert await backend.reads.tickets.find_by_source("parcel:task-2") is None


async def test_t8_save_appends_new_timeline_entries_only(backend: Backend) -> None:
    ticket = new_ticket()
    await _add(backend, ticket)

    def change(t: Ticket) -> None:
        t.respond("agent-1", T0 + timedelta(minutes=2), "您好", CLOCK)

    async def respond(uow: TicketsUnitOfWork) -> None:
        loaded = await uow.tickets.get(ticket.number)
        change(loaded)
        await uow.tickets.save(loaded)
        loaded.note(T0 + timedelta(minutes=3), "agent-1", "noted")
        await uow.tickets.save(loaded)  # a second save in the same transaction
    await backend.run(respond)

    expected = copy.deepcopy(ticket)
    change(expected)
    timeline = await backend.reads.ticket_queries.timeline(ticket.number)
    assert [entry["action"] for entry in timeline] == [
        *(e.action for e in expected.timeline), "noted"]
    assert set(timeline[-1]) == {"at", "actor_id", "action", "details"}
    stored = await backend.reads.ticket_queries.get(ticket.number)
    assert stored.state is TicketState.OPEN


async def test_saving_a_ticket_changed_meanwhile_is_a_conflict(backend: Backend) -> None:
    ticket = new_ticket()
    await _add(backend, ticket)
    first, second = backend.another(), backend.another()
    mine = await first.tickets.get(ticket.number)
    theirs = await second.tickets.get(ticket.number)
    theirs.note(T0, "agent-2", "noted")
    await second.tickets.save(theirs)

    mine.note(T0, "agent-1", "noted")
    with pytest.raises(Conflict):
        await first.tickets.save(mine)


async def test_t1_numbers_count_per_day_from_one(backend: Backend) -> None:
    numbers = backend.reads.numbers
    day, next_day = date(2026, 11, 26), date(2026, 11, 27)

    taken = [await numbers.next(day), await numbers.next(day), await numbers.next(next_day)]

    assert taken == ["TK-20261126-0001", "TK-20261126-0002", "TK-20261127-0001"]


async def test_t1_a_number_taken_in_a_failed_transaction_is_given_again(
        backend: Backend) -> None:
    day = date(2026, 11, 26)

    async def fail(uow: TicketsUnitOfWork) -> None:
        await uow.numbers.next(day)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await backend.run(fail)

    assert await backend.run(lambda uow: uow.numbers.next(day)) == "TK-20261126-0001"


async def test_t1_a_released_number_is_given_again_lowest_first(backend: Backend) -> None:
    numbers, day = backend.reads.numbers, date(2026, 11, 26)
    taken = [await numbers.next(day) for _ in range(3)]

    await numbers.release(day, taken[2])
    await numbers.release(day, taken[1])
    await numbers.release(day, taken[1])  # released twice: once is enough
    await numbers.release(date(2026, 11, 27), "TK-20261127-0005")  # another day's pool

    again = [await numbers.next(day) for _ in range(3)]
    assert again == [taken[1], taken[2], "TK-20261126-0004"]


async def test_t1_a_released_number_whose_ticket_exists_is_not_given_twice(
        backend: Backend) -> None:
    numbers, day = backend.reads.numbers, date(2026, 11, 26)
    number = await numbers.next(day)
    await _add(backend, new_ticket(int(number[-4:])))  # the opening committed after all

    await numbers.release(day, number)

    assert await numbers.next(day) == "TK-20261126-0002"


async def test_t1_a_reserved_number_is_the_same_for_every_retry_of_its_task(
        backend: Backend) -> None:
    numbers, day = backend.reads.numbers, date(2026, 11, 26)

    first = await numbers.reserve(day, "parcel:task-1")
    again = await numbers.reserve(day, "parcel:task-1")
    other = await numbers.reserve(day, "parcel:task-2")

    assert first == again == "TK-20261126-0001"
    assert other == "TK-20261126-0002"


async def test_t1_a_reserved_number_released_goes_to_the_next_opening(backend: Backend) -> None:
    numbers, day = backend.reads.numbers, date(2026, 11, 26)
    reserved = await numbers.reserve(day, "parcel:task-1")

    await numbers.release(day, reserved)

    assert await numbers.next(day) == reserved
    assert await numbers.reserve(day, "parcel:task-1") == reserved  # still the task's


async def test_t1_a_reservation_in_a_failed_transaction_is_not_kept(backend: Backend) -> None:
    day = date(2026, 11, 26)

    async def failed(uow: TicketsUnitOfWork) -> None:
        assert await uow.numbers.reserve(day, "parcel:task-1") == "TK-20261126-0001"
        raise RuntimeError("the handler failed")
    with pytest.raises(RuntimeError):
        await backend.run(failed)

    assert await backend.run(lambda uow: uow.numbers.reserve(day, "parcel:task-2")) == \
        "TK-20261126-0001"


async def test_search_filters_newest_first_with_pages_and_a_total(backend: Backend) -> None:
    await _add(backend, new_ticket(1), new_ticket(2, assignee_id=None),
               new_ticket(3, kind=Kind.CONSULTATION), new_ticket(4, customer_id="CU-2"),
               new_ticket(5, assignee_id="agent-2"))
    search = backend.reads.ticket_queries.search

    def numbers(found: tuple[list, int]) -> tuple[list[int], int]:
        return [int(t.number[-4:]) for t in found[0]], found[1]

    assert numbers(await search(TicketFilter(), 1, 10)) == ([5, 4, 3, 2, 1], 5)
    assert numbers(await search(TicketFilter(), 2, 2)) == ([3, 2], 5)
    assert numbers(await search(TicketFilter(kind="consultation"), 1, 10)) == ([3], 1)
    assert numbers(await search(TicketFilter(customer_id="CU-2"), 1, 10)) == ([4], 1)
    assert numbers(await search(TicketFilter(assignee_id="agent-2"), 1, 10)) == ([5], 1)
    assert numbers(await search(TicketFilter(unassigned=True), 1, 10)) == ([2], 1)
    assert numbers(await search(TicketFilter(state="new", kind="complaint"), 1, 10)) == (
        [5, 4, 2, 1], 4)
    assert numbers(await search(TicketFilter(state="closed"), 1, 10)) == ([], 0)


async def test_opened_between_keeps_the_period_and_kind(backend: Backend) -> None:
    await _add(backend, new_ticket(1), new_ticket(2, kind=Kind.SUGGESTION),
               new_ticket(3, at=T0 + timedelta(days=1)))
    period = Period(T0, T0 + timedelta(hours=1))
    opened = backend.reads.ticket_queries.opened_between

    assert sorted(t.number[-1] for t in await opened(period)) == ["1", "2"]
    assert [t.number[-1] for t in await opened(period, Kind.SUGGESTION)] == ["2"]


async def test_has_open_ticket_looks_at_the_customer_assignee_and_state(
        backend: Backend) -> None:
    await _add(backend, new_ticket(1, kind=Kind.CONSULTATION, assignee_id="agent-1"))
    has = backend.reads.ticket_queries.has_open_ticket

    assert await has("CU-1", "agent-1")
    assert not await has("CU-1", "agent-2")
    assert not await has("CU-2", "agent-1")

    async def close(uow: TicketsUnitOfWork) -> None:
        ticket = await uow.tickets.get(new_ticket(1).number)
        ticket.respond("agent-1", T0 + timedelta(minutes=2), "好的", CLOCK)
        ticket.close("agent-1", T0 + timedelta(minutes=3))
        await uow.tickets.save(ticket)
    await backend.run(close)

    assert not await has("CU-1", "agent-1")


async def test_due_numbers_claim_and_postpone_follow_the_next_sla_check(
        backend: Backend) -> None:
    first, second = new_ticket(1), new_ticket(2)
    await _add(backend, second, first)
    queries, later = backend.reads.ticket_queries, T0 + timedelta(days=30)

    assert await queries.due_numbers(T0, 10) == []
    assert await queries.due_numbers(later, 10) == [first.number, second.number]
    assert await queries.due_numbers(later, 1) == [first.number]
    assert await backend.run(lambda uow: uow.tickets.claim_due(first.number, T0)) is None
    claimed = await backend.run(lambda uow: uow.tickets.claim_due(first.number, later))
    assert claimed is not None and claimed.number == first.number

    await backend.run(lambda uow: uow.tickets.postpone_check(first.number,
                                                              later + timedelta(days=1)))

    assert await queries.due_numbers(later, 10) == [second.number]


async def test_t2_a_check_raising_events_moves_the_ticket_on(backend: Backend) -> None:
    ticket = new_ticket(1)
    await _add(backend, ticket)
    now = T0 + timedelta(minutes=10)  # the 3-minute first response is overdue

    async def check(uow: TicketsUnitOfWork) -> int:
        claimed = await uow.tickets.claim_due(ticket.number, now)
        assert claimed is not None
        events = claimed.check_sla(now)
        await uow.tickets.save(claimed)
        return len(events)

    assert await backend.run(check) > 0
    assert ticket.number not in await backend.reads.ticket_queries.due_numbers(now, 10)
