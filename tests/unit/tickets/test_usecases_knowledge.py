"""T10: the knowledge base: versioned articles, Chinese search, and the tickets that used them;
on fakes."""

from __future__ import annotations

import pytest

from tickets.application import knowledge
from tickets.application.ticket_work import use_article
from tickets.domain.errors import Conflict, NotFound, TransitionRefused
from unit.tickets.fakes import fake_deps
from unit.tickets.fakes.builders import AGENT, opened


async def _article(deps, title: str = "退货运费谁承担", body: str = "质量问题退货运费由店铺承担。"):
    return await knowledge.create_article(deps, AGENT, title=title, body=body, tags=["退货"])


async def test_t10_a_revision_is_a_new_version_and_the_old_one_stays_readable() -> None:
    deps = fake_deps()
    created = await _article(deps)
    article_id = created.article.id

    revised = await knowledge.revise_article(deps, AGENT, article_id, title="退货运费",
                                             body="七天无理由退货运费由买家承担。", tags=None,
                                             expected_version=1)

    assert revised.article.version == 2
    assert [v.article.version for v in await knowledge.list_versions(deps, article_id)] == [1, 2]
    assert (await knowledge.get_version(deps, article_id, 1)).article.title == "退货运费谁承担"


async def test_t10_revising_an_outdated_version_is_a_conflict() -> None:
    deps = fake_deps()
    created = await _article(deps)

    with pytest.raises(Conflict):
        await knowledge.revise_article(deps, AGENT, created.article.id, title="x", body="y",
                                       tags=None, expected_version=7)


async def test_t10_search_finds_chinese_text_and_leaves_archived_articles_out() -> None:
    deps = fake_deps()
    freight = await _article(deps)
    await _article(deps, title="尺码表", body="鞋码偏大半码。")
    old = await _article(deps, title="旧运费规则", body="运费十元。")
    await knowledge.archive_article(deps, AGENT, old.article.id)

    hits = await knowledge.search_articles(deps, "运费", tag=None, limit=5)

    assert [h.record.article.id for h in hits] == [freight.article.id]
    assert "运费" in hits[0].snippet
    with pytest.raises(TransitionRefused):
        await knowledge.revise_article(deps, AGENT, old.article.id, title="x", body="y",
                                       tags=None, expected_version=None)


async def test_t10_an_article_lists_the_tickets_that_used_it() -> None:
    deps = fake_deps()
    created = await _article(deps)
    ticket = await opened(deps)
    await use_article(deps, AGENT, ticket.number, created.article.id, 1)

    [use] = await knowledge.tickets_using(deps, created.article.id, limit=10)

    assert (use.ticket_number, use.version, use.used_by) == (ticket.number, 1, AGENT.staff_id)


async def test_an_unknown_article_is_not_found() -> None:
    with pytest.raises(NotFound):
        await knowledge.get_article(fake_deps(), "kb-nope")
