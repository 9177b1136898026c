"""Short lists a manager edits at run time, one document per name, seeded with defaults."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from tickets.domain.errors import NotFound


class MongoNamedList:
    """Implements `NamedList`: documents keyed by name; `session` joins a transaction."""

    collection_name: ClassVar[str]
    label: ClassVar[str]
    defaults: ClassVar[Sequence[dict[str, Any]]] = ()

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.collection = db[self.collection_name]
        self.session = session

    async def all(self) -> list[dict[str, Any]]:
        return await self.collection.find({}, sort=[("_id", 1)], session=self.session).to_list()

    async def names(self) -> list[str]:
        cursor = self.collection.find({}, {"_id": 1}, sort=[("_id", 1)], session=self.session)
        return [doc["_id"] async for doc in cursor]

    async def get(self, name: str) -> dict[str, Any]:
        doc = await self.collection.find_one({"_id": str(name)}, session=self.session)
        if doc is None:
            raise NotFound(f"{self.label} {name} does not exist")
        return doc

    async def put(self, name: str, fields: dict[str, Any]) -> dict[str, Any]:
        await self.collection.update_one({"_id": str(name)}, {"$set": fields}, upsert=True,
                                         session=self.session)
        return await self.get(name)

    async def delete(self, name: str) -> None:
        result = await self.collection.delete_one({"_id": str(name)}, session=self.session)
        if not result.deleted_count:
            raise NotFound(f"{self.label} {name} does not exist")

    async def seed(self) -> None:
        """Insert the defaults that are missing (idempotent, safe with several replicas)."""
        for doc in self.defaults:
            fields = {k: v for k, v in doc.items() if k != "_id"}
            await self.collection.update_one({"_id": doc["_id"]}, {"$setOnInsert": fields},
                                             upsert=True, session=self.session)
