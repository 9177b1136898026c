"""T10: knowledge-base articles in MongoDB: current version, every past version, search terms.

`articles` holds the current version of each article with its `terms` (domain `index_terms`)
as a multikey-indexed array: SecantusDB has no text index, and MongoDB's cannot segment Chinese.
`article_versions` keeps every version ever published, so a ticket's `article@vN` stays readable.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from tickets.domain.knowledge import Article, ArticleRecord, ArticleUse, VersionRecord, index_terms

ARTICLES = "articles"
ARTICLE_VERSIONS = "article_versions"
TICKETS = "tickets"  # owned by the tickets core; read here for T10 "linked from tickets"


class MongoArticleRepository:
    """Implements `ArticleRepository`; `session` joins a transaction when given."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.db, self.session = db, session

    async def get(self, article_id: str) -> ArticleRecord | None:
        doc = await self.db[ARTICLES].find_one({"_id": article_id}, session=self.session)
        return _record(doc) if doc else None

    async def add(self, record: ArticleRecord) -> None:
        await self.db[ARTICLES].insert_one(_doc(record), session=self.session)
        await self._add_version(record.article, record.updated_at, record.updated_by)

    async def save_revision(self, record: ArticleRecord, previous_version: int) -> bool:
        """Replace the current version if it is still `previous_version`; keep the new one."""
        result = await self.db[ARTICLES].replace_one(
            {"_id": record.article.id, "version": previous_version}, _doc(record),
            session=self.session)
        if not result.matched_count:
            return False
        await self._add_version(record.article, record.updated_at, record.updated_by)
        return True

    async def archive(self, record: ArticleRecord) -> None:
        await self.db[ARTICLES].update_one(
            {"_id": record.article.id},
            {"$set": {"archived": record.archived, "archived_at": record.archived_at,
                      "archived_by": record.archived_by}},
            session=self.session)

    async def listing(self, tag: str | None, include_archived: bool,
                      limit: int) -> list[ArticleRecord]:
        query: dict[str, Any] = {} if include_archived else {"archived": False}
        if tag is not None:
            query["tags"] = tag
        cursor = self.db[ARTICLES].find(query, sort=[("updated_at", -1)], limit=limit,
                                        session=self.session)
        return [_record(doc) async for doc in cursor]

    async def candidates(self, terms: Sequence[str], tag: str | None,
                         limit: int) -> list[ArticleRecord]:
        """Live articles sharing at least one term with the query (multikey index lookup)."""
        query: dict[str, Any] = {"terms": {"$in": list(terms)}, "archived": False}
        if tag is not None:
            query["tags"] = tag
        cursor = self.db[ARTICLES].find(query, limit=limit, session=self.session)
        return [_record(doc) async for doc in cursor]

    async def versions(self, article_id: str) -> list[VersionRecord]:
        cursor = self.db[ARTICLE_VERSIONS].find(
            {"article_id": article_id}, sort=[("version", 1)], session=self.session)
        return [_version(doc) async for doc in cursor]

    async def version(self, article_id: str, version: int) -> VersionRecord | None:
        doc = await self.db[ARTICLE_VERSIONS].find_one(
            {"article_id": article_id, "version": version}, session=self.session)
        return _version(doc) if doc else None

    async def tickets_using(self, article_id: str, versions: int,
                            limit: int) -> list[ArticleUse]:
        """Every recorded use of the article (versions 1..`versions`) on a ticket, newest first.

        A ticket records a use as `articles: ["<id>@v<n>"]` with an `article_used` timeline line
        (who and when).
        """
        refs = [f"{article_id}@v{n}" for n in range(1, versions + 1)]
        query = {"articles": {"$in": refs}}
        projection = {"number": 1, "articles": 1, "timeline.action": 1,
                      "timeline.at": 1, "timeline.actor_id": 1, "timeline.details.article": 1}
        cursor = self.db[TICKETS].find(query, projection, limit=limit, session=self.session)
        uses = [use async for doc in cursor for use in _uses(doc, article_id)]
        return sorted(uses, key=_newest_first)

    async def _add_version(self, article: Article, at: datetime, by: str) -> None:
        await self.db[ARTICLE_VERSIONS].insert_one({
            "_id": f"{article.id}@v{article.version}", "article_id": article.id,
            "version": article.version, "title": article.title, "body": article.body,
            "tags": list(article.tags), "published_at": at, "published_by": by,
        }, session=self.session)


def _doc(record: ArticleRecord) -> dict[str, Any]:
    article = record.article
    return {
        "_id": article.id, "title": article.title, "body": article.body,
        "tags": list(article.tags), "version": article.version,
        "terms": index_terms(article.title, article.body), "archived": record.archived,
        "created_at": record.created_at, "created_by": record.created_by,
        "updated_at": record.updated_at, "updated_by": record.updated_by,
        **({"archived_at": record.archived_at, "archived_by": record.archived_by}
           if record.archived else {}),
    }


def _article(doc: dict[str, Any], article_id: str) -> Article:
    return Article(id=article_id, title=doc["title"], body=doc["body"],
                   tags=tuple(doc.get("tags", ())), version=int(doc["version"]))


def _record(doc: dict[str, Any]) -> ArticleRecord:
    return ArticleRecord(
        article=_article(doc, doc["_id"]), archived=bool(doc.get("archived")),
        created_at=doc["created_at"], created_by=doc["created_by"],
        updated_at=doc["updated_at"], updated_by=doc["updated_by"],
        archived_at=doc.get("archived_at"), archived_by=doc.get("archived_by"))


def _version(doc: dict[str, Any]) -> VersionRecord:
    return VersionRecord(article=_article(doc, doc["article_id"]),
                         published_at=doc["published_at"], published_by=doc["published_by"])


def _uses(doc: dict[str, Any], article_id: str) -> list[ArticleUse]:
    """Tolerant of missing `version`, `at` or `by`; one use per ticket and version."""
    number = str(doc.get("number") or doc["_id"])
    uses: dict[int | None, ArticleUse] = {}
    logged = {(entry.get("details") or {}).get("article"): entry
              for entry in doc.get("timeline") or []
              if isinstance(entry, dict) and entry.get("action") == "article_used"}
    for ref in doc.get("articles") or []:
        name, _, version_text = str(ref).rpartition("@v")
        if name == article_id and version_text.isdigit():
            entry = logged.get(ref) or {}
            uses.setdefault(int(version_text), ArticleUse(
                ticket_number=number, version=int(version_text),
                used_at=_moment(entry.get("at")), used_by=entry.get("actor_id")))
    return list(uses.values())


def _moment(value: Any) -> datetime | None:
    return value if isinstance(value, datetime) else None


def _newest_first(use: ArticleUse) -> tuple[float, str]:
    return (-(use.used_at.timestamp() if use.used_at else 0.0), use.ticket_number)
