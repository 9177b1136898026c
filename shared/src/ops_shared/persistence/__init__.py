"""Persistence: the MongoDB client, declared indexes, the unit of work and transaction retry."""

from ops_shared.persistence.client import make_client
from ops_shared.persistence.indexes import (
    FOUNDATION_INDEXES,
    INBOX,
    OUTBOX,
    OUTBOX_LEASE,
    Indexes,
    apply_indexes,
)
from ops_shared.persistence.transactions import (
    MAX_TRANSACTION_ATTEMPTS,
    TransactionBusy,
    transaction_budget,
)
from ops_shared.persistence.unit_of_work import (
    AlreadyHandled,
    Database,
    JoinedUnitOfWork,
    MongoUnitOfWork,
    Transaction,
    UnitOfWork,
    inbox_row,
    outbox_row,
)

__all__ = [
    "FOUNDATION_INDEXES",
    "INBOX",
    "MAX_TRANSACTION_ATTEMPTS",
    "OUTBOX",
    "OUTBOX_LEASE",
    "AlreadyHandled",
    "Database",
    "Indexes",
    "JoinedUnitOfWork",
    "MongoUnitOfWork",
    "Transaction",
    "TransactionBusy",
    "UnitOfWork",
    "apply_indexes",
    "inbox_row",
    "make_client",
    "outbox_row",
    "transaction_budget",
]
