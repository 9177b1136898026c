"""T2: the staffed hours that first-response clocks count, a policy a manager edits.

Seeded from the rulebook (09:00-11:30 and 12:30-23:30 every day); each period lies within one
day (start before end), and periods do not overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from tickets.domain.errors import ValidationFailed
from tickets.domain.ports import OpenDays, TimeRange
from tickets.domain.sla import DEFAULT_STAFFED_PERIODS

MAX_PERIODS = 12


@dataclass(frozen=True, kw_only=True)
class StaffedHours:
    """The daily periods during which staffed-minute targets (T2) run, and on which days."""

    periods: tuple[TimeRange, ...] = DEFAULT_STAFFED_PERIODS
    open_days: OpenDays = "all"
    updated_by: str | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        if not 1 <= len(self.periods) <= MAX_PERIODS:
            raise ValidationFailed(f"give 1 to {MAX_PERIODS} staffed periods", field="periods")
        ordered = sorted(self.periods)
        for start, end in ordered:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValidationFailed("staffed periods are shop-local wall-clock times",
                                       field="periods")
            if not start < end:
                raise ValidationFailed(f"a staffed period must end after it starts "
                                       f"({start:%H:%M}-{end:%H:%M})", field="periods")
        for (_, end), (start, _) in pairwise(ordered):
            if start < end:
                raise ValidationFailed("staffed periods must not overlap", field="periods")
        object.__setattr__(self, "periods", tuple(ordered))
        if self.open_days not in ("all", "working"):
            raise ValidationFailed("open_days is 'all' or 'working'", field="open_days")


RULEBOOK_STAFFED_HOURS = StaffedHours()
