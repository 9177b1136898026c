"""What every use case and event handler receives: the service's dependencies, built once.

`bootstrap.wire` builds the real ones; unit tests build them from fakes. Use cases take
`(deps, actor, command)` and reach the database only through `deps.transaction`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ops_shared.persistence import Transaction
from tickets.domain.ports import Calendar, Clock, TicketsUnitOfWork
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
    runtime: Any = None
    """Transitional: the few use cases not yet moved onto the seam still read the runtime."""
