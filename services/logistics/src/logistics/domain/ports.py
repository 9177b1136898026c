"""What the domain and the use cases need from the outside world, as Protocols.

bootstrap.py wires the real ones (ops_shared's calendar, storage/'s repositories); the unit tests
use in-memory fakes of the same Protocols (tests/unit/logistics/fakes.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol, TypeVar
from zoneinfo import ZoneInfo

from ops_shared.persistence import UnitOfWork

if TYPE_CHECKING:
    from logistics.domain.follow_up import FollowUpPolicy
    from logistics.domain.model import Refund
    from logistics.domain.promise import PromisePolicy
    from logistics.domain.recall import Recall, Void
    from logistics.domain.receipts import ParcelTask, RecordedReceipt
    from logistics.domain.report import Period
    from logistics.domain.rma import Rma
    from logistics.domain.timeline import TimelineEntry

A = TypeVar("A")


class Clock(Protocol):
    def now(self) -> datetime: ...


class Calendar(Protocol):
    """Working days in the shop's zone (ops_shared.calendar.WorkCalendar)."""

    tz: ZoneInfo

    def is_working_day(self, d: date) -> bool: ...


class Numbers(Protocol):
    """`RMA-YYYYMMDD-NNNN` (and RC-, PP-, RS-): a per-day counter, unique across replicas."""

    async def next(self, prefix: str, day: date) -> str: ...


@dataclass(frozen=True)
class CaseFilter:
    """Typed list filters; None means any."""

    state: str | None = None
    order_id: str | None = None
    owner_id: str | None = None
    open_only: bool = False
    limit: int = 100


class Aggregates(Protocol[A]):
    """Load, add and save one kind of case with its append-only timeline (L14).

    `save` writes the changes of an aggregate loaded in the same unit of work and appends only
    the timeline entries added since; Conflict if it changed meanwhile."""

    async def get(self, key: str) -> A: ...

    async def load(self, keys: list[str]) -> None:
        """Read ahead, in one query, what the unit of work is about to `get`."""
        ...

    async def add(self, aggregate: A) -> None: ...

    async def save(self, aggregate: A) -> None: ...

    async def listing(self, where: CaseFilter) -> list[A]: ...

    async def timeline(self, key: str) -> list[TimelineEntry]: ...


class RmaRepository(Aggregates["Rma"], Protocol):
    async def by_tracking(self, tracking_number: str) -> list[Rma]: ...

    async def awaiting_parcel(self, customer_id: str) -> list[Rma]:
        """RMAs of this customer that can still take a parcel (L6 third match)."""
        ...

    async def open_for_order(self, order_id: str) -> list[Rma]: ...

    async def opened_between(self, period: Period) -> list[Rma]: ...

    async def exchange_orders(self, status: str, limit: int) -> list[Rma]:
        """L8: exchanges whose replacement order is in `status` (pending, shipped, ...)."""
        ...


class RecallRepository(Aggregates["Recall"], Protocol):
    async def by_tracking(self, tracking_number: str) -> list[Recall]: ...


class ProblemParcelRepository(Aggregates["ProblemParcel"], Protocol):
    pass


class ReshipmentRepository(Aggregates["Reshipment"], Protocol):
    pass


class RefundRepository(Protocol):
    """L7: one refund per RMA or recall, enforced by a unique index."""

    async def add(self, refund: Refund) -> None:
        """Conflict (naming the existing refund) if the subject already has one."""
        ...

    async def for_subject(self, subject: str) -> Refund | None: ...

    async def issued_between(self, period: Period) -> list[Refund]: ...


class ReceiptRepository(Protocol):
    """L6: one receipt per `receipt_id`, enforced by the key."""

    async def get(self, receipt_id: str) -> RecordedReceipt | None: ...

    async def expect(self, receipt_ids: list[str]) -> None:
        """Read ahead, in one query, which of these the unit of work will `add` are known."""
        ...

    async def add(self, recorded: RecordedReceipt) -> bool:
        """Record it unless its id is already recorded; False (and nothing changed) if it was.
        Never fails on a known id, so a transaction can go on after a duplicate."""
        ...


class ParcelTaskRepository(Protocol):
    async def get(self, task_id: str) -> ParcelTask: ...

    async def add(self, task: ParcelTask) -> None:
        """Conflict if the task exists."""
        ...

    async def save(self, task: ParcelTask) -> None: ...

    async def listing(self, open_only: bool, limit: int) -> list[ParcelTask]: ...


class VoidRepository(Protocol):
    """L11: one void per order."""

    async def add(self, void: Void) -> None:
        """Conflict if the order is already voided."""
        ...

    async def get(self, order_id: str) -> Void | None: ...


class PolicyRepository(Protocol):
    async def promise_policy(self) -> PromisePolicy: ...

    async def save_promise_policy(self, policy: PromisePolicy, by: str, at: datetime) -> None: ...

    async def follow_up_policy(self) -> FollowUpPolicy:
        """The manager's follow-up delays; read once per unit of work (a consumer batch
        reads it once for all its events)."""
        ...

    async def save_follow_up_policy(self, policy: FollowUpPolicy, by: str,
                                    at: datetime) -> None: ...


class LogisticsRepositories(Protocol):
    """Every repository of the logistics service; inside `deps.transaction` they all join one
    transaction (`uow.<repository>`), `deps.reads` offers them outside any transaction."""

    numbers: Numbers
    rmas: RmaRepository
    recalls: RecallRepository
    problem_parcels: ProblemParcelRepository
    reshipments: ReshipmentRepository
    refunds: RefundRepository
    receipts: ReceiptRepository
    parcel_tasks: ParcelTaskRepository
    voids: VoidRepository
    policies: PolicyRepository


class LogisticsUnitOfWork(LogisticsRepositories, UnitOfWork, Protocol):
    """One transaction of the logistics service: its repositories, `publish` and the inbox."""
