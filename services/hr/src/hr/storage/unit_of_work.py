"""The hr repositories on MongoDB, and the unit of work in which they all join one session."""

from __future__ import annotations

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from hr.domain.ports import (
    FactRepository,
    FundRepository,
    JobRepository,
    LedgerRepository,
    PolicyRepository,
    PresenceRepository,
    PunchRepository,
    RequestRepository,
    RosterRepository,
    SettlementRepository,
    StaffRepository,
)
from hr.storage.directory import MongoPolicyRepository, MongoStaffRepository
from hr.storage.money import MongoFundRepository, MongoLedgerRepository, MongoSettlementRepository
from hr.storage.records import (
    MongoFactRepository,
    MongoJobRepository,
    MongoPresenceRepository,
    MongoPunchRepository,
)
from hr.storage.rosters import MongoRequestRepository, MongoRosterRepository
from ops_shared.persistence import JoinedUnitOfWork


class MongoHrRepositories:
    """Implements `HrRepositories`, joining `session` when one is given."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.staff: StaffRepository = MongoStaffRepository(db, session)
        self.policies: PolicyRepository = MongoPolicyRepository(db, session)
        self.rosters: RosterRepository = MongoRosterRepository(db, session)
        self.punches: PunchRepository = MongoPunchRepository(db, session)
        self.requests: RequestRepository = MongoRequestRepository(db, session)
        self.presence: PresenceRepository = MongoPresenceRepository(db, session)
        self.ledger: LedgerRepository = MongoLedgerRepository(db, session)
        self.settlements: SettlementRepository = MongoSettlementRepository(db, session)
        self.fund: FundRepository = MongoFundRepository(db, session)
        self.facts: FactRepository = MongoFactRepository(db, session)
        self.jobs: JobRepository = MongoJobRepository(db, session)


class MongoHrUnitOfWork(JoinedUnitOfWork, MongoHrRepositories):
    """Implements `HrUnitOfWork`: the repositories of one transaction, `publish`, inbox."""
