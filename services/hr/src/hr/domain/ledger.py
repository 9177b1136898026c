"""H14-H20, H23: the points and money ledger.

Every entry names its rule, its source (an event, a request, a person's record, a day's close),
its author and its month. A source is recorded exactly once: `source_key` is unique in storage,
so a redelivered or replayed event cannot add a second entry. A closed month is immutable:
an entry dated into it is moved to the next open month as a dated correction (H21).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from hr.domain.policy import HrPolicy
from hr.domain.roster import next_month

EntryKind = Literal["points", "money", "flag"]
Flag = Literal["full_attendance_lost", "dismissal", "warning"]


@dataclass(frozen=True)
class LedgerEntry:
    """Points (`kind=points`), fen (`kind=money`; negative is a fine) or a flag."""

    entry_id: str
    staff_id: str
    month: str
    kind: EntryKind
    amount: int
    rule: str
    source: str
    author: str
    at: datetime
    note: str = ""
    flag: Flag | None = None
    corrects: str | None = None
    """The closed month this entry corrects, when it was moved out of it."""

    @property
    def source_key(self) -> str:
        """H23: what makes the entry unique: one rule, one person, one source."""
        return f"{self.source}|{self.staff_id}|{self.rule}"


def dated(entry: LedgerEntry, closed: Collection[str]) -> LedgerEntry:
    """H21: an entry for a closed month becomes a dated correction in the next open month."""
    month = entry.month
    while month in closed:
        month = next_month(month)
    if month == entry.month:
        return entry
    return replace(entry, month=month, corrects=entry.corrects or entry.month,
                   note=f"{entry.note} (correction of {entry.month})".strip())


def non_work_step(earlier: int, policy: HrPolicy) -> tuple[EntryKind, int, Flag | None]:
    """H19: the first record of non-work activity is a warning, the second costs points,
    after that the person is flagged for dismissal."""
    if earlier == 0:
        return "flag", 0, "warning"
    if earlier == 1:
        return "points", policy.non_work_points, None
    return "flag", 0, "dismissal"


def score(entries: Collection[LedgerEntry], policy: HrPolicy) -> int:
    """H14: the month's score: the start score plus every points entry."""
    return policy.start_points + sum(e.amount for e in entries if e.kind == "points")
