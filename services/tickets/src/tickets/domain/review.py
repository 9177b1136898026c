"""T13: the supervisor's daily review of refunds in progress and overdue disputes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from tickets.domain.model import require_aware

DisputeKind = Literal["refund_in_progress", "dispute"]
UNASSIGNED = "unassigned"
RMA = "rma"
"""The `case_type` of an item kept from the RMA events; other logistics cases (L12: recall,
problem_parcel, reshipment) come from `logistics.case.updated`."""


CASE_TYPES = ("recall", "problem_parcel", "reshipment")


def case_key(case_type: str, case_id: str) -> str:
    """The review item's key of a logistics case other than an RMA (an RMA's is its number)."""
    return f"{case_type}:{case_id}"


def case_of_key(key: str) -> tuple[str, str]:
    """`(case_type, case_id)` of a review item's key: the inverse of `case_key`; an RMA's key
    is its number."""
    case_type, sep, case_id = key.partition(":")
    return (case_type, case_id) if sep and case_type in CASE_TYPES else (RMA, key)


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
    """What the tickets service knows about one RMA, or another logistics case, for the daily
    review. A case other than an RMA is keyed `case_key(case_type, case_id)` in `rma_number`."""

    rma_number: str
    case_type: str = RMA
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
        # L12: an open recall, problem parcel or re-shipment is reviewed once its next action is
        # due, as a dispute is.
        return "dispute" if self.dispute or self.case_type != RMA else None

    @property
    def case_id(self) -> str:
        """The RMA number, or the id of the other logistics case."""
        case_type, case_id = case_of_key(self.rma_number)
        return case_id if case_type == self.case_type else self.rma_number

    def saw(self, event_id: str) -> bool:
        return any(entry.get("event_id") == event_id for entry in self.history)

    def remember(self, event_id: str, event_type: str, at: datetime) -> None:
        """Note an applied event; `saw` keeps a redelivered one from applying twice. The history
        reads in the order things happened, whatever order the events arrived in."""
        later = next((i for i, entry in enumerate(self.history) if entry["at"] > at),
                     len(self.history))
        self.history.insert(later, {"event_id": event_id, "type": event_type, "at": at})

    # -- transitions: events may arrive out of order; `last_event_at` is the newest applied ----

    def opened(self, *, order_id: str | None, ticket_number: str | None,
               owner_id: str | None, at: datetime) -> None:
        """An RMA was opened: fill what is known without undoing later changes."""
        self._learn(order_id, ticket_number)
        self.owner_id = self.owner_id or owner_id
        self.opened_at = at
        self.last_event_at = max(self.last_event_at or at, at)

    def status_changed(self, *, order_id: str | None, ticket_number: str | None,
                       status: str, note: str, refund_in_progress: bool, dispute: bool,
                       next_action_at: datetime | None, owner_id: str | None,
                       at: datetime) -> None:
        """The RMA's status, flags, owner and next action, unless a newer event is already in;
        a refund or dispute after a resolution reopens the item."""
        self._learn(order_id, ticket_number)
        if self._older(at):
            return
        self.status, self.note = status, note
        self.refund_in_progress, self.dispute = refund_in_progress, dispute
        self.next_action_at = next_action_at
        self.owner_id = owner_id or self.owner_id
        if refund_in_progress or dispute:
            self.resolved, self.resolved_at = False, None
        self.last_event_at = at

    def refund_issued(self, *, order_id: str | None, ticket_number: str | None,
                      refund_id: str, issued_at: datetime, at: datetime) -> None:
        """The refund is done: the item leaves the list, unless a newer status change is in."""
        self._learn(order_id, ticket_number)
        self.refund_id = refund_id
        if self._older(at):
            return
        self.refund_in_progress, self.resolved = False, True
        self.resolved_at, self.last_event_at = issued_at, at

    def case_updated(self, *, order_id: str | None, ticket_number: str | None, status: str,
                     is_open: bool, note: str, refund_in_progress: bool, dispute: bool,
                     next_action_at: datetime | None, owner_id: str | None,
                     at: datetime) -> None:
        """L12: a recall, problem parcel or re-shipment opened, changed or closed, unless a newer
        event is already in; a closed case leaves the list, a reopened one comes back."""
        self._learn(order_id, ticket_number)
        if self._older(at):
            return
        self.status, self.note = status, note
        self.refund_in_progress, self.dispute = refund_in_progress, dispute
        self.next_action_at = next_action_at
        self.owner_id = owner_id or self.owner_id
        self.resolved, self.resolved_at = (False, None) if is_open else (True, at)
        self.opened_at = self.opened_at or at
        self.last_event_at = at

    def as_item(self, now: datetime) -> DisputeItem | None:
        """The item as the daily review sees it; a dispute without a next action is due now."""
        if self.kind is None:
            return None
        return DisputeItem(
            order_id=self.order_id or self.rma_number, kind=self.kind,
            owner_id=self.owner_id or UNASSIGNED,
            next_action_at=self.next_action_at or self.last_event_at or now,
            note=self.note, ticket_number=self.ticket_number, resolved=self.resolved)

    def _learn(self, order_id: str | None, ticket_number: str | None) -> None:
        self.order_id = self.order_id or order_id
        self.ticket_number = self.ticket_number or ticket_number

    def _older(self, at: datetime) -> bool:
        return self.last_event_at is not None and at < self.last_event_at


@dataclass(frozen=True, kw_only=True)
class Reminder:
    day: str
    owner_id: str
    rma_numbers: tuple[str, ...]  # the review items' keys (see `case_of_key`)
    reminded_at: datetime
    reminded_by: str

    @property
    def cases(self) -> list[tuple[str, str]]:
        """`(case_type, case_id)` of each case named."""
        return [case_of_key(key) for key in self.rma_numbers]
