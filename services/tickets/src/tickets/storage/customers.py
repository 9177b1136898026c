"""Customer profiles (T9, T15) and the customer-classification tiers (T9 policy)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from tickets.domain.customers import Customer, OrderReference
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

    async def get(self, customer_id: str) -> Customer:
        customer = await self.find(customer_id)
        if customer is None:
            raise NotFound(f"customer {customer_id} does not exist")
        return customer

    async def find(self, customer_id: str) -> Customer | None:
        doc = await self.collection.find_one({"_id": str(customer_id)}, session=self.session)
        return customer_from_doc(doc) if doc else None

    async def many(self, ids: list[str]) -> dict[str, Customer]:
        cursor = self.collection.find({"_id": {"$in": [str(i) for i in ids]}},
                                      session=self.session)
        return {doc["_id"]: customer_from_doc(doc) async for doc in cursor}

    async def by_platform_id(self, platform_id: str) -> Customer | None:
        doc = await self.collection.find_one({"platform_ids": str(platform_id)},
                                             session=self.session)
        return customer_from_doc(doc) if doc else None

    async def add(self, customer: Customer) -> None:
        try:
            await self.collection.insert_one(customer_doc(customer), session=self.session)
        except DuplicateKeyError:
            raise Conflict(f"customer {customer.id} already exists") from None

    async def save(self, customer: Customer) -> None:
        result = await self.collection.replace_one({"_id": customer.id}, customer_doc(customer),
                                                   session=self.session)
        if not result.matched_count:
            raise NotFound(f"customer {customer.id} does not exist")


# -- Customer <-> document: the one place the stored shape is written and read ---------------

_ORDER_FIELDS = ("order_id", "platform", "placed_on", "added_by", "added_at")
_KNOWN = {"_id", "name", "phone", "email", "address", "platform_ids", "tier", "orders",
          "created_at", "created_by", "updated_at", "updated_by"}


def customer_doc(customer: Customer) -> dict[str, Any]:
    doc: dict[str, Any] = {
        **customer.extra, "_id": customer.id, "name": customer.name, "phone": customer.phone,
        "email": customer.email, "address": customer.address,
        "platform_ids": list(customer.platform_ids), "tier": customer.tier,
        "orders": [_order_doc(o) for o in customer.orders],
        "created_at": customer.created_at, "created_by": customer.created_by}
    if customer.updated_at is not None or customer.updated_by is not None:
        doc["updated_at"], doc["updated_by"] = customer.updated_at, customer.updated_by
    return doc


def customer_from_doc(doc: dict[str, Any]) -> Customer:
    return Customer(
        id=doc["_id"], name=doc.get("name"), phone=doc.get("phone"), email=doc.get("email"),
        address=doc.get("address"), platform_ids=tuple(doc.get("platform_ids") or ()),
        tier=doc.get("tier"), orders=tuple(_order(o) for o in doc.get("orders") or ()),
        created_at=doc.get("created_at"), created_by=doc.get("created_by"),
        updated_at=doc.get("updated_at"), updated_by=doc.get("updated_by"),
        extra={k: v for k, v in doc.items() if k not in _KNOWN})


def _order_doc(order: OrderReference) -> dict[str, Any]:
    return {"order_id": order.order_id, "platform": order.platform,
            "placed_on": order.placed_on.isoformat() if order.placed_on else None,
            "added_by": order.added_by, "added_at": order.added_at}


def _order(doc: dict[str, Any]) -> OrderReference:
    placed_on = doc.get("placed_on")
    return OrderReference(
        order_id=doc["order_id"], platform=doc.get("platform"),
        placed_on=date.fromisoformat(placed_on) if placed_on else None,
        added_by=doc.get("added_by"), added_at=doc.get("added_at"))


class MongoTierRepository(MongoNamedList):
    """Implements `TierRepository`; `boost_priority` raises a new ticket's priority (T9)."""

    collection_name = TIERS
    label = "tier"
    defaults = DEFAULT_TIER_DOCS

    async def boosted(self) -> frozenset[str]:
        cursor = self.collection.find({"boost_priority": True}, {"_id": 1}, session=self.session)
        return frozenset([doc["_id"] async for doc in cursor])
