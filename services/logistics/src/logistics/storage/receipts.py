"""Receipts and unidentified-parcel tasks in MongoDB (L6).

A receipt is keyed by the warehouse's `receipt_id`: the same receipt twice is one receipt, even
when two replicas record it at once (one insert wins, the other's transaction fails and, run
again, finds it). A task is keyed by its receipt, so it too exists once.
"""

from __future__ import annotations

from pymongo import InsertOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from logistics.domain.errors import Conflict, NotFound
from logistics.domain.receipts import ParcelTask, RecordedReceipt
from logistics.storage.documents import from_doc, to_doc
from logistics.storage.held_writes import held_writes, send_held

RECEIPTS = "receipts"
PARCEL_TASKS = "parcel_tasks"


class MongoReceiptRepository:
    """Implements `ReceiptRepository`."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.collection = db[RECEIPTS]
        self.session = session
        self._recorded: dict[str, bool] = {}  # receipt id → already recorded (read ahead)

    async def expect(self, receipt_ids: list[str]) -> None:
        """Read ahead, in one query, which of a consumer batch's receipts are recorded."""
        wanted = sorted({r for r in receipt_ids if r not in self._recorded})
        if self.session is None or not wanted:
            return
        await send_held(self.session)
        found = {d["_id"] async for d in self.collection.find(
            {"_id": {"$in": wanted}}, {"_id": 1}, session=self.session)}
        self._recorded.update({r: r in found for r in wanted})

    async def get(self, receipt_id: str) -> RecordedReceipt | None:
        await send_held(self.session)
        doc = await self.collection.find_one({"_id": receipt_id}, session=self.session)
        return from_doc(RecordedReceipt, doc) if doc else None

    async def add(self, recorded: RecordedReceipt) -> bool:
        receipt_id = recorded.receipt.receipt_id
        known = self._recorded.get(receipt_id)
        if known:
            return False
        held = held_writes(self.session)
        if known is False and held is not None:
            # Read ahead as not recorded in this transaction: insert with the others. Another
            # replica recording it meanwhile fails the send on the key, and the whole
            # transaction runs again (then reading it as recorded).
            held.hold(RECEIPTS, InsertOne({"_id": receipt_id, **to_doc(recorded)}),
                      lambda _: Conflict(f"receipt {receipt_id} was recorded meanwhile"))
            self._recorded[receipt_id] = True
            return True
        # An upsert that only inserts: a known id is matched, not an error (an insert's
        # duplicate-key error would abort the whole transaction).
        result = await self.collection.update_one(
            {"_id": receipt_id}, {"$setOnInsert": to_doc(recorded)},
            upsert=True, session=self.session)
        self._recorded[receipt_id] = True
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
