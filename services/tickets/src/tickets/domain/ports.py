"""What the domain and the use cases need from the outside world, as Protocols.

bootstrap.py wires the real ones (ops_shared's calendar, storage/'s repositories); the unit tests
use in-memory fakes of the same Protocols.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

from ops_shared.persistence import UnitOfWork

TimeRange = tuple[time, time]
OpenDays = Literal["all", "working"]


class Calendar(Protocol):
    """Working-day and staffed-hours arithmetic in the shop's time zone."""

    tz: ZoneInfo

    def add_working_days(self, moment: datetime, n: int) -> datetime:
        """Same wall-clock time on the n-th working day after moment (09:00 if moment is off)."""
        ...

    def add_within_periods(
        self,
        moment: datetime,
        delta: timedelta,
        periods: Sequence[TimeRange],
        *,
        open_days: str = "all",
    ) -> datetime:
        """Moment plus delta, counting only time inside the daily periods."""
        ...

    def elapsed_within_periods(
        self,
        start: datetime,
        end: datetime,
        periods: Sequence[TimeRange],
        *,
        open_days: str = "all",
    ) -> timedelta:
        """Time between start and end that falls inside the daily periods."""
        ...


class Clock(Protocol):
    """The service's time; tests install one they move by hand."""

    def now(self) -> datetime: ...


class TicketsUnitOfWork(UnitOfWork, Protocol):
    """One transaction of the tickets service: its repositories, `publish` and the inbox.

    Every repository joins the same transaction; a use case or handler reaches the database
    only through these.
    """

    # -- ticket core ------------------------------------------------------------------------

    # -- customers, tiers, categories, policies, staff and duty -----------------------------

    # -- surveys, daily review, knowledge base ----------------------------------------------
