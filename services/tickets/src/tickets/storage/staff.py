"""Who exists and who is on duty, as learnt from hr's events (H1, H2, H5), and ticket loads."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from tickets.domain.duty import DutyAssignment, StaffRecord, days_to_look_at
from tickets.domain.model import StaffMember
from tickets.storage.tickets import OPEN_STATES, TICKETS

STAFF = "staff"
DUTY = "duty"
ROSTERS = "rosters"
ROUND_ROBIN = "assignment_cursor"
TURN_ATTEMPTS = 50
RECENT_TURNS = 200


class MongoStaffRepository:
    """Implements `StaffRepository`; `session` joins a transaction when given."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.db = db
        self.session = session

    async def put_staff(self, member: StaffRecord) -> bool:
        """Store a staff record unless a newer one is stored (retries reorder events)."""
        current = await self.db[STAFF].find_one({"_id": member.id}, session=self.session)
        if not member.newer_than(staff_from_doc(current) if current else None):
            return False
        await self.db[STAFF].replace_one({"_id": member.id}, staff_doc(member), upsert=True,
                                         session=self.session)
        return True

    async def member(self, staff_id: str) -> StaffMember | None:
        doc = await self.db[STAFF].find_one({"_id": str(staff_id)}, {"role": 1, "active": 1},
                                            session=self.session)
        if doc is None:
            return None
        return StaffMember(doc["_id"], doc["role"], doc.get("active", True))

    async def replace_roster(self, month: str, team: str | None,
                             duties: list[DutyAssignment], published_at: datetime) -> bool:
        """A published roster replaces the month's earlier roster of the same team; a roster
        older than the stored one (delivered late) changes nothing."""
        key = f"{month}|{team or ''}"
        current = await self.db[ROSTERS].find_one({"_id": key}, session=self.session)
        if current and current["published_at"] > published_at:
            return False
        await self.db[ROSTERS].replace_one({"_id": key}, {"published_at": published_at},
                                           upsert=True, session=self.session)
        await self.db[DUTY].delete_many({"month": month, "team": team}, session=self.session)
        await self._put_roster_duty(month, [duty_doc(d) for d in duties], published_at)
        return True

    async def _put_roster_duty(self, month: str, docs: list[dict],
                               published_at: datetime) -> None:
        """H2: the latest roster wins for each person, day and shift. An entry another team's
        roster holds (a person moving team mid-month) is taken over unless that roster is
        newer; it is never a duplicate key."""
        held = self.db[DUTY].find({"_id": {"$in": [doc["_id"] for doc in docs]}},
                                  {"team": 1}, session=self.session)
        holders = {doc["_id"]: doc.get("team") async for doc in held}
        published = await self._published_at(month, set(holders.values()))
        for doc in docs:
            if doc["_id"] in holders:
                newer = published.get(holders[doc["_id"]])
                if newer is not None and newer > published_at:
                    continue
                await self.db[DUTY].replace_one({"_id": doc["_id"]}, doc, session=self.session)
        fresh = [doc for doc in docs if doc["_id"] not in holders]
        if fresh:
            await self.db[DUTY].insert_many(fresh, session=self.session)

    async def _published_at(self, month: str,
                            teams: set[str | None]) -> dict[str | None, datetime]:
        keys = {f"{month}|{team or ''}": team for team in teams}
        cursor = self.db[ROSTERS].find({"_id": {"$in": list(keys)}}, session=self.session)
        return {keys[doc["_id"]]: doc["published_at"] async for doc in cursor}

    async def teams_of(self, ids: list[str]) -> dict[tuple[str, str], str | None]:
        """(day, shift) → roster team of the given duty entries."""
        cursor = self.db[DUTY].find({"_id": {"$in": ids}}, session=self.session)
        return {(doc["day"], doc["shift"]): doc.get("team") async for doc in cursor}

    async def remove_duty(self, ids: list[str]) -> None:
        if ids:
            await self.db[DUTY].delete_many({"_id": {"$in": ids}}, session=self.session)

    async def put_duty(self, duties: list[DutyAssignment]) -> None:
        for duty in duties:
            await self.db[DUTY].replace_one({"_id": duty.id}, duty_doc(duty), upsert=True,
                                            session=self.session)

    async def on_duty(self, role: str, day: date, at: time) -> list[str]:
        """Active staff of `role` whose shift on `day` covers the wall-clock time `at`."""
        days = [d.isoformat() for d in days_to_look_at(day)]
        cursor = self.db[DUTY].find({"day": {"$in": days}, "role": role}, hint="day_role",
                                    session=self.session)
        present = {doc["staff_id"] async for doc in cursor if duty_from_doc(doc).covers(day, at)}
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

    async def take_turn(self, role: str, turn: str, choose: Callable[[str | None], str | None],
                        at: datetime) -> str | None:
        """T1 round robin: move the role's cursor from the last agent to `choose(last)`.

        The cursor is written outside the caller's transaction (no session), by compare and
        set: a burst of openings never conflicts on it, and no two openings get the same turn.
        The cursor remembers its recent turns, so an opening retried whole (`turn` is its
        ticket number) gets the agent it was given the first time.
        """
        cursors = self.db[ROUND_ROBIN]
        chosen: str | None = None
        for _ in range(TURN_ATTEMPTS):
            doc = await cursors.find_one({"_id": role})
            given = {t["turn"]: t["staff_id"] for t in (doc or {}).get("recent", [])}
            if turn in given:
                return given[turn]
            last = doc["last"] if doc else None
            chosen = choose(last)
            if chosen is None:
                return None
            remembered = {"turn": turn, "staff_id": chosen}
            if doc is None:
                with contextlib.suppress(DuplicateKeyError):  # another opening came first
                    await cursors.insert_one({"_id": role, "last": chosen, "at": at,
                                              "recent": [remembered]})
                    return chosen
                continue
            moved = await cursors.update_one(
                {"_id": role, "last": last},
                {"$set": {"last": chosen, "at": at},
                 "$push": {"recent": {"$each": [remembered], "$slice": -RECENT_TURNS}}})
            if moved.matched_count:
                return chosen
        return chosen  # under extreme contention, fairness yields to opening the ticket


