"""The tickets repositories on MongoDB, and the unit of work in which they all join one session."""

from __future__ import annotations

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from ops_shared.persistence import JoinedUnitOfWork
from tickets.domain.ports import (
    ArticleRepository,
    CategoryRepository,
    CustomerRepository,
    PolicyRepository,
    ReviewRepository,
    StaffRepository,
    SurveyRepository,
    TicketNumbers,
    TicketQueries,
    TicketRepository,
    TierRepository,
)
from tickets.storage.categories import MongoCategoryRepository
from tickets.storage.customers import MongoCustomerRepository, MongoTierRepository
from tickets.storage.knowledge import MongoArticleRepository
from tickets.storage.policies import MongoPolicyRepository
from tickets.storage.review import MongoReviewRepository
from tickets.storage.staff import MongoStaffRepository
from tickets.storage.surveys import MongoSurveyRepository
from tickets.storage.tickets import MongoTicketNumbers, MongoTicketQueries, MongoTicketRepository


class MongoTicketsRepositories:
    """Implements `TicketsRepositories`: every repository, joining `session` when one is given
    (without one, each call stands alone: the read side, `deps.reads`)."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        # -- ticket core --------------------------------------------------------------------
        self.tickets: TicketRepository = MongoTicketRepository(db, session)
        self.numbers: TicketNumbers = MongoTicketNumbers(db, session)
        self.ticket_queries: TicketQueries = MongoTicketQueries(db, session)
        # -- customers, tiers, categories, policies, staff and duty -------------------------
        self.customers: CustomerRepository = MongoCustomerRepository(db, session)
        self.tiers: TierRepository = MongoTierRepository(db, session)
        self.categories: CategoryRepository = MongoCategoryRepository(db, session)
        self.policies: PolicyRepository = MongoPolicyRepository(db, session)
        self.staff: StaffRepository = MongoStaffRepository(db, session)
        # -- surveys, daily review, knowledge base ------------------------------------------
        self.surveys: SurveyRepository = MongoSurveyRepository(db, session)
        self.review: ReviewRepository = MongoReviewRepository(db, session)
        self.articles: ArticleRepository = MongoArticleRepository(db, session)


class MongoTicketsUnitOfWork(JoinedUnitOfWork, MongoTicketsRepositories):
    """Implements `TicketsUnitOfWork`: the repositories of one transaction, `publish`, inbox."""
