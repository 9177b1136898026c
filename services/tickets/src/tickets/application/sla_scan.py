"""T2-T6: raise due SLA warnings and breaches, each exactly once however many replicas scan.

A replica lists tickets whose `next_sla_check_at` has passed, then handles each in its own
transaction: it re-reads the ticket only if the check is still due, lets the domain record the
warnings and breaches, and saves with a compare-and-set on the ticket's version, together with
the outbox rows. Two replicas that pick the same ticket race on that write: one commits, the
other gets a write conflict or a version mismatch, retries, finds nothing due and does nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import structlog

from tickets.application import outgoing
from tickets.application.deps import Deps
from tickets.domain import events as ev
from tickets.domain.errors import Conflict
from tickets.domain.ports import TicketsUnitOfWork

log = structlog.get_logger(__name__)
RETRY_FAILED_CHECK_S = 300


async def check_ticket(deps: Deps, number: str, now: datetime) -> list[ev.Event]:
    """Record what is due on one ticket; returns the events it raised."""
    async def work(uow: TicketsUnitOfWork) -> list[ev.Event]:
        ticket = await uow.tickets.claim_due(number, now)
        if ticket is None:
            return []  # another replica got there first
        events = ticket.check_sla(now)
        await uow.tickets.save(ticket)  # also moves next_sla_check_at on
        outgoing.publish(uow, events)
        return events

    try:
        return await deps.transaction(work)
    except Conflict:
        return []


async def scan_due(deps: Deps, now: datetime, limit: int) -> list[ev.Event]:
    """One sweep over the tickets due at `now`; returns the events raised (committed)."""
    raised: list[ev.Event] = []
    due = await deps.reads.ticket_queries.due_numbers(now, limit)
    random.shuffle(due)  # replicas sweeping together mostly take different tickets first
    for number in due:
        try:
            raised += await check_ticket(deps, number, now)
        except Exception as exc:  # one unreadable ticket must not starve the others
            log.error("sla.check_failed", ticket_number=number, error=str(exc)[:300])
            await _postpone(deps, number, now + timedelta(seconds=RETRY_FAILED_CHECK_S))
    if raised:
        log.info("sla.scan_raised", events=len(raised))
    return raised


async def _postpone(deps: Deps, number: str, until: datetime) -> None:
    await deps.transaction(lambda uow: uow.tickets.postpone_check(number, until))
