"""Fakes of survey rounds and dispatches (T5/T14), the daily review (T13) and the knowledge
base (T10)."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from datetime import datetime

from tickets.domain.errors import Conflict
from tickets.domain.knowledge import ArticleRecord, ArticleUse, VersionRecord, index_terms
from tickets.domain.model import Period
from tickets.domain.review import Reminder, ReviewRecord
from tickets.domain.surveys import DispatchRecord, RoundRecord, SurveyResponse

from .store import Store


def _nulls_first(value: datetime | None) -> tuple[int, datetime | None]:
    """Mongo sorts a missing date before every date."""
    return (0, None) if value is None else (1, value)


class FakeSurveyRepository:
    """Implements `SurveyRepository` on a `Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def add_round(self, record: RoundRecord) -> None:
        if record.round.id in self.store.rounds:
            raise Conflict(f"survey round {record.round.id} already exists")
        self.store.rounds[record.round.id] = copy.deepcopy(record)

    async def get_round(self, round_id: str) -> RoundRecord | None:
        return copy.deepcopy(self.store.rounds.get(round_id))

    async def rounds(self, limit: int) -> list[RoundRecord]:
        found = sorted(self.store.rounds.values(), key=lambda r: r.round.period.start,
                       reverse=True)
        return copy.deepcopy(found[:limit])

    async def mark_summarised(self, round_id: str, at: datetime, by: str) -> bool:
        record = self.store.rounds.get(round_id)
        if record is None or record.status != "open":
            return False
        self.store.rounds[round_id] = dataclasses.replace(
            record, status="summarised", summarised_at=at, summarised_by=by)
        return True

    async def count_response(self, round_id: str) -> bool:
        record = self.store.rounds.get(round_id)
        if record is None or record.status != "open":
            return False
        self.store.round_responses[round_id] = self.store.round_responses.get(round_id, 0) + 1
        return True

    async def add_response(self, response_id: str, response: SurveyResponse, by: str) -> None:
        key = (response.round_id, response.customer_id, response.ticket_number)
        if any((r.round_id, r.customer_id, r.ticket_number) == key
               for r, _ in self.store.responses.values()):
            raise Conflict(f"customer {response.customer_id} already answered round "
                           f"{response.round_id} about ticket "
                           f"{response.ticket_number or '(none)'}")
        self.store.responses[response_id] = (copy.deepcopy(response), by)

    async def responses(self, round_id: str) -> list[SurveyResponse]:
        found = [r for r, _ in self.store.responses.values() if r.round_id == round_id]
        return copy.deepcopy(sorted(found, key=lambda r: r.at))

    async def responses_between(self, period: Period) -> list[SurveyResponse]:
        return copy.deepcopy([r for r, _ in self.store.responses.values()
                              if period.start <= r.at < period.end])

    async def add_dispatches(self, records: Sequence[DispatchRecord]) -> None:
        for record in records:
            if record.id in self.store.dispatches:
                raise Conflict(f"opinion dispatch {record.id} already exists")
            self.store.dispatches[record.id] = copy.deepcopy(record)

    async def save_dispatch(self, record: DispatchRecord) -> None:
        if record.id in self.store.dispatches:
            self.store.dispatches[record.id] = copy.deepcopy(record)

    async def get_dispatch(self, dispatch_id: str) -> DispatchRecord | None:
        return copy.deepcopy(self.store.dispatches.get(dispatch_id))

    async def dispatches(self, *, round_id: str | None = None, department: str | None = None,
                         statuses: Sequence[str] | None = None,
                         limit: int = 500) -> list[DispatchRecord]:
        found = [r for r in self.store.dispatches.values()
                 if (round_id is None or r.round_id == round_id)
                 and (department is None or r.dispatch.department == department)
                 and (statuses is None or r.status in statuses)]
        found.sort(key=lambda r: (_nulls_first(r.dispatch.dispatch_due), r.id))
        return copy.deepcopy(found[:limit])


class FakeReviewRepository:
    """Implements `ReviewRepository` on a `Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(self, rma_number: str) -> ReviewRecord | None:
        return copy.deepcopy(self.store.review_items.get(rma_number))

    async def save(self, record: ReviewRecord) -> None:
        self.store.review_items[record.rma_number] = copy.deepcopy(record)

    async def open_items(self) -> list[ReviewRecord]:
        found = [r for r in self.store.review_items.values()
                 if not r.resolved and r.kind in ("refund_in_progress", "dispute")]
        return copy.deepcopy(sorted(found, key=lambda r: _nulls_first(r.next_action_at)))

    async def reminders_on(self, day: str) -> list[Reminder]:
        return sorted((r for r in self.store.reminders.values() if r.day == day),
                      key=lambda r: r.owner_id)

    async def claim_day(self, day: str, at: datetime) -> bool:
        if day in self.store.review_days:
            return False
        self.store.review_days[day] = at
        return True

    async def add_reminder(self, reminder: Reminder) -> None:
        key = f"{reminder.day}:{reminder.owner_id}"
        if key in self.store.reminders:
            raise Conflict(f"{reminder.owner_id} was already reminded on {reminder.day}")
        self.store.reminders[key] = reminder


