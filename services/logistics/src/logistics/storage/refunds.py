"""Refunds in MongoDB (L7): exactly once per RMA or recall, enforced by the database.

The `subject` (RMA or recall number) has a unique index, and the refund id is derived from it:
a second refund for the same subject fails to insert, whatever path it came by (redelivery, a
replay from the dead letters, two replicas, a double click). Inside a transaction the failed
insert aborts the whole transaction, so the RMA is not marked refunded twice either.
"""

from __future__ import annotations

from pymongo import InsertOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from logistics.domain.errors import Conflict
from logistics.domain.model import Refund
from logistics.domain.report import Period
from logistics.storage.documents import from_doc, to_doc
from logistics.storage.held_writes import held_writes, send_held

REFUNDS = "refunds"


class MongoRefundRepository:
    """Implements `RefundRepository`."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.collection = db[REFUNDS]
        self.session = session

    async def add(self, refund: Refund) -> None:
        doc = {"_id": refund.refund_id, **to_doc(refund), "amount_fen": refund.amount_fen}

        def refunded(_: DuplicateKeyError | None = None) -> Conflict:
            return Conflict(f"{refund.subject} is already refunded ({refund.refund_id})",
                            existing=refund.refund_id)

        held = held_writes(self.session)
        if held is not None:  # the unique keys decide at the send, before the commit
            held.hold(REFUNDS, InsertOne(doc), refunded)
            return
        try:
            await self.collection.insert_one(doc, session=self.session)
        except DuplicateKeyError:
            raise refunded() from None

    async def for_subject(self, subject: str) -> Refund | None:
        await send_held(self.session)
        doc = await self.collection.find_one({"subject": subject}, session=self.session)
        return from_doc(Refund, doc) if doc else None

    async def issued_between(self, period: Period) -> list[Refund]:
        await send_held(self.session)
        cursor = self.collection.find(
            {"issued_at": {"$gte": period.start, "$lt": period.end}}, session=self.session)
        return [from_doc(Refund, doc) async for doc in cursor]
