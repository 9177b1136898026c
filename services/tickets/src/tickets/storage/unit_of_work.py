"""The tickets repositories on MongoDB, and the unit of work in which they all join one session."""

from __future__ import annotations

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from ops_shared.contracts import Envelope, Event
from ops_shared.persistence import MongoUnitOfWork
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
        self.tickets = MongoTicketRepository(db, session)
        self.numbers = MongoTicketNumbers(db, session)
        self.ticket_queries = MongoTicketQueries(db, session)
        # -- customers, tiers, categories, policies, staff and duty -------------------------
        self.customers = MongoCustomerRepository(db, session)
        self.tiers = MongoTierRepository(db, session)
        self.categories = MongoCategoryRepository(db, session)
        self.policies = MongoPolicyRepository(db, session)
        self.staff = MongoStaffRepository(db, session)
        # -- surveys, daily review, knowledge base ------------------------------------------
        self.surveys = MongoSurveyRepository(db, session)
        self.review = MongoReviewRepository(db, session)
        self.articles = MongoArticleRepository(db, session)


class MongoTicketsUnitOfWork(MongoTicketsRepositories):
    """Implements `TicketsUnitOfWork`: the repositories of one transaction, `publish`, inbox."""

    def __init__(self, base: MongoUnitOfWork) -> None:
        super().__init__(base.db, base.session)
        self.base = base

    def publish(self, event: Event, **headers: str) -> Envelope:
        return self.base.publish(event, **headers)

    async def record_inbox(self, envelope: Envelope) -> None:
        await self.base.record_inbox(envelope)
