"""Schemas of the knowledge base (T10): articles, their versions, search hits and uses."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from tickets.api.schemas.common import StaffTime, request_config

Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
TagFilter = Annotated[str, Field(min_length=1, max_length=40)]


class ArticleCreate(BaseModel):
    model_config = request_config({
        "title": "退货运费谁承担",
        "body": "质量问题由本店承担来回运费；非质量问题由顾客承担退回运费。",
        "tags": ["退货", "运费"]})

    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20_000)
    tags: list[Tag] = Field(default_factory=list, max_length=20)


class ArticleUpdate(ArticleCreate):
    """A revision: the whole new text; it is published as the next version."""

    model_config = request_config({
        "title": "退货运费谁承担",
        "body": "确认质量问题后本店承担来回运费，顾客垫付的运费随退款退回。",
        "expected_version": 1})

    tags: list[Tag] | None = Field(None, max_length=20, description="Omit to keep the tags.")
    expected_version: int | None = Field(
        None, ge=1, description="Refuse (409) unless the article is still at this version.")


class ArticleRead(BaseModel):
    id: str
    title: str
    body: str
    tags: list[str]
    version: int
    archived: bool
    created_at: StaffTime
    created_by: str
    updated_at: StaffTime
    updated_by: str


class ArticleVersionRead(BaseModel):
    article_id: str
    version: int
    title: str
    body: str
    tags: list[str]
    published_at: StaffTime
    published_by: str


class ArticleHitRead(BaseModel):
    id: str
    title: str
    version: int
    tags: list[str]
    score: float = Field(description="BM25 score; higher is better.")
    snippet: str


class ArticleUseRead(BaseModel):
    ticket_number: str
    version: int | None
    used_at: StaffTime | None
    used_by: str | None


class ArticleSearchQuery(BaseModel):
    """The query of `GET /articles/search`; an unknown parameter is a 422."""

    model_config = ConfigDict(extra="forbid")

    q: str = Field(min_length=1, max_length=200, examples=["退货 运费"])
    tag: TagFilter | None = None
    limit: int = Field(10, ge=1, le=50)


class ArticleListQuery(BaseModel):
    """The query of `GET /articles`; an unknown parameter is a 422."""

    model_config = ConfigDict(extra="forbid")

    tag: TagFilter | None = None
    include_archived: bool = False
    limit: int = Field(50, ge=1, le=200)
