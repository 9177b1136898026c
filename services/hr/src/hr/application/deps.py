"""What every hr use case and event handler receives, built once by `bootstrap.wire`; unit
tests build it from fakes. Changes go through `transaction`, reads through `reads`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hr.domain.ports import Clock, HrRepositories, HrUnitOfWork
from ops_shared.persistence import Transaction


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class Deps:
    """The hr service's dependencies (mutable only so that a test can move the clock)."""

    clock: Clock
    tz: ZoneInfo
    transaction: Transaction[HrUnitOfWork]
    """Runs `work(uow)` in one transaction, retried whole on conflicts."""
    reads: HrRepositories
    """The same repositories outside any transaction, for lists and views."""
    replica: str = "hr"
    """This process's name for job leases (one replica runs each day's close)."""
