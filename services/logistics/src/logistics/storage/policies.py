"""Policies a manager edits at run time (L13 ship-date promise, follow-up delays), and the day
counters behind case numbers."""

from __future__ import annotations

from datetime import date, datetime

from pymongo import ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from logistics.domain.errors import Conflict
from logistics.domain.follow_up import FollowUpPolicy
from logistics.domain.model import case_number
from logistics.domain.promise import PromisePolicy
from logistics.storage.documents import from_doc, to_doc

POLICIES = "policies"
COUNTERS = "counters"
PROMISE = "promise"
FOLLOW_UP = "follow_up"


class MongoPolicyRepository:
    """Implements `PolicyRepository`; a missing policy document means the defaults."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.collection = db[POLICIES]
        self.session = session
        self._follow_up: FollowUpPolicy | None = None

    async def promise_policy(self) -> PromisePolicy:
        doc = await self.collection.find_one({"_id": PROMISE}, session=self.session)
        return from_doc(PromisePolicy, doc["policy"]) if doc else PromisePolicy()

    async def save_promise_policy(self, policy: PromisePolicy, by: str, at: datetime) -> None:
        await self.collection.replace_one(
            {"_id": PROMISE}, {"policy": to_doc(policy), "updated_by": by, "updated_at": at},
            upsert=True, session=self.session)

    async def follow_up_policy(self) -> FollowUpPolicy:
        # Read once per unit of work (a consumer batch: once for all its events); outside one
        # (`deps.reads`) every call reads, so an edit shows at once.
        if self._follow_up is None or self.session is None:
            doc = await self.collection.find_one({"_id": FOLLOW_UP}, session=self.session)
            self._follow_up = from_doc(FollowUpPolicy, doc["policy"]) if doc else FollowUpPolicy()
        return self._follow_up

    async def save_follow_up_policy(self, policy: FollowUpPolicy, by: str,
                                    at: datetime) -> None:
        await self.collection.replace_one(
            {"_id": FOLLOW_UP}, {"policy": to_doc(policy), "updated_by": by, "updated_at": at},
            upsert=True, session=self.session)
        self._follow_up = policy


class MongoNumbers:
    """Implements `Numbers`: an atomic per-day counter per prefix, unique across replicas.

    Used outside transactions: a number is reserved for good by one atomic increment (a failed
    opening leaves a gap), so concurrent openings never conflict on the day's counter.
    """

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.collection = db[COUNTERS]
        self.session = session

    async def next(self, prefix: str, day: date) -> str:
        # Two first numbers of a day at once race on the counter's upsert: one inserts, the
        # other may fail on the key (or, on SecantusDB, find nothing); it then simply increments.
        for _ in range(5):
            try:
                counter = await self.collection.find_one_and_update(
                    {"_id": f"{prefix}:{day:%Y%m%d}"}, {"$inc": {"seq": 1}}, upsert=True,
                    return_document=ReturnDocument.AFTER, session=self.session)
            except DuplicateKeyError:
                continue
            if counter is not None:
                return case_number(prefix, day, counter["seq"])
        raise Conflict(f"the {prefix} counter of {day} is contended; try again")
