"""The logistics repositories on MongoDB, and the unit of work in which they all join one
session."""

from __future__ import annotations

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from logistics.domain.ports import (
    Numbers,
    ParcelTaskRepository,
    PolicyRepository,
    ProblemParcelRepository,
    RecallRepository,
    ReceiptRepository,
    RefundRepository,
    ReshipmentRepository,
    RmaRepository,
    VoidRepository,
)
from logistics.storage.cases import MongoProblemParcelRepository, MongoReshipmentRepository
from logistics.storage.policies import MongoNumbers, MongoPolicyRepository
from logistics.storage.recalls import MongoRecallRepository, MongoVoidRepository
from logistics.storage.receipts import MongoParcelTaskRepository, MongoReceiptRepository
from logistics.storage.refunds import MongoRefundRepository
from logistics.storage.rmas import MongoRmaRepository
from ops_shared.persistence import JoinedUnitOfWork


class MongoLogisticsRepositories:
    """Implements `LogisticsRepositories`, joining `session` when one is given (without one,
    each call stands alone: the read side, `deps.reads`)."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.numbers: Numbers = MongoNumbers(db, session)
        self.rmas: RmaRepository = MongoRmaRepository(db, session)
        self.recalls: RecallRepository = MongoRecallRepository(db, session)
        self.problem_parcels: ProblemParcelRepository = MongoProblemParcelRepository(db, session)
        self.reshipments: ReshipmentRepository = MongoReshipmentRepository(db, session)
        self.refunds: RefundRepository = MongoRefundRepository(db, session)
        self.receipts: ReceiptRepository = MongoReceiptRepository(db, session)
        self.parcel_tasks: ParcelTaskRepository = MongoParcelTaskRepository(db, session)
        self.voids: VoidRepository = MongoVoidRepository(db, session)
        self.policies: PolicyRepository = MongoPolicyRepository(db, session)


class MongoLogisticsUnitOfWork(JoinedUnitOfWork, MongoLogisticsRepositories):
    """Implements `LogisticsUnitOfWork`: the repositories of one transaction, `publish`, inbox."""
