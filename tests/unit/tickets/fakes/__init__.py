"""In-memory fakes of the tickets service's Protocols (`tickets.domain.ports`) and its `Deps`.

Unit tests of use cases run on these; `tests/contract/tickets/` runs one set of repository
tests against both these fakes and the Mongo repositories, so that the two cannot drift.
"""

from .core import FakeTicketNumbers, FakeTicketQueries, FakeTicketRepository
from .people import FakeCustomerRepository, FakeStaffRepository
from .policies import (
    FakeCategoryRepository,
    FakeNamedList,
    FakePolicyRepository,
    FakeTierRepository,
)
from .records import FakeArticleRepository, FakeReviewRepository, FakeSurveyRepository
from .store import Store, StoredTicket
from .unit_of_work import (
    FakeTicketsRepositories,
    FakeTicketsUnitOfWork,
    FakeTransaction,
    FixedClock,
    clock_of,
    fake_deps,
    seeded,
    store_of,
)

__all__ = [
    "FakeArticleRepository",
    "FakeCategoryRepository",
    "FakeCustomerRepository",
    "FakeNamedList",
    "FakePolicyRepository",
    "FakeReviewRepository",
    "FakeStaffRepository",
    "FakeSurveyRepository",
    "FakeTicketNumbers",
    "FakeTicketQueries",
    "FakeTicketRepository",
    "FakeTicketsRepositories",
    "FakeTicketsUnitOfWork",
    "FakeTierRepository",
    "FakeTransaction",
    "FixedClock",
    "Store",
    "StoredTicket",
    "clock_of",
    "fake_deps",
    "seeded",
    "store_of",
]
