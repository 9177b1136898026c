"""Listing staff accounts for HR admins and managers: filtered by role, team and status, paged.

Reads the same `accounts` collection as `AccountStore` (which owns writing it); filters are built
from typed values only, so nothing from a query string reaches MongoDB as an operator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from gateway.accounts import ACCOUNTS, Account
from ops_shared.persistence import Indexes

DIRECTORY_INDEXES = Indexes(ACCOUNTS, (
    IndexModel([("role", ASCENDING), ("_id", ASCENDING)], name="list_by_role"),
    IndexModel([("team", ASCENDING), ("_id", ASCENDING)], name="list_by_team"),
))


@dataclass(frozen=True)
class AccountFilter:
    role: str | None = None
    team: str | None = None
    active: bool | None = None

    def query(self) -> dict[str, Any]:
        query: dict[str, Any] = {}
        if self.role is not None:
            query["role"] = str(self.role)
        if self.team is not None:
            query["team"] = str(self.team)
        if self.active is not None:
            query["active"] = bool(self.active)
        return query


@dataclass(frozen=True)
class AccountPage:
    items: list[Account]
    total: int
    page: int
    limit: int


class AccountDirectory:
    """Pages of accounts in staff-id order."""

    def __init__(self, db: AsyncDatabase) -> None:
        self._accounts = db[ACCOUNTS]

    async def page(self, where: AccountFilter, page: int, limit: int) -> AccountPage:
        query = where.query()
        total = await self._accounts.count_documents(query)
        cursor = (self._accounts.find(query, projection={"password_hash": False})
                  .sort("_id", ASCENDING).skip((page - 1) * limit).limit(limit))
        items = [Account.from_doc({"password_hash": "", **doc}) async for doc in cursor]
        return AccountPage(items, total, page, limit)
