"""Login lockout: after too many failed attempts on one staff id, refuse it for a while.

Attempts are counted per submitted staff id, known or not, so the lockout does not reveal
which accounts exist. An attempt is counted *before* the password is checked, so a burst of
parallel guesses cannot slip past the limit while the first ones are still being hashed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from pymongo import IndexModel, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from ops_shared.persistence import Indexes

LOGIN_ATTEMPTS = "login_attempts"
THROTTLE_INDEXES = Indexes(LOGIN_ATTEMPTS, (
    IndexModel([("expires_at", 1)], name="expires_at", expireAfterSeconds=0),
))


@dataclass(frozen=True)
class LockoutPolicy:
    """How many failures lock an id, for how long, and when old failures are forgotten."""

    max_failures: int = 5
    lock_s: int = 300
    window_s: int = 900

    def seconds_locked(self, locked_until: datetime | None, now: datetime) -> int:
        """Seconds left on a lock (0 when not locked)."""
        if locked_until is None or locked_until <= now:
            return 0
        return math.ceil((locked_until - now).total_seconds())

    def over_limit(self, attempt: int) -> bool:
        """Whether this attempt comes after the last one allowed."""
        return attempt > self.max_failures

    def locks_after_failure(self, attempt: int) -> bool:
        """Whether failing this attempt locks the id."""
        return attempt >= self.max_failures


@dataclass(frozen=True)
class Attempt:
    staff_id: str
    number: int
    at: datetime
    locked_s: int = 0


class LoginThrottle:
    """Counts attempts per staff id in the `login_attempts` collection."""

    def __init__(self, db: AsyncDatabase, policy: LockoutPolicy) -> None:
        self._attempts = db[LOGIN_ATTEMPTS]
        self.policy = policy

    async def begin(self, staff_id: str, now: datetime) -> Attempt:
        """Count one attempt; `locked_s > 0` means refuse it without checking the password."""
        await self._forget_stale(staff_id, now)
        expires = now + timedelta(seconds=self.policy.window_s + self.policy.lock_s)
        doc = await self._attempts.find_one_and_update(
            {"_id": staff_id},
            {"$inc": {"failures": 1}, "$set": {"last_at": now, "expires_at": expires}},
            upsert=True, return_document=ReturnDocument.AFTER)
        locked_s = self.policy.seconds_locked(doc.get("locked_until"), now)
        if not locked_s and self.policy.over_limit(doc["failures"]):
            locked_s = await self._lock(staff_id, now)
        return Attempt(staff_id, doc["failures"], now, locked_s)

    async def failed(self, attempt: Attempt) -> None:
        """The password was wrong: lock the id if that was the last allowed attempt."""
        if self.policy.locks_after_failure(attempt.number):
            await self._lock(attempt.staff_id, attempt.at)

    async def succeeded(self, attempt: Attempt) -> None:
        """The password was right: forget the failures."""
        await self._attempts.delete_one({"_id": attempt.staff_id})

    async def _forget_stale(self, staff_id: str, now: datetime) -> None:
        window_start = now - timedelta(seconds=self.policy.window_s)
        await self._attempts.update_one(
            {"_id": staff_id,
             "$or": [{"last_at": {"$lt": window_start}}, {"locked_until": {"$lte": now}}]},
            {"$set": {"failures": 0}, "$unset": {"locked_until": ""}})

    async def _lock(self, staff_id: str, now: datetime) -> int:
        until = now + timedelta(seconds=self.policy.lock_s)
        await self._attempts.update_one({"_id": staff_id}, {"$set": {"locked_until": until}})
        return self.policy.lock_s
