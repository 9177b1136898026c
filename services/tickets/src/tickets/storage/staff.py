"""Who exists and who is on duty, as learnt from hr's events (H1, H2, H5), and ticket loads."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from tickets.domain.model import StaffMember
from tickets.storage.tickets import OPEN_STATES, TICKETS

STAFF = "staff"
DUTY = "duty"
ROSTERS = "rosters"
ROUND_ROBIN = "assignment_cursor"


class MongoStaffRepository:
    """Implements `StaffRepository`; `session` joins a transaction when given."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.db = db
        self.session = session

    async def put_staff(self, doc: dict[str, Any]) -> bool:
        """Store a staff record unless a newer one is stored (retries reorder events)."""
        current = await self.db[STAFF].find_one({"_id": doc["_id"]}, {"updated_at": 1},
                                                session=self.session)
        if current and current.get("updated_at") and current["updated_at"] > doc["updated_at"]:
            return False
        await self.db[STAFF].replace_one({"_id": doc["_id"]}, doc, upsert=True,
                                         session=self.session)
        return True

    async def member(self, staff_id: str) -> StaffMember | None:
        doc = await self.db[STAFF].find_one({"_id": str(staff_id)}, {"role": 1, "active": 1},
                                            session=self.session)
        if doc is None:
            return None
        return StaffMember(doc["_id"], doc["role"], doc.get("active", True))

    async def replace_roster(self, month: str, team: str | None, docs: list[dict],
                             published_at: datetime) -> bool:
        """A published roster replaces the month's earlier roster of the same team; a roster
        older than the stored one (delivered late) changes nothing."""
        key = f"{month}|{team or ''}"
        current = await self.db[ROSTERS].find_one({"_id": key}, session=self.session)
        if current and current["published_at"] > published_at:
            return False
        await self.db[ROSTERS].replace_one({"_id": key}, {"published_at": published_at},
                                           upsert=True, session=self.session)
        await self.db[DUTY].delete_many({"month": month, "team": team}, session=self.session)
        if docs:
            await self.db[DUTY].insert_many(docs, session=self.session)
        return True

    async def teams_of(self, ids: list[str]) -> dict[tuple[str, str], str | None]:
        """(day, shift) → roster team of the given duty entries."""
        cursor = self.db[DUTY].find({"_id": {"$in": ids}}, session=self.session)
        return {(doc["day"], doc["shift"]): doc.get("team") async for doc in cursor}

    async def remove_duty(self, ids: list[str]) -> None:
        if ids:
            await self.db[DUTY].delete_many({"_id": {"$in": ids}}, session=self.session)

    async def put_duty(self, docs: list[dict]) -> None:
        for doc in docs:
            await self.db[DUTY].replace_one({"_id": doc["_id"]}, doc, upsert=True,
                                            session=self.session)

    async def on_duty(self, role: str, day: date, at: time) -> list[str]:
        """Active staff of `role` whose shift on `day` covers the wall-clock time `at`."""
        cursor = self.db[DUTY].find({"day": day.isoformat(), "role": role},
                                    session=self.session)
        present = {doc["staff_id"] async for doc in cursor if _covers(doc["periods"], at)}
        if not present:
            return []
        inactive = self.db[STAFF].find({"_id": {"$in": sorted(present)}, "active": False},
                                       {"_id": 1}, hint="_id_", session=self.session)
        gone = {doc["_id"] async for doc in inactive}
        return sorted(present - gone)

    async def open_loads(self, staff_ids: list[str]) -> dict[str, int]:
        return {sid: await self.db[TICKETS].count_documents(
            {"assignee_id": sid, "state": OPEN_STATES}, session=self.session)
            for sid in staff_ids}

    async def last_assigned(self, role: str) -> str | None:
        doc = await self.db[ROUND_ROBIN].find_one({"_id": role}, session=self.session)
        return doc["last"] if doc else None

    async def remember_assigned(self, role: str, staff_id: str, at: datetime) -> None:
        await self.db[ROUND_ROBIN].update_one(
            {"_id": role}, {"$set": {"last": staff_id, "at": at}}, upsert=True,
            session=self.session)


def _covers(periods: list[dict[str, str]], at: time) -> bool:
    moment = at.replace(tzinfo=None).isoformat()
    return any(p["start"] <= moment < p["end"] for p in periods)
