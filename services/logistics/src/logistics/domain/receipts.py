"""L4, L6: a warehouse receipt, its item-by-item inspection, and what it matches.

Matching order (L6): the RMA number written on the service card, then the tracking number (RMAs
and recalls), then the customer reference (only when it names exactly one RMA awaiting a parcel).
A candidate that can no longer take a parcel (cancelled, closed) does not match; a parcel that
matches nothing becomes an unidentified-parcel task, never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from logistics.domain import events as ev
from logistics.domain.errors import TransitionRefused
from logistics.domain.model import Item


@dataclass(frozen=True)
class InspectedItem:
    sku: str
    quantity: int
    intact: bool
    box_complete: bool
    resellable: bool
    note: str = ""

    @property
    def accepted(self) -> bool:
        """L4: back into stock only if intact, box complete and resellable."""
        return self.intact and self.box_complete and self.resellable


@dataclass(frozen=True)
class Receipt:
    """A parcel as the warehouse recorded it; `receipt_id` is the warehouse's own id."""

    receipt_id: str
    received_at: datetime
    items: tuple[InspectedItem, ...]
    inspector: str
    signed_by: str | None = None
    tracking_number: str | None = None
    courier: str | None = None
    rma_number: str | None = None
    customer_ref: str | None = None
    service_card: bool = False
    recorded_by: str = "warehouse-system"

    @property
    def signed(self) -> bool:
        return bool(self.signed_by and self.signed_by.strip())

    def accepted_quantity(self, sku: str) -> int:
        return sum(i.quantity for i in self.items if i.sku == sku and i.accepted)


@dataclass(frozen=True)
class Inspection:
    """What the warehouse accepted and rejected, item by item (L4)."""

    receipt_id: str
    received_at: datetime
    inspector: str
    signed_by: str | None
    accepted: tuple[Item, ...]
    rejected: tuple[Item, ...]
    passed: bool
    problems: tuple[str, ...] = ()


def inspect(items: Sequence[Item], receipt: Receipt) -> Inspection:
    """L4 item by item: each RMA item is accepted as far as the receipt accepted its SKU."""
    accepted, rejected, problems = [], [], []
    if not receipt.signed:
        problems.append("receipt not signed")
    for item in items:
        ok = min(item.quantity, receipt.accepted_quantity(item.sku))
        if ok:
            accepted.append(replace(item, quantity=ok))
        if ok < item.quantity:
            rejected.append(replace(item, quantity=item.quantity - ok))
            problems.append(f"{item.sku}: {item.quantity - ok} not accepted")
    extra = {i.sku for i in receipt.items} - {i.sku for i in items}
    problems += [f"{sku}: not on the RMA" for sku in sorted(extra)]
    return Inspection(receipt.receipt_id, receipt.received_at, receipt.inspector,
                      receipt.signed_by, tuple(accepted), tuple(rejected),
                      passed=receipt.signed and not rejected, problems=tuple(problems))


class TargetKind(StrEnum):
    RMA = "rma"
    RECALL = "recall"


class MatchedBy(StrEnum):
    RMA_NUMBER = "rma_number"
    TRACKING_NUMBER = "tracking_number"
    CUSTOMER_REF = "customer_ref"
    STAFF = "staff"  # an unidentified parcel resolved by after-sales


@dataclass(frozen=True)
class Candidate:
    """An RMA or recall a receipt might belong to, and whether it can still take a parcel."""

    kind: TargetKind
    number: str
    takes_parcel: bool
    state: str = ""


@dataclass(frozen=True)
class Match:
    kind: TargetKind
    number: str
    by: MatchedBy


@dataclass(frozen=True)
class MatchResult:
    match: Match | None
    notes: tuple[str, ...] = ()


def match_receipt(*, by_rma_number: Candidate | None, by_tracking: Sequence[Candidate],
                  by_customer: Sequence[Candidate]) -> MatchResult:
    """L6: the first candidate that can take the parcel, in the order RMA number, tracking
    number, customer reference; the notes say why earlier candidates were passed over."""
    notes: list[str] = []
    if by_rma_number is not None:
        if by_rma_number.takes_parcel:
            return MatchResult(Match(by_rma_number.kind, by_rma_number.number,
                                     MatchedBy.RMA_NUMBER))
        notes.append(f"{by_rma_number.number} is {by_rma_number.state}")
    open_by_tracking = [c for c in by_tracking if c.takes_parcel]
    notes += [f"{c.number} is {c.state}" for c in by_tracking if not c.takes_parcel]
    if len(open_by_tracking) == 1:
        found = open_by_tracking[0]
        return MatchResult(Match(found.kind, found.number, MatchedBy.TRACKING_NUMBER),
                           tuple(notes))
    if len(open_by_tracking) > 1:
        notes.append("tracking number names several open cases")
    open_by_customer = [c for c in by_customer if c.takes_parcel]
    if len(open_by_customer) == 1:
        found = open_by_customer[0]
        return MatchResult(Match(found.kind, found.number, MatchedBy.CUSTOMER_REF), tuple(notes))
    if len(open_by_customer) > 1:
        notes.append("customer has several RMAs awaiting a parcel")
    return MatchResult(None, tuple(notes))


@dataclass(frozen=True)
class RecordedReceipt:
    """A receipt as logistics keeps it: once per `receipt_id`, with where it went."""

    receipt: Receipt
    recorded_at: datetime
    matched: Match | None = None
    task_id: str | None = None
    notes: tuple[str, ...] = ()


class TaskState(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


def task_id_for(receipt_id: str) -> str:
    """One task per receipt, however often the receipt arrives."""
    return f"PT-{receipt_id}"


@dataclass
class ParcelTask:
    """L6: a parcel that matched nothing; after-sales contacts the customer and names the RMA."""

    task_id: str
    receipt: Receipt
    created_at: datetime
    notes: tuple[str, ...] = ()
    state: TaskState = TaskState.OPEN
    resolved_to: str | None = None
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    note: str = ""

    def resolve(self, number: str, note: str, by: str, at: datetime) -> list[ev.Event]:
        """Names the RMA or recall; once (a resolved task refuses another resolution)."""
        if self.state != TaskState.OPEN:
            raise TransitionRefused("parcel task", self.state.value, TaskState.RESOLVED.value,
                                    [])
        self.state, self.resolved_to = TaskState.RESOLVED, number
        self.resolved_by, self.resolved_at, self.note = by, at, note
        return [ev.ParcelIdentified(task_id=self.task_id, receipt_id=self.receipt.receipt_id,
                                    resolved_to=number, resolved_by=by, note=note,
                                    resolved_at=at)]
