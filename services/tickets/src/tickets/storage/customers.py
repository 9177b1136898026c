"""Customer profiles (T9, T15) and the customer-classification tiers (T9 policy)."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from tickets.domain.errors import Conflict, NotFound
from tickets.domain.model import BOOST_TIERS, DEFAULT_TIERS
from tickets.storage.named import MongoNamedList

CUSTOMERS = "customers"
TIERS = "tiers"

DEFAULT_TIER_DOCS: tuple[dict[str, Any], ...] = tuple(
    {"_id": name, "description": {"key": "大客户 key account", "regular": "regular customer",
                                  "new": "new customer"}[name],
     "boost_priority": name in BOOST_TIERS}
    for name in DEFAULT_TIERS
)


class MongoCustomerRepository:
    """Implements `CustomerRepository`; `session` joins a transaction when given."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.collection = db[CUSTOMERS]
        self.session = session

    async def get(self, customer_id: str) -> dict[str, Any]:
        doc = await self.find(customer_id)
        if doc is None:
            raise NotFound(f"customer {customer_id} does not exist")
        return doc

    async def find(self, customer_id: str) -> dict[str, Any] | None:
        return await self.collection.find_one({"_id": str(customer_id)}, session=self.session)

    async def many(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        cursor = self.collection.find({"_id": {"$in": [str(i) for i in ids]}},
                                      session=self.session)
        return {doc["_id"]: doc async for doc in cursor}

    async def by_platform_id(self, platform_id: str) -> dict[str, Any] | None:
        return await self.collection.find_one({"platform_ids": str(platform_id)},
                                              session=self.session)

    async def add(self, doc: dict[str, Any]) -> None:
        try:
            await self.collection.insert_one(doc, session=self.session)
        except DuplicateKeyError:
            raise Conflict(f"customer {doc['_id']} already exists") from None

    async def update(self, customer_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        doc = await self.collection.find_one_and_update(
            {"_id": str(customer_id)}, {"$set": changes}, return_document=True,
            session=self.session)
        if doc is None:
            raise NotFound(f"customer {customer_id} does not exist")
        return doc

    async def add_order(self, customer_id: str, order: dict[str, Any]) -> dict[str, Any]:
        doc = await self.collection.find_one_and_update(
            {"_id": str(customer_id), "orders.order_id": {"$ne": order["order_id"]}},
            {"$push": {"orders": order}}, return_document=True, session=self.session)
        return doc if doc is not None else await self.get(customer_id)


class MongoTierRepository(MongoNamedList):
    """Implements `TierRepository`; `boost_priority` raises a new ticket's priority (T9)."""

    collection_name = TIERS
    label = "tier"
    defaults = DEFAULT_TIER_DOCS

    async def boosted(self) -> frozenset[str]:
        cursor = self.collection.find({"boost_priority": True}, {"_id": 1}, session=self.session)
        return frozenset([doc["_id"] async for doc in cursor])
