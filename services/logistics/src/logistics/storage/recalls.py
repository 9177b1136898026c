"""Recalls and voids in MongoDB (L10, L11)."""

from __future__ import annotations

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from logistics.domain.errors import Conflict
from logistics.domain.recall import Recall, Void
from logistics.storage.aggregates import MongoAggregates
from logistics.storage.documents import from_doc, to_doc

RECALLS = "recalls"
VOIDS = "voids"


class MongoRecallRepository(MongoAggregates[Recall]):
    """Implements `RecallRepository`."""

    kind, collection_name, key, what = Recall, RECALLS, "number", "recall"

    async def by_tracking(self, tracking_number: str) -> list[Recall]:
        return await self.find({"tracking_number": tracking_number})


class MongoVoidRepository:
    """Implements `VoidRepository`: keyed by order id, so an order is voided once."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.collection = db[VOIDS]
        self.session = session

    async def add(self, void: Void) -> None:
        try:
            await self.collection.insert_one({"_id": void.order_id, **to_doc(void)},
                                             session=self.session)
        except DuplicateKeyError:
            raise Conflict(f"order {void.order_id} is already voided",
                           existing=void.order_id) from None

    async def get(self, order_id: str) -> Void | None:
        doc = await self.collection.find_one({"_id": order_id}, session=self.session)
        return from_doc(Void, doc) if doc else None
