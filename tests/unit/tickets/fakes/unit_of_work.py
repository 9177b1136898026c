"""The fake unit of work and transaction, and `fake_deps`, the tickets `Deps` built on them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from ops_shared.calendar import WorkCalendar
from ops_shared.contracts import Envelope, Event, new_envelope
from ops_shared.persistence import MAX_TRANSACTION_ATTEMPTS, AlreadyHandled
from tickets.application.deps import Deps
from tickets.domain.ports import (
    ArticleRepository,
    Calendar,
    CategoryRepository,
    Clock,
    CustomerRepository,
    PolicyRepository,
    ReviewRepository,
    StaffRepository,
    SurveyRepository,
    TicketNumbers,
    TicketQueries,
    TicketRepository,
    TicketsUnitOfWork,
    TierRepository,
)
from tickets.domain.staffed_hours import RULEBOOK_STAFFED_HOURS
from tickets.settings import Settings

from .core import FakeTicketNumbers, FakeTicketQueries, FakeTicketRepository
from .people import FakeCustomerRepository, FakeStaffRepository
from .policies import (
    DEFAULT_CATEGORY_DOCS,
    DEFAULT_TIER_DOCS,
    FakeCategoryRepository,
    FakePolicyRepository,
    FakeTierRepository,
    seed_list,
    seed_policies,
)
from .records import FakeArticleRepository, FakeReviewRepository, FakeSurveyRepository
from .store import Store

T = TypeVar("T")


class FakeTicketsRepositories:
    """Implements `TicketsRepositories`: every fake repository over one `Store` (typed as its
    port, so a type checker proves each fake implements it)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        # -- ticket core --------------------------------------------------------------------
        self.tickets: TicketRepository = FakeTicketRepository(store)
        self.numbers: TicketNumbers = FakeTicketNumbers(store)
        self.ticket_queries: TicketQueries = FakeTicketQueries(store)
        # -- customers, tiers, categories, policies, staff and duty -------------------------
        self.customers: CustomerRepository = FakeCustomerRepository(store)
        self.tiers: TierRepository = FakeTierRepository(store)
        self.categories: CategoryRepository = FakeCategoryRepository(store)
        self.policies: PolicyRepository = FakePolicyRepository(store)
        self.staff: StaffRepository = FakeStaffRepository(store)
        # -- surveys, daily review, knowledge base ------------------------------------------
        self.surveys: SurveyRepository = FakeSurveyRepository(store)
        self.review: ReviewRepository = FakeReviewRepository(store)
        self.articles: ArticleRepository = FakeArticleRepository(store)


class FakeTicketsUnitOfWork(FakeTicketsRepositories):
    """Implements `TicketsUnitOfWork` on a draft store: `publish` queues envelopes in the
    draft's outbox, `record_inbox` refuses an event id it holds already."""

    def publish(self, event: Event, **headers: str) -> Envelope:
        envelope = new_envelope(event)
        self.store.outbox.append(envelope)
        return envelope

    async def record_inbox(self, envelope: Envelope) -> None:
        if envelope.id in self.store.inbox:
            raise AlreadyHandled(envelope.id)
        self.store.inbox.add(envelope.id)


class FakeTransaction:
    """Implements `Transaction[TicketsUnitOfWork]` on a `Store`.

    Each call runs `work` on a private draft of the store. The draft replaces the store only
    if `work` returns: writes, published events and inbox rows of a work that raises are
    discarded, as in an aborted Mongo transaction. If another transaction committed while
    `work` ran (concurrent tasks), `work` runs again on a fresh draft, as Mongo retries a
    transaction whole after a write conflict.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.calls = 0

    async def __call__(self, work: Callable[[TicketsUnitOfWork], Awaitable[T]], /) -> T:
        for _ in range(MAX_TRANSACTION_ATTEMPTS):
            self.calls += 1
            seen, draft = self.store.commits, self.store.draft()
            result = await work(FakeTicketsUnitOfWork(draft))
            if self.store.commits == seen:
                self.store.commit(draft)
                return result
        raise AssertionError("the fake transaction kept conflicting")


class FixedClock:
    """A clock a test sets and moves by hand."""

    def __init__(self, moment: datetime | None = None) -> None:
        self.moment = moment or datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thu 10:00 Shanghai

    def now(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


def seeded(store: Store | None = None) -> Store:
    """A store holding what the service seeds at start: SLA policies, tiers, categories."""
    store = store or Store()
    seed_policies(store)
    seed_list(store.tiers, DEFAULT_TIER_DOCS)
    seed_list(store.categories, DEFAULT_CATEGORY_DOCS)
    store.staffed_hours = RULEBOOK_STAFFED_HOURS
    for what in ("sla_policies", "staffed_hours", "tiers", "suggestion_categories"):
        store.service_settings[f"seeded:{what}"] = {"_id": f"seeded:{what}"}
    return store


def fake_deps(store: Store | None = None, *, clock: Clock | None = None,
              calendar: Calendar | None = None, settings: Settings | None = None) -> Deps:
    """The tickets `Deps` on fakes: a seeded store unless one is given, a `FixedClock`, the
    real (pure) working-day calendar. `store_of(deps)` reaches the store, `clock_of(deps)` the
    clock."""
    store = store if store is not None else seeded()
    reads = FakeTicketsRepositories(store)
    return Deps(clock=clock or FixedClock(), calendar=calendar or WorkCalendar(),
                settings=settings or Settings(_env_file=None),  # type: ignore[call-arg]
                transaction=FakeTransaction(store), reads=reads, numbers=reads.numbers)


def clock_of(deps: Deps) -> FixedClock:
    """The `FixedClock` of `fake_deps`, to move by hand."""
    assert isinstance(deps.clock, FixedClock)
    return deps.clock


def store_of(deps: Deps) -> Store:
    """The store behind `fake_deps`."""
    transaction = deps.transaction
    assert isinstance(transaction, FakeTransaction)
    return transaction.store
