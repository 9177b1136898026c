"""What every use case needs: the time, the SLA clock from the stored policies, one ticket change.

`change_ticket` is the unit every ticket command runs in: load the ticket, apply one domain
action, save the ticket and its new timeline lines, write the outgoing events to the outbox,
all in one transaction (retried whole on conflicts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ops_shared.persistence import MongoUnitOfWork
from ops_shared.service import Runtime
from tickets.application import outgoing
from tickets.domain import events as ev
from tickets.domain.sla import SlaClock
from tickets.domain.ticket import Ticket
from tickets.storage.policies import PolicyStore
from tickets.storage.tickets import TicketStore


def now(runtime: Runtime) -> datetime:
    """The service's current time (from the wired clock, which a test may replace)."""
    return runtime.deps.clock.now()


@dataclass(frozen=True)
class Actor:
    """Who runs a command."""

    staff_id: str
    role: str


async def sla_clock(uow: MongoUnitOfWork, runtime: Runtime) -> SlaClock:
    """The SLA clock with the policies as stored now (T2-T6 are editable at run time)."""
    policies = await PolicyStore(uow.db, uow.session).sla_policies()
    return SlaClock(runtime.calendar, policies)


Action = Callable[[Ticket, SlaClock, datetime], list[ev.Event]]


async def change_ticket(runtime: Runtime, number: str, action: Action) -> Ticket:
    """Apply `action` to ticket `number` in one transaction; publish what it returns."""
    at = now(runtime)

    async def work(uow: MongoUnitOfWork) -> Ticket:
        store = TicketStore(uow)
        ticket = await store.get(number)
        events = action(ticket, await sla_clock(uow, runtime), at)
        await store.save(ticket)
        outgoing.publish(uow, events)
        return ticket

    return await runtime.database.transaction(work)


Pair = Callable[[Ticket, Ticket, datetime], list[ev.Event]]


async def change_two(runtime: Runtime, number: str, other: str, action: Pair) -> Ticket:
    """Apply `action` to two tickets in one transaction (link, merge: both keep the history)."""
    at = now(runtime)

    async def work(uow: MongoUnitOfWork) -> Ticket:
        store = TicketStore(uow)
        ticket, second = await store.get(number), await store.get(other)
        events = action(ticket, second, at)
        await store.save(ticket)
        await store.save(second)
        outgoing.publish(uow, events)
        return ticket

    return await runtime.database.transaction(work)
