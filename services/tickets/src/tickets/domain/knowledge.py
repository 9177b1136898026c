"""T10: a versioned knowledge base searchable in Chinese (character bigrams) and Latin words."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from tickets.domain.errors import Conflict, TransitionRefused
from tickets.domain.model import require_text

_TOKEN_RUNS = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([a-z0-9]+)")
K1, B, TITLE_BOOST = 1.5, 0.75, 3.0
SNIPPET_CHARS = 80
SNIPPET_LEAD = 20

DocTokens = tuple[str, Sequence[str], Sequence[str]]  # (id, title_tokens, body_tokens)


def tokenize(text: str) -> list[str]:
    """CJK runs give single characters plus bigrams; Latin letters and digits give words."""
    tokens: list[str] = []
    for cjk, word in _TOKEN_RUNS.findall(text.lower()):
        if word:
            tokens.append(word)
            continue
        tokens.extend(cjk)
        tokens.extend(cjk[i : i + 2] for i in range(len(cjk) - 1))
    return tokens


def index_terms(title: str, body: str) -> list[str]:
    """Unique terms of an article, in first-seen order, for a multikey index lookup."""
    return list(dict.fromkeys(tokenize(title) + tokenize(body)))


@dataclass(frozen=True)
class Article:
    """A knowledge-base entry; revising it makes a new version."""

    id: str
    title: str
    body: str
    tags: tuple[str, ...] = ()
    version: int = 1

    def revise(self, title: str, body: str, tags: Sequence[str] | None = None) -> Article:
        """The next version with new text (and tags, if given)."""
        new_tags = self.tags if tags is None else tuple(tags)
        title, body = require_text(title, "title"), require_text(body, "body")
        return replace(self, title=title, body=body, tags=new_tags, version=self.version + 1)

    def tokens(self) -> DocTokens:
        """(id, title tokens, body tokens), the shape rank() takes."""
        return self.id, tokenize(self.title), tokenize(self.body)


def rank(query: str, docs: Sequence[DocTokens]) -> list[tuple[str, float]]:
    """BM25 over title+body, title terms weighted TITLE_BOOST; best first, zero scores dropped."""
    terms = set(tokenize(query))
    if not terms or not docs:
        return []
    fields = [(doc_id, _weighted_tf(title, body)) for doc_id, title, body in docs]
    lengths = {doc_id: sum(tf.values()) for doc_id, tf in fields}
    avg_len = sum(lengths.values()) / len(fields) or 1.0
    df = Counter(term for _, tf in fields for term in terms if term in tf)
    scored = []
    for doc_id, tf in fields:
        norm = K1 * (1 - B + B * lengths[doc_id] / avg_len)
        score = sum(
            _idf(len(fields), df[t]) * tf[t] * (K1 + 1) / (tf[t] + norm) for t in terms if t in tf
        )
        if score > 0:
            scored.append((doc_id, round(score, 6)))
    return sorted(scored, key=lambda item: (-item[1], item[0]))


def _weighted_tf(title: Sequence[str], body: Sequence[str]) -> Counter[str]:
    counts: Counter[str] = Counter(body)
    for term in title:
        counts[term] += TITLE_BOOST
    return counts


def _idf(n_docs: int, doc_freq: int) -> float:
    return math.log(1 + (n_docs - doc_freq + 0.5) / (doc_freq + 0.5))


@dataclass(frozen=True, kw_only=True)
class ArticleRecord:
    """An article's current version with its bookkeeping; live until archived.

    A live article is revised (a new version; the earlier ones stay readable) or archived (out
    of search, still readable); an archived one does neither.
    """

    article: Article
    archived: bool
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    archived_at: datetime | None = None
    archived_by: str | None = None

    @classmethod
    def publish(cls, article_id: str, *, title: str, body: str, tags: Sequence[str],
                at: datetime, by: str) -> ArticleRecord:
        """Version 1 of a new article."""
        article = Article(id=article_id, title=require_text(title, "title"),
                          body=require_text(body, "body"), tags=normal_tags(tags))
        return cls(article=article, archived=False, created_at=at, created_by=by,
                   updated_at=at, updated_by=by)

    def check_live(self, doing: str) -> None:
        if self.archived:
            raise TransitionRefused("archived", doing, [])

    def revised(self, *, title: str, body: str, tags: Sequence[str] | None, at: datetime,
                by: str, expected_version: int | None = None) -> ArticleRecord:
        """The next version; Conflict if the writer revised an older version than the current."""
        self.check_live("revise")
        current = self.article.version
        if expected_version is not None and expected_version != current:
            raise Conflict(f"article {self.article.id} is at version {current}, not "
                           f"{expected_version}; read it again and revise the latest version")
        article = self.article.revise(title, body, None if tags is None else normal_tags(tags))
        return replace(self, article=article, updated_at=at, updated_by=by)

    def archived_now(self, at: datetime, by: str) -> ArticleRecord:
        """Out of search; it stays readable with all its versions."""
        self.check_live("archive")
        return replace(self, archived=True, archived_at=at, archived_by=by)


def normal_tags(tags: Sequence[str]) -> tuple[str, ...]:
    """Tags trimmed, without blanks or repeats, in first-seen order."""
    return tuple(dict.fromkeys(t.strip() for t in tags if t.strip()))


def snippet(article: Article, terms: Sequence[str]) -> str:
    """A short window of the body around its longest matching query term."""
    body = " ".join(article.body.split())
    lowered = body.lower()
    positions = [lowered.find(t) for t in sorted(terms, key=len, reverse=True)]
    at = next((p for p in positions if p >= 0), 0)
    start = max(0, at - SNIPPET_LEAD)
    end = min(len(body), start + SNIPPET_CHARS)
    return f"{'…' if start else ''}{body[start:end]}{'…' if end < len(body) else ''}"


@dataclass(frozen=True, kw_only=True)
class VersionRecord:
    """One published version of an article, kept forever."""

    article: Article
    published_at: datetime
    published_by: str


@dataclass(frozen=True, kw_only=True)
class ArticleUse:
    """A ticket that used an article (the core stores `articles_used` on the ticket)."""

    ticket_number: str
    version: int | None
    used_at: datetime | None
    used_by: str | None
