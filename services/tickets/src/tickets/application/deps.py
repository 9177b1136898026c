"""What every use case and event handler receives: the service's dependencies, built once.

`bootstrap.wire` builds the real ones; unit tests build them from fakes. Use cases take
`(deps, actor, command)` and reach the database only through the repositories: `deps.transaction`
for changes (and reads that decide one), `deps.reads` for reads that need no transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ops_shared.persistence import Transaction
from tickets.domain.ports import (
    Calendar,
    Clock,
    TicketNumbers,
    TicketsRepositories,
    TicketsUnitOfWork,
)
from tickets.settings import Settings


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class Deps:
    """The tickets service's dependencies (mutable only so that a test can move the clock)."""

    clock: Clock
    calendar: Calendar
    settings: Settings
    transaction: Transaction[TicketsUnitOfWork]
    """Runs `work(uow)` in one transaction, retried whole on conflicts: every change goes here."""
    reads: TicketsRepositories
    """The same repositories outside any transaction: lists, views and reports. Never write
    through these: a change belongs in `transaction` with the events it publishes."""
    numbers: TicketNumbers
    """T1: ticket numbers reserved outside any transaction (one atomic increment), so that
    concurrent openings do not all conflict on the day's counter; an opening that fails gives
    its number back (`release`), and an event handler keeps one per external task (`reserve`)."""
