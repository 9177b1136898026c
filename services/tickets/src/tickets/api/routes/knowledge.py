"""T10 routes: the knowledge base (articles, versions, Chinese search, tickets that used them).

Every staff member may read and search; presales, aftersales, supervisors and managers write and
revise; supervisors and managers archive.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from ops_shared.web import IDEMPOTENT, CurrentStaff
from tickets.api.deps import (
    PROBLEM_RESPONSES,
    AgentActor,
    DepsDep,
    DomainRoute,
    SupervisorActor,
)
from tickets.api.schemas.knowledge import (
    ArticleCreate,
    ArticleHitRead,
    ArticleListQuery,
    ArticleRead,
    ArticleSearchQuery,
    ArticleUpdate,
    ArticleUseRead,
    ArticleVersionRead,
)
from tickets.application import knowledge as kb
from tickets.domain.knowledge import ArticleRecord, ArticleUse, VersionRecord

router = APIRouter(tags=["knowledge base"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)
ArticleId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", examples=["kb-3f2a9c1d0b7e"])]


@router.get("/articles/search", summary="Search articles (Chinese and Latin text), best first")
async def search(query: Annotated[ArticleSearchQuery, Query()], deps: DepsDep,
                 _: CurrentStaff) -> list[ArticleHitRead]:
    """Any staff member. T10: BM25 search of live (not archived) articles in Chinese characters and
    Latin words, best first, with a snippet; optionally one tag. 422 `q`: no searchable words."""
    hits = await kb.search_articles(deps, query.q, tag=query.tag, limit=query.limit)
    return [ArticleHitRead(id=h.record.article.id, title=h.record.article.title,
                           version=h.record.article.version, tags=list(h.record.article.tags),
                           score=h.score, snippet=h.snippet) for h in hits]


@router.get("/articles", summary="List articles, most recently changed first")
async def list_articles(query: Annotated[ArticleListQuery, Query()], deps: DepsDep,
                        _: CurrentStaff) -> list[ArticleRead]:
    """Any staff member. T10: articles, most recently changed first, optionally by tag; archived
    ones only with `include_archived=true`."""
    records = await kb.list_articles(deps, tag=query.tag,
                                     include_archived=query.include_archived, limit=query.limit)
    return [_read(r) for r in records]


@router.post("/articles", status_code=201,
             dependencies=[IDEMPOTENT], summary="Write a new article (version 1)")
async def create(body: ArticleCreate, deps: DepsDep, actor: AgentActor) -> ArticleRead:
    """Presales, aftersales, supervisor or manager. T10: writes a new article as version 1 (id
    `kb-…`); duplicate tags are dropped. 422: empty title or body."""
    record = await kb.create_article(deps, actor, title=body.title, body=body.body,
                                     tags=body.tags)
    return _read(record)


@router.get("/articles/{article_id}", summary="The current version of an article")
async def get(article_id: ArticleId, deps: DepsDep, _: CurrentStaff) -> ArticleRead:
    """Any staff member. T10: the current version of an article, archived or not.
    404: unknown article."""
    return _read(await kb.get_article(deps, article_id))


@router.put("/articles/{article_id}", summary="Revise an article: publishes the next version",
            responses={409: {"description": "Archived, or not at expected_version"}})
async def revise(article_id: ArticleId, body: ArticleUpdate, deps: DepsDep,
                 actor: AgentActor) -> ArticleRead:
    """Presales, aftersales, supervisor or manager. T10: publishes the next version; earlier
    versions stay readable; omitted tags are kept. 409: archived, not at `expected_version`, or
    changed meanwhile; 404: unknown article."""
    record = await kb.revise_article(deps, actor, article_id, title=body.title,
                                     body=body.body, tags=body.tags,
                                     expected_version=body.expected_version)
    return _read(record)


@router.post("/articles/{article_id}/archive", summary="Archive an article (out of search)",
             responses={409: {"description": "Already archived"}})
async def archive(article_id: ArticleId, deps: DepsDep,
                  actor: SupervisorActor) -> ArticleRead:
    """Supervisor or manager. T10: takes the article out of search; it stays readable with all its
    versions. 409: already archived; 404: unknown article."""
    return _read(await kb.archive_article(deps, actor, article_id))


@router.get("/articles/{article_id}/versions", summary="Every version of an article, oldest first")
async def versions(article_id: ArticleId, deps: DepsDep,
                   _: CurrentStaff) -> list[ArticleVersionRead]:
    """Any staff member. T10: every published version of the article, oldest first.
    404: unknown article."""
    return [_version(v) for v in await kb.list_versions(deps, article_id)]


@router.get("/articles/{article_id}/versions/{version}", summary="One version of an article")
async def version(article_id: ArticleId, version: Annotated[int, Path(ge=1, le=100_000)],
                  deps: DepsDep, _: CurrentStaff) -> ArticleVersionRead:
    """Any staff member. T10: one published version of the article.
    404: unknown article or version."""
    return _version(await kb.get_version(deps, article_id, version))


@router.get("/articles/{article_id}/tickets", summary="Tickets that used this article (T10)")
async def tickets(article_id: ArticleId, deps: DepsDep, _: CurrentStaff,
                  limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[ArticleUseRead]:
    """Any staff member. T10: the tickets that recorded using the article (any version), newest use
    first. 404: unknown article."""
    return [_use(u) for u in await kb.tickets_using(deps, article_id, limit)]


def _read(record: ArticleRecord) -> ArticleRead:
    a = record.article
    return ArticleRead(id=a.id, title=a.title, body=a.body, tags=list(a.tags), version=a.version,
                       archived=record.archived, created_at=record.created_at,
                       created_by=record.created_by, updated_at=record.updated_at,
                       updated_by=record.updated_by)


def _version(found: VersionRecord) -> ArticleVersionRead:
    a = found.article
    return ArticleVersionRead(article_id=a.id, version=a.version, title=a.title, body=a.body,
                              tags=list(a.tags), published_at=found.published_at,
                              published_by=found.published_by)


def _use(use: ArticleUse) -> ArticleUseRead:
    return ArticleUseRead(ticket_number=use.ticket_number, version=use.version,
                          used_at=use.used_at, used_by=use.used_by)
