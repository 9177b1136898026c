"""T13: the supervisor's daily review of refunds in progress and overdue disputes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from tickets.domain.model import require_aware

DisputeKind = Literal["refund_in_progress", "dispute"]


@dataclass(frozen=True, kw_only=True)
class DisputeItem:
    """An order with a refund in progress (退款中) or a dispute (维权中), owned by after-sales."""

    order_id: str
    kind: DisputeKind
    owner_id: str
    next_action_at: datetime
    note: str = ""
    ticket_number: str | None = None
    resolved: bool = False

    def __post_init__(self) -> None:
        require_aware(self.next_action_at, "next_action_at")

    def overdue(self, now: datetime) -> bool:
        """True once the next-action time has come."""
        return self.next_action_at <= now

    def needs_review(self, now: datetime) -> bool:
        """Open refunds are reviewed every day; disputes once their next action is overdue."""
        if self.resolved:
            return False
        return self.kind == "refund_in_progress" or self.overdue(now)


def daily_review(items: Iterable[DisputeItem], now: datetime) -> dict[str, list[DisputeItem]]:
    """T13: open refunds and overdue disputes, grouped by owner, earliest next action first."""
    require_aware(now, "now")
    by_owner: dict[str, list[DisputeItem]] = defaultdict(list)
    for item in items:
        if item.needs_review(now):
            by_owner[item.owner_id].append(item)
    return {
        owner: sorted(found, key=lambda i: (i.next_action_at, i.order_id))
        for owner, found in sorted(by_owner.items())
    }


@dataclass(kw_only=True)
class ReviewRecord:
    """What the tickets service knows about one RMA for the daily review."""

    rma_number: str
    order_id: str | None = None
    ticket_number: str | None = None
    owner_id: str | None = None
    status: str | None = None
    refund_in_progress: bool = False
    dispute: bool = False
    next_action_at: datetime | None = None
    note: str = ""
    resolved: bool = False
    resolved_at: datetime | None = None
    refund_id: str | None = None
    opened_at: datetime | None = None
    last_event_at: datetime | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def kind(self) -> DisputeKind | None:
        """Why the order is reviewed; an open refund is reviewed even when also disputed."""
        if self.resolved:
            return None
        if self.refund_in_progress:
            return "refund_in_progress"
        return "dispute" if self.dispute else None

    def saw(self, event_id: str) -> bool:
        return any(entry.get("event_id") == event_id for entry in self.history)


@dataclass(frozen=True, kw_only=True)
class Reminder:
    day: str
    owner_id: str
    rma_numbers: tuple[str, ...]
    reminded_at: datetime
    reminded_by: str
