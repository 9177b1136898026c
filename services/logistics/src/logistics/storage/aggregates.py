"""One repository shape for every case with a timeline (RMAs, recalls, problem parcels,
re-shipments): load, add, save with an optimistic version, and an append-only timeline (L14).

The timeline lives inside the document and only grows: `save` `$push`es the entries a use case
appended and never rewrites earlier ones. Each repository takes an optional session: given one,
it joins that transaction; without one each call stands alone (`deps.reads`). In a unit of
work that holds its writes (`held_writes`), `save` is sent with the others before the commit,
and every read first sends what is held.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pymongo import UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from logistics.domain.errors import Conflict, NotFound
from logistics.domain.ports import CaseFilter
from logistics.domain.timeline import TimelineEntry
from logistics.storage.documents import from_doc, to_doc
from logistics.storage.held_writes import held_writes, send_held

A = TypeVar("A")
_MISSING = object()
_NO_TIMELINE = {"timeline": 0}


@dataclass
class _Loaded:
    aggregate: Any
    version: int
    pushed: int  # timeline entries of the loaded aggregate already stored
    stored: dict[str, Any]  # the fields as stored: a save writes only what changed


class MongoAggregates(Generic[A]):
    """Implements `Aggregates[A]` on one collection; `indexed_fields` adds query fields."""

    kind: type
    collection_name: str
    key: str
    what: str

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.collection = db[self.collection_name]
        self.session = session
        self._loaded: dict[str, _Loaded] = {}

    def indexed_fields(self, aggregate: A) -> dict[str, Any]:
        """Denormalised fields that queries and indexes use (overridden per aggregate)."""
        return {}

    async def get(self, key: str) -> A:
        # Within one unit of work an aggregate is loaded once (matching a receipt, then
        # applying it, reads the same RMA): the second get returns the same object.
        if self.session is not None and key in self._loaded:
            return self._loaded[key].aggregate
        await send_held(self.session)
        doc = await self.collection.find_one({"_id": key}, _NO_TIMELINE, session=self.session)
        if doc is None:
            raise NotFound(f"{self.what} {key} does not exist")
        return self._track(doc)

    async def load(self, keys: list[str]) -> None:
        """Read ahead, in one query, the aggregates a unit of work is about to `get` (a
        consumer batch's); unknown keys are left for `get` to refuse."""
        wanted = sorted({k for k in keys if k not in self._loaded})
        if self.session is None or not wanted:
            return
        await send_held(self.session)
        cursor = self.collection.find({"_id": {"$in": wanted}}, _NO_TIMELINE,
                                      session=self.session)
        async for doc in cursor:
            self._track(doc)

    async def add(self, aggregate: A) -> None:
        doc = self._doc(aggregate)
        entries = doc.pop("timeline")
        try:
            await self.collection.insert_one(
                {"_id": getattr(aggregate, self.key), **doc, "version": 1, "timeline": entries},
                session=self.session)
        except DuplicateKeyError as exc:
            raise self._conflict(aggregate, exc) from None
        self._loaded[getattr(aggregate, self.key)] = _Loaded(aggregate, 1, len(entries), doc)

    async def save(self, aggregate: A) -> None:
        key = getattr(aggregate, self.key)
        loaded = self._loaded[key]
        doc = self._doc(aggregate)
        entries = doc.pop("timeline")[loaded.pushed:]
        changed = {k: v for k, v in doc.items() if loaded.stored.get(k, _MISSING) != v}
        unset = {name: "" for name in self.unset_when_none
                 if name not in doc and name in loaded.stored}
        update: dict[str, Any] = {"$set": {**changed, "version": loaded.version + 1}}
        if entries:
            update["$push"] = {"timeline": {"$each": entries}}
        if unset:
            update["$unset"] = unset
        where = {"_id": key, "version": loaded.version}

        def changed_meanwhile() -> Conflict:
            return Conflict(f"{self.what} {key} changed meanwhile; try again")

        held = held_writes(self.session)
        if held is not None:
            held.hold(self.collection_name, UpdateOne(where, update),
                      lambda exc: self._conflict(aggregate, exc), changed_meanwhile)
        else:
            try:
                result = await self.collection.update_one(where, update, session=self.session)
            except DuplicateKeyError as exc:
                raise self._conflict(aggregate, exc) from None
            if result.matched_count != 1:
                raise changed_meanwhile()
        loaded.version += 1
        loaded.pushed += len(entries)
        loaded.stored = doc

    async def listing(self, where: CaseFilter) -> list[A]:
        query: dict[str, Any] = {}
        if where.state is not None:
            query["state"] = str(where.state)
        if where.order_id is not None:
            query["order_id"] = str(where.order_id)
        if where.owner_id is not None:
            query["owner_id"] = str(where.owner_id)
        if where.open_only:
            query["open"] = True
        await send_held(self.session)
        cursor = self.collection.find(query, _NO_TIMELINE, sort=[("opened_at", -1)],
                                      limit=where.limit, session=self.session)
        return [from_doc(self.kind, doc) async for doc in cursor]

    async def timeline(self, key: str) -> list[TimelineEntry]:
        await send_held(self.session)
        doc = await self.collection.find_one({"_id": key}, {"timeline": 1},
                                            session=self.session)
        if doc is None:
            raise NotFound(f"{self.what} {key} does not exist")
        return [from_doc(TimelineEntry, e) for e in doc.get("timeline") or []]

    async def find(self, query: dict[str, Any]) -> list[A]:
        await send_held(self.session)
        cursor = self.collection.find(query, _NO_TIMELINE, session=self.session)
        return [from_doc(self.kind, doc) async for doc in cursor]

    unset_when_none: frozenset[str] = frozenset()
    """Fields removed (not stored as null) when None, so partial unique indexes skip them."""

    def _doc(self, aggregate: A) -> dict[str, Any]:
        doc = to_doc(aggregate)
        doc["open"] = bool(getattr(aggregate, "is_open", True))
        doc.update(self.indexed_fields(aggregate))
        return {k: v for k, v in doc.items() if not (v is None and k in self.unset_when_none)}

    def _track(self, doc: dict[str, Any]) -> A:
        aggregate = from_doc(self.kind, doc)
        self._loaded[doc["_id"]] = _Loaded(aggregate, doc.get("version", 1), 0,
                                           self._doc(aggregate))
        return aggregate

    def _conflict(self, aggregate: A, exc: DuplicateKeyError) -> Conflict:
        return Conflict(f"{self.what} {getattr(aggregate, self.key)} already exists")
