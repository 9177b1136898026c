"""T13: the supervisor's daily review of refunds in progress and overdue disputes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

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
