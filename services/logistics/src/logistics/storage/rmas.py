"""RMAs in MongoDB (L1, L14): the open-items key that refuses a second open RMA for the same
items of an order, lookups for receipt matching (L6) and the report."""

from __future__ import annotations

from typing import Any

from pymongo.errors import DuplicateKeyError

from logistics.domain.errors import Conflict
from logistics.domain.report import Period
from logistics.domain.rma import TAKES_PARCEL, Rma
from logistics.storage.aggregates import MongoAggregates
from logistics.storage.documents import from_doc
from logistics.storage.held_writes import send_held

RMAS = "rmas"


def open_keys(rma: Rma) -> list[str] | None:
    """`order|sku` of every item while the RMA is open: unique across open RMAs (L1)."""
    return [f"{rma.order_id}|{sku}" for sku in sorted(rma.skus)] if rma.is_open else None


class MongoRmaRepository(MongoAggregates[Rma]):
    """Implements `RmaRepository`."""

    kind, collection_name, key, what = Rma, RMAS, "number", "RMA"
    unset_when_none = frozenset({"open_keys"})

    def indexed_fields(self, aggregate: Rma) -> dict[str, Any]:
        return {"open_keys": open_keys(aggregate), "customer_id": aggregate.card.customer_id}

    async def by_tracking(self, tracking_number: str) -> list[Rma]:
        return await self.find({"tracking_number": tracking_number})

    async def awaiting_parcel(self, customer_id: str) -> list[Rma]:
        return await self.find({"customer_id": customer_id,
                                "state": {"$in": sorted(s.value for s in TAKES_PARCEL)}})

    async def open_for_order(self, order_id: str) -> list[Rma]:
        return await self.find({"order_id": order_id, "open": True})

    async def opened_between(self, period: Period) -> list[Rma]:
        return await self.find({"opened_at": {"$gte": period.start, "$lt": period.end}})

    async def exchange_orders(self, status: str, limit: int) -> list[Rma]:
        await send_held(self.session)
        cursor = self.collection.find({"exchange.status": status, "open": True},
                                      {"timeline": 0}, sort=[("opened_at", 1)], limit=limit,
                                      session=self.session)
        return [from_doc(Rma, doc) async for doc in cursor]

    def _conflict(self, aggregate: Rma, exc: DuplicateKeyError) -> Conflict:
        if "open_keys" in str(exc):
            return Conflict(f"order {aggregate.order_id} already has an open RMA for these "
                            "items")
        return super()._conflict(aggregate, exc)

