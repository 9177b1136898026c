"""Append-only records on MongoDB: punches (H3), presence (H13), ticket facts, job leases."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import BulkWriteError, DuplicateKeyError

from hr.domain.attendance import Punch
from hr.domain.errors import Conflict
from hr.domain.presence import PresenceChange
from hr.storage.base import Collection

PUNCHES = "punches"
PRESENCE = "presence"
FACTS = "ticket_facts"
JOBS = "jobs"


class MongoPunchRepository(Collection[Punch]):
    """Punches by id: a device punch id is stored once, so a re-import adds nothing."""

    name, record, id_field = PUNCHES, Punch, "punch_id"

    async def add(self, punches: list[Punch]) -> int:
        if not punches:
            return 0
        ids = [p.punch_id for p in punches]
        known = {d["_id"] async for d in self.collection.find(
            {"_id": {"$in": ids}}, {"_id": 1}, session=self.session)}
        fresh = {p.punch_id: p for p in punches if p.punch_id not in known}
        if not fresh:
            return 0
        try:
            await self.collection.insert_many([self._doc(p) for p in fresh.values()],
                                              ordered=False, session=self.session)
        except BulkWriteError:  # another import of the same file won the race
            raise Conflict("these punches were imported meanwhile") from None
        return len(fresh)

    async def between(self, staff_id: str, start: datetime, end: datetime) -> list[Punch]:
        return await self._many({"staff_id": staff_id, "at": {"$gte": start, "$lte": end}},
                                [("at", 1)])


class MongoPresenceRepository(Collection[PresenceChange]):
    name, record, id_field = PRESENCE, PresenceChange, "change_id"

    async def add(self, change: PresenceChange) -> None:
        await self._insert(change, "presence change")

    async def around(self, staff_id: str, start: datetime, end: datetime
                     ) -> list[PresenceChange]:
        before = await self.collection.find_one(
            {"staff_id": staff_id, "at": {"$lte": start}}, sort=[("at", -1)],
            session=self.session)
        inside = await self._many({"staff_id": staff_id, "at": {"$gt": start, "$lte": end}},
                                  [("at", 1)])
        return ([self._record(before)] if before else []) + inside


class MongoFactRepository:
    def __init__(self, db: Any, session: Any = None) -> None:
        self.collection = db[FACTS]
        self.session = session

    async def add(self, fact_id: str, staff_id: str, month: str, kind: str, value: int) -> bool:
        if await self.collection.find_one({"_id": fact_id}, session=self.session):
            return False
        try:
            await self.collection.insert_one({"_id": fact_id, "staff_id": staff_id,
                                              "month": month, "kind": kind, "value": value},
                                             session=self.session)
        except DuplicateKeyError:
            raise Conflict(f"fact {fact_id} was recorded meanwhile") from None
        return True

    async def of_month(self, month: str) -> list[dict[str, Any]]:
        return [doc async for doc in self.collection.find({"month": month},
                                                          session=self.session)]


class MongoJobRepository:
    """Leases so that one replica runs each job (a day's close); a crashed holder's lease
    runs out and another replica takes over."""

    def __init__(self, db: Any, session: Any = None) -> None:
        self.collection = db[JOBS]
        self.session = session

    async def claim(self, key: str, holder: str, now: datetime, lease_s: float) -> bool:
        until = now + timedelta(seconds=lease_s)
        try:
            doc = await self.collection.find_one_and_update(
                {"_id": key, "done_at": None,
                 "$or": [{"until": {"$lt": now}}, {"holder": holder}]},
                {"$set": {"holder": holder, "until": until}}, upsert=True,
                return_document=ReturnDocument.AFTER, session=self.session)
        except DuplicateKeyError:
            return False
        return doc is not None and doc.get("holder") == holder

    async def finish(self, key: str, holder: str, now: datetime) -> None:
        await self.collection.update_one({"_id": key, "holder": holder},
                                         {"$set": {"done_at": now}}, session=self.session)

    async def finished(self, key: str) -> bool:
        doc = await self.collection.find_one({"_id": key}, session=self.session)
        return bool(doc and doc.get("done_at"))