class FakeArticleRepository:
    """Implements `ArticleRepository` on a `Store` (uses read the store's tickets)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(self, article_id: str) -> ArticleRecord | None:
        return copy.deepcopy(self.store.articles.get(article_id))

    async def add(self, record: ArticleRecord) -> None:
        if record.article.id in self.store.articles:
            raise Conflict(f"article {record.article.id} already exists")
        self.store.articles[record.article.id] = copy.deepcopy(record)
        self._add_version(record)

    async def save_revision(self, record: ArticleRecord, previous_version: int) -> bool:
        current = self.store.articles.get(record.article.id)
        if current is None or current.article.version != previous_version:
            return False
        self.store.articles[record.article.id] = copy.deepcopy(record)
        self._add_version(record)
        return True

    async def archive(self, record: ArticleRecord) -> None:
        if (current := self.store.articles.get(record.article.id)) is not None:
            self.store.articles[record.article.id] = dataclasses.replace(
                current, archived=record.archived, archived_at=record.archived_at,
                archived_by=record.archived_by)

    async def listing(self, tag: str | None, include_archived: bool,
                      limit: int) -> list[ArticleRecord]:
        found = [r for r in self.store.articles.values()
                 if (include_archived or not r.archived)
                 and (tag is None or tag in r.article.tags)]
        found.sort(key=lambda r: r.updated_at, reverse=True)
        return copy.deepcopy(found[:limit])

    async def candidates(self, terms: Sequence[str], tag: str | None,
                         limit: int) -> list[ArticleRecord]:
        wanted = set(terms)
        found = [r for r in self.store.articles.values()
                 if not r.archived and (tag is None or tag in r.article.tags)
                 and wanted & set(index_terms(r.article.title, r.article.body))]
        return copy.deepcopy(found[:limit])

    async def versions(self, article_id: str) -> list[VersionRecord]:
        found = [v for v in self.store.article_versions.values() if v.article.id == article_id]
        return copy.deepcopy(sorted(found, key=lambda v: v.article.version))

    async def version(self, article_id: str, version: int) -> VersionRecord | None:
        return copy.deepcopy(self.store.article_versions.get(f"{article_id}@v{version}"))

    async def tickets_using(self, article_id: str, versions: int,
                            limit: int) -> list[ArticleUse]:
        refs = {f"{article_id}@v{n}": n for n in range(1, versions + 1)}
        using = [s for s in self.store.tickets.values() if refs.keys() & set(s.ticket.articles)]
        uses = []
        for stored in using[:limit]:
            logged = {(e.get("details") or {}).get("article"): e for e in stored.timeline
                      if e.get("action") == "article_used"}
            seen: set[int] = set()
            for ref in stored.ticket.articles:
                if ref in refs and refs[ref] not in seen:
                    seen.add(refs[ref])
                    entry = logged.get(ref) or {}
                    uses.append(ArticleUse(ticket_number=stored.ticket.number,
                                           version=refs[ref], used_at=entry.get("at"),
                                           used_by=entry.get("actor_id")))
        return sorted(uses, key=lambda u: (-(u.used_at.timestamp() if u.used_at else 0.0),
                                           u.ticket_number))

    def _add_version(self, record: ArticleRecord) -> None:
        key = f"{record.article.id}@v{record.article.version}"
        if key in self.store.article_versions:
            raise Conflict(f"article {key} already exists")
        self.store.article_versions[key] = VersionRecord(
            article=copy.deepcopy(record.article), published_at=record.updated_at,
            published_by=record.updated_by)
