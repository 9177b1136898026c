"""The ledger (H23: one entry per source, enforced by a unique index), settlements (one per
month, enforced by its id) and the activity fund (H22) on MongoDB."""

from __future__ import annotations

from collections.abc import Collection as Many
from typing import Any

from hr.domain.fund import FundEntry
from hr.domain.ledger import LedgerEntry
from hr.domain.settlement import Settlement
from hr.storage.base import Collection

LEDGER = "ledger"
SETTLEMENTS = "settlements"
FUND = "fund"


class MongoLedgerRepository(Collection[LedgerEntry]):
    name, record, id_field = LEDGER, LedgerEntry, "entry_id"

    async def add(self, entry: LedgerEntry) -> bool:
        """The unique index on `source_key` refuses a second entry for the same source."""
        return await self._insert_once({**self._doc(entry), "source_key": entry.source_key},
                                       "source_key")

    async def of_month(self, month: str, staff_ids: Many[str] | None = None
                       ) -> list[LedgerEntry]:
        query: dict[str, Any] = {"month": month}
        if staff_ids is not None:
            query["staff_id"] = {"$in": sorted(staff_ids)}
        return await self._many(query, [("at", 1), ("_id", 1)])

    async def count(self, staff_id: str, rule: str) -> int:
        return await self.collection.count_documents({"staff_id": staff_id, "rule": rule},
                                                     session=self.session)


class MongoSettlementRepository(Collection[Settlement]):
    """One settlement per month: its id is the month."""

    name, record, id_field = SETTLEMENTS, Settlement, "month"

    async def get(self, month: str) -> Settlement:
        return await self._get(month, "settlement for")

    async def add(self, settlement: Settlement) -> None:
        await self._insert(settlement, "the settlement of")

    async def save(self, settlement: Settlement) -> None:
        await self._save(settlement)

    async def closed_months(self) -> set[str]:
        return {doc["_id"] async for doc in self.collection.find(
            {"state": "approved"}, {"_id": 1}, session=self.session)}


class MongoFundRepository(Collection[FundEntry]):
    name, record, id_field = FUND, FundEntry, "entry_id"

    async def add(self, entry: FundEntry) -> bool:
        return await self._insert_once(self._doc(entry), "source")

    async def all(self) -> list[FundEntry]:
        return await self._many({}, [("at", 1), ("_id", 1)])
