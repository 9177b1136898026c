"""Rosters (H2) and requests (H4-H13) on MongoDB."""

from __future__ import annotations

from collections.abc import Collection as Many
from typing import Any

from hr.domain.requests import Request
from hr.domain.roster import Roster
from hr.storage.base import Collection

ROSTERS = "rosters"
REQUESTS = "requests"


class MongoRosterRepository(Collection[Roster]):
    name, record, id_field = ROSTERS, Roster, "roster_id"

    async def get(self, roster_id: str) -> Roster:
        return await self._get(roster_id, "roster")

    async def add(self, roster: Roster) -> None:
        await self._insert(roster, "roster")

    async def save(self, roster: Roster) -> None:
        await self._save(roster)

    async def of_month(self, month: str, *, published: bool | None = None) -> list[Roster]:
        query: dict[str, Any] = {"month": month}
        if published is not None:
            query["status"] = "published" if published else "draft"
        return await self._many(query, [("_id", 1)])


class MongoRequestRepository(Collection[Request]):
    name, record, id_field = REQUESTS, Request, "request_id"

    def _doc(self, record: Request) -> dict[str, Any]:
        doc = super()._doc(record)
        doc["month"] = record.month
        return doc

    async def get(self, request_id: str) -> Request:
        return await self._get(request_id, "request")

    async def add(self, request: Request) -> None:
        await self._insert(request, "request")

    async def save(self, request: Request) -> None:
        await self._save(request)

    async def search(self, *, staff_ids: Many[str] | None = None,
                     kinds: Many[str] | None = None, states: Many[str] | None = None,
                     months: Many[str] | None = None,
                     approver_id: str | None = None) -> list[Request]:
        query: dict[str, Any] = {}
        if staff_ids is not None:
            ids = sorted(staff_ids)
            query["$or"] = [{"staff_id": {"$in": ids}}, {"colleague_id": {"$in": ids}}]
        if kinds is not None:
            query["kind"] = {"$in": sorted(kinds)}
        if states is not None:
            query["state"] = {"$in": sorted(states)}
        if months is not None:
            query["month"] = {"$in": sorted(months)}
        if approver_id is not None:
            query["approver_id"] = approver_id
        return await self._many(query, [("created_at", 1), ("_id", 1)])
