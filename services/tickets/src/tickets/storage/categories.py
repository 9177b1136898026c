"""Suggestion categories (T11): data a manager edits, seeded with the defaults at start."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from tickets.application.errors import NotFound
from tickets.domain.model import DEFAULT_SUGGESTION_CATEGORIES

SUGGESTION_CATEGORIES = "suggestion_categories"

_DESCRIPTIONS = {"product": "产品 product", "service": "服务 service",
                 "logistics": "物流 logistics", "website": "网店页面 website",
                 "process": "流程 process", "other": "其他 other"}
DEFAULT_CATEGORY_DOCS: tuple[dict[str, Any], ...] = tuple(
    {"_id": name, "description": _DESCRIPTIONS.get(name, "")}
    for name in DEFAULT_SUGGESTION_CATEGORIES)


class CategoryStore:
    """The suggestion categories; `session` joins a transaction when given."""

    def __init__(self, db: AsyncDatabase, session: Any = None) -> None:
        self.collection = db[SUGGESTION_CATEGORIES]
        self.session = session

    async def all(self) -> list[dict[str, Any]]:
        return await self.collection.find({}, sort=[("_id", 1)], session=self.session).to_list()

    async def names(self) -> list[str]:
        cursor = self.collection.find({}, {"_id": 1}, sort=[("_id", 1)], session=self.session)
        return [doc["_id"] async for doc in cursor]

    async def get(self, name: str) -> dict[str, Any]:
        doc = await self.collection.find_one({"_id": str(name)}, session=self.session)
        if doc is None:
            raise NotFound(f"suggestion category {name} does not exist")
        return doc

    async def put(self, name: str, fields: dict[str, Any]) -> dict[str, Any]:
        await self.collection.update_one({"_id": str(name)}, {"$set": fields}, upsert=True,
                                         session=self.session)
        return await self.get(name)

    async def delete(self, name: str) -> None:
        result = await self.collection.delete_one({"_id": str(name)}, session=self.session)
        if not result.deleted_count:
            raise NotFound(f"suggestion category {name} does not exist")

    async def seed(self) -> None:
        """Insert the default categories that are missing (idempotent)."""
        for doc in DEFAULT_CATEGORY_DOCS:
            await self.collection.update_one(
                {"_id": doc["_id"]}, {"$setOnInsert": {"description": doc["description"]}},
                upsert=True, session=self.session)
