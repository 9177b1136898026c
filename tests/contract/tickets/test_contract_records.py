"""Contract of survey rounds and dispatches (T5/T14), review items (T13) and the knowledge
base (T10), on the fakes and on MongoDB alike."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from contract.tickets.backends import Backend
from contract.tickets.tickets_data import T0, new_ticket
from ops_shared.calendar import WorkCalendar
from tickets.domain.errors import Conflict
from tickets.domain.knowledge import Article, ArticleRecord
from tickets.domain.model import Period
from tickets.domain.ports import TicketsUnitOfWork
from tickets.domain.review import Reminder, ReviewRecord
from tickets.domain.surveys import (
    DispatchRecord,
    OpinionDispatch,
    RoundRecord,
    SurveyResponse,
    SurveyRound,
)

PERIOD = Period(T0 - timedelta(days=30), T0)


def _round(round_id: str = "sr-1", days_back: int = 30) -> RoundRecord:
    period = Period(T0 - timedelta(days=days_back), T0 - timedelta(days=days_back - 30))
    return RoundRecord(round=SurveyRound(id=round_id, period=period, title="十一月"),
                       status="open", created_at=T0, created_by="sup-1")


def _response(customer: str, score: int = 4, ticket: str | None = "TK-1",
              minutes: int = 0, round_id: str = "sr-1") -> SurveyResponse:
    return SurveyResponse(round_id=round_id, customer_id=customer, agent_id="as-1",
                          score=score, at=T0 + timedelta(minutes=minutes), opinion="还行",
                          ticket_number=ticket)


def _dispatch(department: str, days: int = 0, round_id: str = "sr-1") -> DispatchRecord:
    plan = OpinionDispatch.plan(department, ["慢"], T0 + timedelta(days=days), WorkCalendar())
    return DispatchRecord(id=f"{round_id}.{department}", round_id=round_id, dispatch=plan,
                          steps_by={})


async def test_t14_rounds_round_trip_newest_period_first(backend: Backend) -> None:
    older, newer = _round("sr-old", days_back=60), _round("sr-new", days_back=30)

    async def add(uow: TicketsUnitOfWork) -> None:
        await uow.surveys.add_round(older)
        await uow.surveys.add_round(newer)
    await backend.run(add)
    surveys = backend.reads.surveys

    assert await surveys.get_round("sr-new") == newer
    assert await surveys.get_round("sr-none") is None
    assert await surveys.rounds(10) == [newer, older]
    assert await surveys.rounds(1) == [newer]


async def test_t14_a_summarised_round_counts_no_more_responses(backend: Backend) -> None:
    await backend.run(lambda uow: uow.surveys.add_round(_round()))

    assert await backend.run(lambda uow: uow.surveys.count_response("sr-1"))
    assert await backend.run(lambda uow: uow.surveys.mark_summarised("sr-1", T0, "sup-1"))
    assert not await backend.run(lambda uow: uow.surveys.mark_summarised("sr-1", T0, "sup-1"))
    assert not await backend.run(lambda uow: uow.surveys.count_response("sr-1"))
    assert not await backend.run(lambda uow: uow.surveys.count_response("sr-none"))

    stored = await backend.reads.surveys.get_round("sr-1")
    assert stored is not None
    assert (stored.status, stored.summarised_at, stored.summarised_by) == (
        "summarised", T0, "sup-1")


async def test_t14_one_answer_per_customer_round_and_ticket(backend: Backend) -> None:
    async def add(uow: TicketsUnitOfWork) -> None:
        await uow.surveys.add_response("r-2", _response("CU-1", minutes=2), "sup-1")
        await uow.surveys.add_response("r-1", _response("CU-1", ticket="TK-2", minutes=1),
                                       "sup-1")
        await uow.surveys.add_response("r-3", _response("CU-2", ticket=None), "sup-1")
        await uow.surveys.add_response("r-4", _response("CU-3", round_id="sr-2"), "sup-1")
    await backend.run(add)

    with pytest.raises(Conflict):
        await backend.run(lambda uow: uow.surveys.add_response(
            "r-5", _response("CU-1", score=1, minutes=9), "sup-1"))
    with pytest.raises(Conflict):
        await backend.run(lambda uow: uow.surveys.add_response(
            "r-6", _response("CU-2", ticket=None, minutes=9), "sup-1"))

    found = await backend.reads.surveys.responses("sr-1")
    assert [(r.customer_id, r.ticket_number) for r in found] == [
        ("CU-2", None), ("CU-1", "TK-2"), ("CU-1", "TK-1")]
    assert found[-1] == _response("CU-1", minutes=2)


async def test_t14_responses_between_keep_the_period(backend: Backend) -> None:
    async def add(uow: TicketsUnitOfWork) -> None:
        await uow.surveys.add_response("r-1", _response("CU-1", minutes=-1), "sup-1")
        await uow.surveys.add_response("r-2", _response("CU-2", minutes=0), "sup-1")
    await backend.run(add)

    found = await backend.reads.surveys.responses_between(PERIOD)

    assert [r.customer_id for r in found] == ["CU-1"]


async def test_t5_dispatches_round_trip_filter_and_sort_by_due_time(backend: Backend) -> None:
    late, early, other = _dispatch("service", days=1), _dispatch("logistics"), _dispatch(
        "website", round_id="sr-2")
    await backend.run(lambda uow: uow.surveys.add_dispatches([late, early, other]))
    surveys = backend.reads.surveys

    assert await surveys.get_dispatch(early.id) == early
    assert await surveys.get_dispatch("nope") is None
    assert [d.id for d in await surveys.dispatches(round_id="sr-1")] == [early.id, late.id]
    assert [d.id for d in await surveys.dispatches(department="website")] == [other.id]
    assert [d.id for d in await surveys.dispatches(limit=1)] == [early.id]

    early.dispatch.dispatch(T0 + timedelta(hours=1), WorkCalendar())
    early.steps_by["dispatch"] = "sup-1"
    await backend.run(lambda uow: uow.surveys.save_dispatch(early))

    assert await surveys.get_dispatch(early.id) == early
    assert [d.id for d in await surveys.dispatches(statuses=["dispatched"])] == [early.id]
    assert [d.id for d in await surveys.dispatches(statuses=["planned"])] == [other.id, late.id]


def _item(rma: str, **fields) -> ReviewRecord:
    return ReviewRecord(rma_number=rma, order_id=f"TB-{rma}", owner_id="as-1", **fields)


async def test_t13_review_items_round_trip_and_open_ones_come_by_next_action(
        backend: Backend) -> None:
    items = [_item("R1", dispute=True, next_action_at=T0 + timedelta(hours=2)),
             _item("R2", refund_in_progress=True, next_action_at=T0),
             _item("R3", dispute=True, resolved=True, resolved_at=T0),
             _item("R4"),
             _item("R5", dispute=True, history=[{"event_id": "e-1", "type": "x", "at": T0}])]

    async def save(uow: TicketsUnitOfWork) -> None:
        for item in items:
            await uow.review.save(item)
    await backend.run(save)
    review = backend.reads.review

    assert await review.get("R5") == items[4]
    assert await review.get("R9") is None
    assert [r.rma_number for r in await review.open_items()] == ["R5", "R2", "R1"]

    items[1].refund_in_progress, items[1].resolved = False, True
    await backend.run(lambda uow: uow.review.save(items[1]))
    assert [r.rma_number for r in await review.open_items()] == ["R5", "R1"]


async def test_t13_an_owner_is_reminded_once_a_day(backend: Backend) -> None:
    def reminder(owner: str, day: str = "2026-11-26") -> Reminder:
        return Reminder(day=day, owner_id=owner, rma_numbers=("R1",), reminded_at=T0,
                        reminded_by="sup-1")

    async def add(uow: TicketsUnitOfWork) -> None:
        for r in (reminder("as-2"), reminder("as-1"), reminder("as-1", "2026-11-27")):
            await uow.review.add_reminder(r)
    await backend.run(add)

    with pytest.raises(Conflict):
        await backend.run(lambda uow: uow.review.add_reminder(reminder("as-1")))
    assert await backend.reads.review.reminders_on("2026-11-26") == [
        reminder("as-1"), reminder("as-2")]


async def test_t13_the_daily_reminder_is_claimed_once_per_day(backend: Backend) -> None:
    assert await backend.run(lambda uow: uow.review.claim_day("2026-11-26", T0))
    assert not await backend.run(lambda uow: uow.review.claim_day("2026-11-26", T0))
    assert await backend.reads.review.claim_day("2026-11-27", T0 + timedelta(days=1))


async def test_t13_a_claim_in_a_failed_transaction_is_not_kept(backend: Backend) -> None:
    async def failed(uow: TicketsUnitOfWork) -> None:
        assert await uow.review.claim_day("2026-11-26", T0)
        raise RuntimeError("the reminder could not be sent")
    with pytest.raises(RuntimeError):
        await backend.run(failed)

    assert await backend.run(lambda uow: uow.review.claim_day("2026-11-26", T0))


def _article(article_id: str, title: str, body: str, *, tags: tuple[str, ...] = ("退货",),
             minutes: int = 0) -> ArticleRecord:
    at = T0 + timedelta(minutes=minutes)
    return ArticleRecord(article=Article(id=article_id, title=title, body=body, tags=tags),
                         archived=False, created_at=at, created_by="as-1", updated_at=at,
                         updated_by="as-1")


async def test_t10_an_article_keeps_every_version_and_revises_only_the_latest(
        backend: Backend) -> None:
    first = _article("kb-1", "退货运费", "质量问题运费店铺承担")
    await backend.run(lambda uow: uow.articles.add(first))
    second = ArticleRecord(article=first.article.revise("退货运费", "七天无理由买家承担"),
                           archived=False, created_at=T0, created_by="as-1",
                           updated_at=T0 + timedelta(hours=1), updated_by="as-2")
    articles = backend.reads.articles

    assert await backend.run(lambda uow: uow.articles.save_revision(second, 1))
    assert not await backend.run(lambda uow: uow.articles.save_revision(second, 1))

    assert await articles.get("kb-1") == second
    assert await articles.get("kb-9") is None
    versions = await articles.versions("kb-1")
    assert [(v.article.version, v.published_by) for v in versions] == [(1, "as-1"), (2, "as-2")]
    assert await articles.version("kb-1", 1) == versions[0]
    assert await articles.version("kb-1", 3) is None


async def test_t10_listing_and_candidates_leave_archived_articles_out(backend: Backend) -> None:
    async def add(uow: TicketsUnitOfWork) -> None:
        await uow.articles.add(_article("kb-1", "退货运费", "运费规则", minutes=1))
        await uow.articles.add(_article("kb-2", "尺码", "鞋码偏大", tags=("尺码",), minutes=2))
        await uow.articles.add(_article("kb-3", "旧运费", "十元", minutes=3))
        archived = _article("kb-3", "旧运费", "十元", minutes=3)
        await uow.articles.archive(dataclasses.replace(
            archived, archived=True, archived_at=T0 + timedelta(hours=1), archived_by="sup-1"))
        await uow.articles.archive(dataclasses.replace(  # an article never stored: no-op
            archived, article=_article("kb-9", "无", "无").article, archived=True))
    await backend.run(add)
    articles = backend.reads.articles

    assert [r.article.id for r in await articles.listing(None, False, 10)] == ["kb-2", "kb-1"]
    assert [r.article.id for r in await articles.listing(None, True, 10)] == [
        "kb-3", "kb-2", "kb-1"]
    assert [r.article.id for r in await articles.listing("尺码", True, 10)] == ["kb-2"]
    stored = await articles.get("kb-3")
    assert stored is not None
    assert (stored.archived, stored.archived_at, stored.archived_by) == (
        True, T0 + timedelta(hours=1), "sup-1")
    assert await articles.get("kb-9") is None
    assert [r.article.id for r in await articles.candidates(["运", "费"], None, 10)] == ["kb-1"]
    assert await articles.candidates(["运"], "尺码", 10) == []


async def test_t10_the_tickets_that_used_an_article_newest_first(backend: Backend) -> None:
    await backend.run(lambda uow: uow.articles.add(_article("kb-1", "运费", "运费")))

    async def use(uow: TicketsUnitOfWork) -> None:
        for seq in (1, 2, 3):
            await uow.tickets.add(new_ticket(seq))
        for seq, article_id in ((1, "kb-1"), (2, "kb-1"), (3, "kb-9")):
            ticket = await uow.tickets.get(new_ticket(seq).number)
            ticket.use_article("as-1", T0 + timedelta(minutes=seq), article_id, 1)
            await uow.tickets.save(ticket)
    await backend.run(use)

    uses = await backend.reads.articles.tickets_using("kb-1", 1, 10)

    assert [(u.ticket_number, u.version, u.used_by) for u in uses] == [
        (new_ticket(2).number, 1, "as-1"), (new_ticket(1).number, 1, "as-1")]
    assert uses[0].used_at == T0 + timedelta(minutes=2)
