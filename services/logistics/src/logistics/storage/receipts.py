"""Receipts and unidentified-parcel tasks in MongoDB (L6).

A receipt is keyed by the warehouse's `receipt_id`: the same receipt twice is one receipt, even
when two replicas record it at once (one insert wins, the other's transaction fails and, run
again, finds it). A task is keyed by its receipt, so it too exists once.
"""

from __future__ import annotations

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from logistics.domain.errors import Conflict, NotFound
from logistics.domain.receipts import ParcelTask, RecordedReceipt
from logistics.storage.documents import from_doc, to_doc

RECEIPTS = "receipts"
PARCEL_TASKS = "parcel_tasks"


class MongoReceiptRepository:
    """Implements `ReceiptRepository`."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.collection = db[RECEIPTS]
        self.session = session

    async def get(self, receipt_id: str) -> RecordedReceipt | None:
        doc = await self.collection.find_one({"_id": receipt_id}, session=self.session)
        return from_doc(RecordedReceipt, doc) if doc else None

    async def add(self, recorded: RecordedReceipt) -> bool:
        # An upsert that only inserts: a known id is matched, not an error (an insert's
        # duplicate-key error would abort the whole transaction).
        result = await self.collection.update_one(
            {"_id": recorded.receipt.receipt_id}, {"$setOnInsert": to_doc(recorded)},
            upsert=True, session=self.session)
        return result.upserted_id is not None


class MongoParcelTaskRepository:
    """Implements `ParcelTaskRepository`."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.collection = db[PARCEL_TASKS]
        self.session = session

    async def get(self, task_id: str) -> ParcelTask:
        doc = await self.collection.find_one({"_id": task_id}, session=self.session)
        if doc is None:
            raise NotFound(f"parcel task {task_id} does not exist")
        return from_doc(ParcelTask, doc)

    async def add(self, task: ParcelTask) -> None:
        try:
            await self.collection.insert_one({"_id": task.task_id, **to_doc(task)},
                                             session=self.session)
        except DuplicateKeyError:
            raise Conflict(f"parcel task {task.task_id} exists", existing=task.task_id) from None

    async def save(self, task: ParcelTask) -> None:
        await self.collection.replace_one({"_id": task.task_id}, to_doc(task),
                                          session=self.session)

    async def listing(self, open_only: bool, limit: int) -> list[ParcelTask]:
        query = {"state": "open"} if open_only else {}
        cursor = self.collection.find(query, sort=[("created_at", -1)], limit=limit,
                                      session=self.session)
        return [from_doc(ParcelTask, doc) async for doc in cursor]
