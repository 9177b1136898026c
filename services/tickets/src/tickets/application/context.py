"""What every use case needs: the actor, the SLA clock from the stored policies, one ticket change.

`change_ticket` is the unit every ticket command runs in: load the ticket, apply one domain
action, save the ticket and its new timeline lines, write the outgoing events to the outbox,
all in one transaction (retried whole on conflicts).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from tickets.application import outgoing
from tickets.application.deps import Deps
from tickets.domain import events as ev
from tickets.domain.model import StaffMember
from tickets.domain.ports import TicketsRepositories, TicketsUnitOfWork
from tickets.domain.sla import SlaClock
from tickets.domain.ticket import Ticket


@dataclass(frozen=True)
class Actor:
    """Who runs a command."""

    staff_id: str
    role: str


async def sla_clock(uow: TicketsRepositories, deps: Deps) -> SlaClock:
    """The SLA clock with the policies and staffed hours as stored now (editable at run time)."""
    hours = await uow.policies.staffed_hours()
    return SlaClock(deps.calendar, await uow.policies.sla_policies(),
                    staffed_periods=hours.periods, open_days=hours.open_days)


Action = Callable[[Ticket, SlaClock, datetime], list[ev.Event]]
Check = Callable[[TicketsUnitOfWork], Awaitable[None]]


async def change_ticket(deps: Deps, number: str, action: Action, *,
                        check: Check | None = None) -> Ticket:
    """Apply `action` to ticket `number` in one transaction; publish what it returns.

    `check`, if given, runs first in the same transaction: it refuses inputs that name stored
    things (an article, a version) which do not exist.
    """
    at = deps.clock.now()

    async def work(uow: TicketsUnitOfWork) -> Ticket:
        if check is not None:
            await check(uow)
        ticket = await uow.tickets.get(number)
        events = action(ticket, await sla_clock(uow, deps), at)
        await uow.tickets.save(ticket)
        outgoing.publish(uow, events)
        return ticket

    return await deps.transaction(work)


HandOver = Callable[[Ticket, StaffMember | None, datetime], list[ev.Event]]


async def hand_over(deps: Deps, number: str, staff_id: str, action: HandOver) -> Ticket:
    """Like `change_ticket`, with the new owner `staff_id` as the staff directory knows them
    (None if it does not), read in the same transaction as the ticket."""
    at = deps.clock.now()

    async def work(uow: TicketsUnitOfWork) -> Ticket:
        member = await uow.staff.member(staff_id)
        ticket = await uow.tickets.get(number)
        events = action(ticket, member, at)
        await uow.tickets.save(ticket)
        outgoing.publish(uow, events)
        return ticket

    return await deps.transaction(work)


Pair = Callable[[Ticket, Ticket, datetime], list[ev.Event]]


async def change_two(deps: Deps, number: str, other: str, action: Pair) -> Ticket:
    """Apply `action` to two tickets in one transaction (link, merge: both keep the history)."""
    at = deps.clock.now()

    async def work(uow: TicketsUnitOfWork) -> Ticket:
        ticket, second = await uow.tickets.get(number), await uow.tickets.get(other)
        events = action(ticket, second, at)
        await uow.tickets.save(ticket)
        await uow.tickets.save(second)
        outgoing.publish(uow, events)
        return ticket

    return await deps.transaction(work)
