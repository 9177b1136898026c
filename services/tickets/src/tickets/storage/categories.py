"""Suggestion categories (T11): data a manager edits, seeded with the defaults at start."""

from __future__ import annotations

from typing import Any

from tickets.domain.model import DEFAULT_SUGGESTION_CATEGORIES
from tickets.storage.named import MongoNamedList

SUGGESTION_CATEGORIES = "suggestion_categories"

_DESCRIPTIONS = {"product": "产品 product", "service": "服务 service",
                 "logistics": "物流 logistics", "website": "网店页面 website",
                 "process": "流程 process", "other": "其他 other"}
DEFAULT_CATEGORY_DOCS: tuple[dict[str, Any], ...] = tuple(
    {"_id": name, "description": _DESCRIPTIONS.get(name, "")}
    for name in DEFAULT_SUGGESTION_CATEGORIES)


class MongoCategoryRepository(MongoNamedList):
    """Implements `CategoryRepository`: the suggestion categories (T11)."""

    collection_name = SUGGESTION_CATEGORIES
    label = "suggestion category"
    defaults = DEFAULT_CATEGORY_DOCS