# -- StaffMember, DutyAssignment <-> documents: the one place their stored shapes live -------

def staff_doc(member: StaffRecord) -> dict[str, Any]:
    return {"_id": member.id, "display_name": member.display_name, "role": member.role,
            "team": member.team, "supervisor_id": member.supervisor_id, "active": member.active,
            "updated_at": member.updated_at}


def staff_from_doc(doc: dict[str, Any]) -> StaffRecord:
    return StaffRecord(id=doc["_id"], display_name=doc.get("display_name") or doc["_id"],
                       role=doc.get("role") or "", team=doc.get("team"),
                       supervisor_id=doc.get("supervisor_id"), active=doc.get("active", True),
                       updated_at=doc.get("updated_at"))


def duty_doc(duty: DutyAssignment) -> dict[str, Any]:
    return {
        "_id": duty.id, "day": duty.day.isoformat(), "month": duty.month, "team": duty.team,
        "staff_id": duty.staff_id, "role": duty.role, "shift": duty.shift,
        "periods": [{"start": start.isoformat(), "end": end.isoformat()}
                    for start, end in duty.periods],
        "holiday_duty": duty.holiday_duty, "source": duty.source,
    }


def duty_from_doc(doc: dict[str, Any]) -> DutyAssignment:
    return DutyAssignment(
        day=date.fromisoformat(doc["day"]), staff_id=doc["staff_id"], role=doc["role"],
        shift=doc["shift"], team=doc.get("team"), source=doc.get("source") or "",
        holiday_duty=bool(doc.get("holiday_duty")),
        periods=tuple((time.fromisoformat(p["start"]), time.fromisoformat(p["end"]))
                      for p in doc.get("periods") or ()))
