"""In-memory fakes of the logistics Protocols (domain/ports.py): the repositories, the unit of
work with its transaction (rolled back on error), a clock and a working-day calendar.

They keep the same promises as the Mongo repositories (proven by the shared contract tests in
tests/integration/logistics/test_logistics_repository_contract.py): the timeline only grows, a
refund is unique per subject, a receipt per id, an order's open items per open RMA.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from logistics.application.deps import Deps
from logistics.domain.errors import Conflict, NotFound
from logistics.domain.follow_up import FollowUpPolicy
from logistics.domain.model import Refund, case_number
from logistics.domain.ports import CaseFilter
from logistics.domain.promise import PromisePolicy
from logistics.domain.recall import Recall, Void
from logistics.domain.receipts import ParcelTask, RecordedReceipt
from logistics.domain.report import Period
from logistics.domain.rma import Rma
from logistics.domain.timeline import TimelineEntry
from logistics.settings import Settings
from ops_shared.contracts import Envelope, Event, new_envelope
from ops_shared.persistence import AlreadyHandled

SHANGHAI = ZoneInfo("Asia/Shanghai")
A = TypeVar("A")
T = TypeVar("T")


class FakeClock:
    def __init__(self, moment: datetime | None = None) -> None:
        self.moment = moment or datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.moment


class FakeCalendar:
    """Monday to Friday are working days, minus the holidays, plus the extra working days."""

    def __init__(self, holidays: Iterable[date] = (), workdays: Iterable[date] = ()) -> None:
        self.tz = SHANGHAI
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)

    def is_working_day(self, d: date) -> bool:
        return d in self.workdays or (d.weekday() < 5 and d not in self.holidays)


@dataclass
class Stored(Generic[A]):
    aggregate: A
    timeline: list[TimelineEntry]
    version: int = 1


@dataclass
class FakeState:
    """Everything the fakes store; a transaction works on a copy and keeps it on success."""

    aggregates: dict[str, dict[str, Stored]] = field(default_factory=dict)
    refunds: dict[str, Refund] = field(default_factory=dict)
    receipts: dict[str, RecordedReceipt] = field(default_factory=dict)
    tasks: dict[str, ParcelTask] = field(default_factory=dict)
    voids: dict[str, Void] = field(default_factory=dict)
    policy: PromisePolicy | None = None
    follow_up: FollowUpPolicy | None = None
    counters: dict[str, int] = field(default_factory=dict)
    inbox: set[str] = field(default_factory=set)
    outbox: list[Envelope] = field(default_factory=list)


class FakeAggregates(Generic[A]):
    key = "number"
    what = "case"
    name = "cases"

    def __init__(self, state: FakeState) -> None:
        self.state = state
        self._versions: dict[str, int] = {}

    @property
    def rows(self) -> dict[str, Stored]:
        return self.state.aggregates.setdefault(self.name, {})

    async def get(self, key: str) -> A:
        if key not in self.rows:
            raise NotFound(f"{self.what} {key} does not exist")
        stored = self.rows[key]
        self._versions[key] = stored.version
        aggregate = copy.deepcopy(stored.aggregate)
        aggregate.timeline = []  # type: ignore[attr-defined]
        return aggregate

    async def load(self, keys: list[str]) -> None:
        """Reading ahead changes nothing in memory."""

    async def add(self, aggregate: A) -> None:
        key = getattr(aggregate, self.key)
        if key in self.rows:
            raise Conflict(f"{self.what} {key} already exists")
        self.check_unique(aggregate)
        self.rows[key] = Stored(self._without_timeline(aggregate),
                                list(aggregate.timeline))  # type: ignore[attr-defined]
        self._versions[key] = 1
        aggregate.timeline = []  # type: ignore[attr-defined]

    async def save(self, aggregate: A) -> None:
        key = getattr(aggregate, self.key)
        stored = self.rows[key]
        if stored.version != self._versions[key]:
            raise Conflict(f"{self.what} {key} changed meanwhile; try again")
        self.check_unique(aggregate)
        stored.timeline += aggregate.timeline  # type: ignore[attr-defined]
        aggregate.timeline = []  # type: ignore[attr-defined]
        stored.aggregate = self._without_timeline(aggregate)
        stored.version += 1
        self._versions[key] = stored.version

    async def listing(self, where: CaseFilter) -> list[A]:
        found = [s.aggregate for s in self.rows.values()
                 if (where.state is None or s.aggregate.state == where.state)
                 and (where.order_id is None or s.aggregate.order_id == where.order_id)
                 and (where.owner_id is None or s.aggregate.owner_id == where.owner_id)
                 and (not where.open_only or s.aggregate.is_open)]
        found.sort(key=lambda a: a.opened_at, reverse=True)
        return copy.deepcopy(found[: where.limit])

    async def timeline(self, key: str) -> list[TimelineEntry]:
        if key not in self.rows:
            raise NotFound(f"{self.what} {key} does not exist")
        return list(self.rows[key].timeline)

    def find(self, match: Callable[[A], bool]) -> list[A]:
        return copy.deepcopy([s.aggregate for s in self.rows.values() if match(s.aggregate)])

    def check_unique(self, aggregate: A) -> None:
        pass

    @staticmethod
    def _without_timeline(aggregate: A) -> A:
        kept = copy.deepcopy(aggregate)
        kept.timeline = []  # type: ignore[attr-defined]
        return kept


class FakeRmas(FakeAggregates[Rma]):
    what, name = "RMA", "rmas"

    def check_unique(self, aggregate: Rma) -> None:
        if not aggregate.is_open:
            return
        for other in self.rows.values():
            rma = other.aggregate
            if (rma.number != aggregate.number and rma.is_open
                    and rma.order_id == aggregate.order_id and rma.skus & aggregate.skus):
                raise Conflict(f"order {aggregate.order_id} already has an open RMA for these "
                               "items")

    async def by_tracking(self, tracking_number: str) -> list[Rma]:
        return self.find(lambda r: r.tracking_number == tracking_number)

    async def awaiting_parcel(self, customer_id: str) -> list[Rma]:
        from logistics.domain.rma import TAKES_PARCEL
        return self.find(lambda r: r.card.customer_id == customer_id and r.state in TAKES_PARCEL)

    async def open_for_order(self, order_id: str) -> list[Rma]:
        return self.find(lambda r: r.order_id == order_id and r.is_open)

    async def opened_between(self, period: Period) -> list[Rma]:
        return self.find(lambda r: period.start <= r.opened_at < period.end)

    async def exchange_orders(self, status: str, limit: int) -> list[Rma]:
        return self.find(lambda r: r.exchange is not None and r.exchange.status == status
                         and r.is_open)[:limit]


class FakeRecalls(FakeAggregates[Recall]):
    what, name = "recall", "recalls"

    async def by_tracking(self, tracking_number: str) -> list[Recall]:
        return self.find(lambda r: r.tracking_number == tracking_number)


class FakeProblemParcels(FakeAggregates[Any]):
    key, what, name = "case_id", "problem parcel", "problem_parcels"


class FakeReshipments(FakeAggregates[Any]):
    key, what, name = "case_id", "re-shipment", "reshipments"


class FakeRefunds:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    async def add(self, refund: Refund) -> None:
        if refund.subject in self.state.refunds:
            raise Conflict(f"{refund.subject} is already refunded", existing=refund.refund_id)
        self.state.refunds[refund.subject] = refund

    async def for_subject(self, subject: str) -> Refund | None:
        return self.state.refunds.get(subject)

    async def issued_between(self, period: Period) -> list[Refund]:
        return [r for r in self.state.refunds.values()
                if period.start <= r.issued_at < period.end]


class FakeReceipts:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    async def get(self, receipt_id: str) -> RecordedReceipt | None:
        return self.state.receipts.get(receipt_id)

    async def expect(self, receipt_ids: list[str]) -> None:
        """Reading ahead changes nothing in memory."""

    async def add(self, recorded: RecordedReceipt) -> bool:
        key = recorded.receipt.receipt_id
        if key in self.state.receipts:
            return False
        self.state.receipts[key] = recorded
        return True


class FakeParcelTasks:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    async def get(self, task_id: str) -> ParcelTask:
        if task_id not in self.state.tasks:
            raise NotFound(f"parcel task {task_id} does not exist")
        return copy.deepcopy(self.state.tasks[task_id])

    async def add(self, task: ParcelTask) -> None:
        if task.task_id in self.state.tasks:
            raise Conflict(f"parcel task {task.task_id} exists", existing=task.task_id)
        self.state.tasks[task.task_id] = copy.deepcopy(task)

    async def save(self, task: ParcelTask) -> None:
        self.state.tasks[task.task_id] = copy.deepcopy(task)

    async def listing(self, open_only: bool, limit: int) -> list[ParcelTask]:
        tasks = [t for t in self.state.tasks.values() if not open_only or t.state == "open"]
        return copy.deepcopy(sorted(tasks, key=lambda t: t.created_at, reverse=True)[:limit])


class FakeVoids:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    async def add(self, void: Void) -> None:
        if void.order_id in self.state.voids:
            raise Conflict(f"order {void.order_id} is already voided", existing=void.order_id)
        self.state.voids[void.order_id] = void

    async def get(self, order_id: str) -> Void | None:
        return self.state.voids.get(order_id)


class FakePolicies:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    async def promise_policy(self) -> PromisePolicy:
        return self.state.policy or PromisePolicy()

    async def save_promise_policy(self, policy: PromisePolicy, by: str, at: datetime) -> None:
        self.state.policy = replace(policy)

    async def follow_up_policy(self) -> FollowUpPolicy:
        return self.state.follow_up or FollowUpPolicy()

    async def save_follow_up_policy(self, policy: FollowUpPolicy, by: str,
                                    at: datetime) -> None:
        self.state.follow_up = policy


class FakeNumbers:
    def __init__(self, state: FakeState) -> None:
        self.state = state

    async def next(self, prefix: str, day: date) -> str:
        key = f"{prefix}:{day:%Y%m%d}"
        self.state.counters[key] = self.state.counters.get(key, 0) + 1
        return case_number(prefix, day, self.state.counters[key])


class FakeRepositories:
    """Implements `LogisticsRepositories` over one `FakeState`."""

    def __init__(self, state: FakeState) -> None:
        self.numbers = FakeNumbers(state)
        self.rmas = FakeRmas(state)
        self.recalls = FakeRecalls(state)
        self.problem_parcels = FakeProblemParcels(state)
        self.reshipments = FakeReshipments(state)
        self.refunds = FakeRefunds(state)
        self.receipts = FakeReceipts(state)
        self.parcel_tasks = FakeParcelTasks(state)
        self.voids = FakeVoids(state)
        self.policies = FakePolicies(state)


class FakeUnitOfWork(FakeRepositories):
    """Implements `LogisticsUnitOfWork`: the repositories, `publish`, the inbox."""

    def __init__(self, state: FakeState) -> None:
        super().__init__(state)
        self.state = state
        self.pending: list[Envelope] = []

    def publish(self, event: Event, **headers: str) -> Envelope:
        envelope = new_envelope(event)
        self.pending.append(envelope)
        return envelope

    async def record_inbox(self, envelope: Envelope) -> None:
        if envelope.id in self.state.inbox:
            raise AlreadyHandled(envelope.id)
        self.state.inbox.add(envelope.id)


class FakeDatabase:
    """One store; `transaction` runs work on a copy and keeps it only if work succeeds."""

    def __init__(self) -> None:
        self.state = FakeState()

    async def transaction(self, work: Callable[[FakeUnitOfWork], Awaitable[T]]) -> T:
        trial = copy.deepcopy(self.state)
        uow = FakeUnitOfWork(trial)
        result = await work(uow)
        trial.outbox += uow.pending
        self.state.__dict__.update(trial.__dict__)
        return result

    def published(self, type_: str) -> list[dict[str, Any]]:
        return [e.data for e in self.state.outbox if e.type == type_]


def fake_deps(database: FakeDatabase | None = None, clock: FakeClock | None = None,
              calendar: FakeCalendar | None = None) -> Deps:
    database = database or FakeDatabase()
    return Deps(clock=clock or FakeClock(), calendar=calendar or FakeCalendar(),
                settings=Settings(), transaction=database.transaction,
                reads=FakeRepositories(database.state))
