"""What every hr repository shares: its collection, the session it joins, versioned saves."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from hr.domain.errors import Conflict, NotFound
from hr.storage.documents import from_doc, to_doc

T = TypeVar("T")


class Collection(Generic[T]):
    """Records of one type in one collection, keyed by `id_field`."""

    name: str
    record: type[T]
    id_field: str

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.collection = db[self.name]
        self.session = session

    def _doc(self, record: T) -> dict[str, Any]:
        return to_doc(record, self.id_field)

    def _record(self, doc: dict[str, Any]) -> T:
        return from_doc(self.record, doc)

    async def _get(self, key: str, what: str) -> T:
        doc = await self.collection.find_one({"_id": key}, session=self.session)
        if doc is None:
            raise NotFound(f"no {what} {key}")
        return self._record(doc)

    async def _find(self, key: str) -> T | None:
        doc = await self.collection.find_one({"_id": key}, session=self.session)
        return self._record(doc) if doc else None

    async def _insert(self, record: T, what: str) -> None:
        try:
            await self.collection.insert_one(self._doc(record), session=self.session)
        except DuplicateKeyError:
            raise Conflict(f"{what} {getattr(record, self.id_field)} exists") from None

    async def _insert_once(self, doc: dict[str, Any], key: str = "_id") -> bool:
        """Insert unless a document with the same `key` exists (False). Two racing inserts
        meet the unique index: the loser's transaction is aborted by the database, so it
        raises Conflict and is retried (or answered) whole, never continued."""
        if await self.collection.find_one({key: doc[key]}, {"_id": 1},
                                          session=self.session) is not None:
            return False
        try:
            await self.collection.insert_one(doc, session=self.session)
        except DuplicateKeyError:
            raise Conflict(f"{doc[key]} was recorded meanwhile") from None
        return True

    async def _save(self, record: Any) -> None:
        """Write a changed record whose stored version is still `record.version`; the
        record's version moves on by one."""
        doc = self._doc(record)
        previous = record.version
        doc["version"] = previous + 1
        result = await self.collection.replace_one({"_id": doc["_id"], "version": previous},
                                                   doc, session=self.session)
        if result.matched_count != 1:
            raise Conflict(f"{doc['_id']} changed meanwhile; read it again")
        record.__dict__["version"] = previous + 1  # frozen records too

    async def _many(self, query: dict[str, Any], sort: list[tuple[str, int]] | None = None
                    ) -> list[T]:
        cursor = self.collection.find(query, session=self.session)
        if sort:
            cursor = cursor.sort(sort)
        return [self._record(doc) async for doc in cursor]
