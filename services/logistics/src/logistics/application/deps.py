"""What every use case and event handler receives: the service's dependencies, built once.

`bootstrap.wire` builds the real ones; unit tests build them from fakes. Use cases take
`(deps, actor, command)` and reach the database only through the repositories: `deps.transaction`
for changes (and reads that decide one), `deps.reads` for reads that need no transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from logistics.domain.ports import Calendar, Clock, LogisticsRepositories, LogisticsUnitOfWork
from logistics.settings import Settings
from ops_shared.persistence import Transaction


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class Deps:
    """The logistics service's dependencies (mutable only so that a test can move the clock)."""

    clock: Clock
    calendar: Calendar
    settings: Settings
    transaction: Transaction[LogisticsUnitOfWork]
    """Runs `work(uow)` in one transaction, retried whole on conflicts: every change goes here."""
    reads: LogisticsRepositories
    """The same repositories outside any transaction: lists, views, reports; never write here.
    `reads.numbers` reserves case numbers outside any transaction (one atomic increment), so
    that concurrent openings do not all conflict on the day's counter."""

    def today(self) -> date:
        """The shop-local day (case numbers, promise dates)."""
        return self.clock.now().astimezone(self.calendar.tz).date()
