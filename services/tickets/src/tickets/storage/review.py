"""T13: orders under review (refunds in progress, disputes) and the reminders sent about them.

`review_items` has one document per RMA (keyed by its number) and per other logistics case
(`<case_type>:<case_id>`, with `case_type`), kept up to date from logistics events; `kind` says why
it is reviewed (`refund_in_progress`, `dispute`, or null once neither holds).
`review_reminders` has one document per owner and shop-local day; `review_daily_runs` one per
shop-local day on which the automatic reminder was sent (the claim that makes it run once).
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from tickets.domain.errors import Conflict
from tickets.domain.review import Reminder, ReviewRecord

REVIEW_ITEMS = "review_items"
REMINDERS = "review_reminders"
DAILY_RUNS = "review_daily_runs"


class MongoReviewRepository:
    """Implements `ReviewRepository`; `session` joins a transaction when given."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.db, self.session = db, session

    async def get(self, rma_number: str) -> ReviewRecord | None:
        doc = await self.db[REVIEW_ITEMS].find_one({"_id": rma_number}, session=self.session)
        return _record(doc) if doc else None

    async def save(self, record: ReviewRecord) -> None:
        await self.db[REVIEW_ITEMS].replace_one({"_id": record.rma_number}, _doc(record),
                                                upsert=True, session=self.session)

    async def open_items(self) -> list[ReviewRecord]:
        """Unresolved items with a refund in progress or a dispute (the domain picks the due)."""
        cursor = self.db[REVIEW_ITEMS].find(
            {"resolved": False, "kind": {"$in": ["refund_in_progress", "dispute"]}},
            sort=[("next_action_at", 1)], session=self.session)
        return [_record(doc) async for doc in cursor]

    async def reminders_on(self, day: str) -> list[Reminder]:
        cursor = self.db[REMINDERS].find({"day": day}, sort=[("owner_id", 1)],
                                         session=self.session)
        return [_reminder(doc) async for doc in cursor]

    async def claim_day(self, day: str, at: datetime) -> bool:
        """The day's automatic reminder, claimed once: one document keyed by the day."""
        if await self.db[DAILY_RUNS].find_one({"_id": day}, session=self.session):
            return False
        try:
            await self.db[DAILY_RUNS].insert_one({"_id": day, "at": at}, session=self.session)
        except DuplicateKeyError:
            raise Conflict(f"the daily reminder of {day} is being sent by another replica") \
                from None
        return True

    async def add_reminder(self, reminder: Reminder) -> None:
        try:
            await self.db[REMINDERS].insert_one({
                "_id": f"{reminder.day}:{reminder.owner_id}", "day": reminder.day,
                "owner_id": reminder.owner_id, "rma_numbers": list(reminder.rma_numbers),
                "reminded_at": reminder.reminded_at, "reminded_by": reminder.reminded_by,
            }, session=self.session)
        except DuplicateKeyError:
            raise Conflict(f"{reminder.owner_id} was already reminded on {reminder.day}") from None


_FIELDS = [f.name for f in fields(ReviewRecord) if f.name != "rma_number"]


def _doc(record: ReviewRecord) -> dict[str, Any]:
    return {"_id": record.rma_number, "kind": record.kind,
            **{name: getattr(record, name) for name in _FIELDS}}


def _record(doc: dict[str, Any]) -> ReviewRecord:
    return ReviewRecord(rma_number=doc["_id"], **{k: doc[k] for k in _FIELDS if k in doc})


def _reminder(doc: dict[str, Any]) -> Reminder:
    return Reminder(day=doc["day"], owner_id=doc["owner_id"],
                    rma_numbers=tuple(doc.get("rma_numbers", ())),
                    reminded_at=doc["reminded_at"], reminded_by=doc["reminded_by"])
