"""What the domain needs from the outside world, as Protocols (implemented by ops_shared)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

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
