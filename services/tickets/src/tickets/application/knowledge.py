"""T10 use cases: write, revise, archive and search knowledge-base articles.

Search finds candidates through the multikey `terms` index (`$in` the query's terms) and ranks
them with the domain's BM25; document frequencies are taken over the candidates, which are the
only articles that can score above zero anyway.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import structlog

from tickets.application.context import Actor
from tickets.application.deps import Deps
from tickets.domain.errors import Conflict, NotFound, ValidationFailed
from tickets.domain.knowledge import (
    ArticleRecord,
    ArticleUse,
    VersionRecord,
    rank,
    snippet,
    tokenize,
)
from tickets.domain.ports import ArticleRepository, TicketsUnitOfWork

log = structlog.get_logger(__name__)
CANDIDATE_LIMIT = 500


@dataclass(frozen=True, kw_only=True)
class Hit:
    """One ranked search result."""

    record: ArticleRecord
    score: float
    snippet: str


async def create_article(deps: Deps, actor: Actor, *, title: str, body: str,
                         tags: Sequence[str]) -> ArticleRecord:
    """Publish version 1 of a new article."""
    record = ArticleRecord.publish(f"kb-{uuid.uuid4().hex[:12]}", title=title, body=body,
                                   tags=tags, at=deps.clock.now(), by=actor.staff_id)
    await deps.transaction(lambda uow: uow.articles.add(record))
    log.info("article.created", article_id=record.article.id)
    return record


async def revise_article(deps: Deps, actor: Actor, article_id: str, *, title: str,
                         body: str, tags: Sequence[str] | None,
                         expected_version: int | None) -> ArticleRecord:
    """Publish the next version; the previous ones stay readable."""
    at = deps.clock.now()

    async def work(uow: TicketsUnitOfWork) -> ArticleRecord:
        current = await _article(uow.articles, article_id)
        record = current.revised(title=title, body=body, tags=tags, at=at, by=actor.staff_id,
                                 expected_version=expected_version)
        if not await uow.articles.save_revision(record, current.article.version):
            raise Conflict(f"article {article_id} changed meanwhile; try again")
        return record

    record = await deps.transaction(work)
    log.info("article.revised", article_id=article_id, version=record.article.version)
    return record


async def archive_article(deps: Deps, actor: Actor, article_id: str) -> ArticleRecord:
    """Take an article out of search; it stays readable with all its versions."""
    at = deps.clock.now()

    async def work(uow: TicketsUnitOfWork) -> ArticleRecord:
        record = (await _article(uow.articles, article_id)).archived_now(at, actor.staff_id)
        await uow.articles.archive(record)
        return record

    record = await deps.transaction(work)
    log.info("article.archived", article_id=article_id)
    return record


async def get_article(deps: Deps, article_id: str) -> ArticleRecord:
    record = await deps.reads.articles.get(article_id)
    if record is None:
        raise _missing(article_id)
    return record


async def list_articles(deps: Deps, *, tag: str | None, include_archived: bool,
                        limit: int) -> list[ArticleRecord]:
    return await deps.reads.articles.listing(tag, include_archived, limit)


async def list_versions(deps: Deps, article_id: str) -> list[VersionRecord]:
    versions = await deps.reads.articles.versions(article_id)
    if not versions:
        raise _missing(article_id)
    return versions


async def get_version(deps: Deps, article_id: str, version: int) -> VersionRecord:
    found = await deps.reads.articles.version(article_id, version)
    if found is None:
        raise NotFound(f"article {article_id} has no version {version}")
    return found


async def tickets_using(deps: Deps, article_id: str, limit: int) -> list[ArticleUse]:
    """T10: the tickets that used an article (any version)."""
    repo = deps.reads.articles
    current = await repo.get(article_id)
    if current is None:
        raise _missing(article_id)
    return await repo.tickets_using(article_id, current.article.version, limit)


async def search_articles(deps: Deps, query: str, *, tag: str | None,
                          limit: int) -> list[Hit]:
    """Ranked live articles for a query in Chinese and/or Latin words."""
    terms = list(dict.fromkeys(tokenize(query)))
    if not terms:
        raise ValidationFailed("the query has no searchable words or characters", field="q")
    found = await deps.reads.articles.candidates(terms, tag, CANDIDATE_LIMIT)
    by_id = {record.article.id: record for record in found}
    ranked = rank(query, [record.article.tokens() for record in found])[:limit]
    return [Hit(record=by_id[doc_id], score=score, snippet=snippet(by_id[doc_id].article, terms))
            for doc_id, score in ranked]


async def _article(repo: ArticleRepository, article_id: str) -> ArticleRecord:
    current = await repo.get(article_id)
    if current is None:
        raise _missing(article_id)
    return current


def _missing(article_id: str) -> NotFound:
    return NotFound(f"article {article_id} does not exist")
