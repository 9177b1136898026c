"""Indexes declared in code, one list per service, applied at start."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pymongo import IndexModel
from pymongo.asynchronous.database import AsyncDatabase

OUTBOX = "outbox"
OUTBOX_LEASE = "outbox_lease"
INBOX = "inbox"


@dataclass(frozen=True)
class Indexes:
    """Indexes a collection needs, declared in code and applied at start."""

    collection: str
    models: tuple[IndexModel, ...]


FOUNDATION_INDEXES = (
    Indexes(OUTBOX, (
        IndexModel([("status", 1), ("created_at", 1)], name="pending"),
    )),
    Indexes(INBOX, (IndexModel([("handled_at", 1)], name="handled_at"),)),
)


async def apply_indexes(db: AsyncDatabase, declared: Iterable[Indexes]) -> None:
    for spec in declared:
        if spec.models:
            await db[spec.collection].create_indexes(list(spec.models))
