"""Tickets in MongoDB: numbering (T1), load and save with an append-only timeline (T8), queries.

Each repository takes an optional session: given one, it joins that transaction.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import structlog
from pymongo import ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from tickets.domain.errors import Conflict, DomainError, NotFound
from tickets.domain.model import Kind, Period, ticket_number
from tickets.domain.ports import TicketFilter
from tickets.domain.states import TERMINAL, TicketState
from tickets.domain.ticket import Ticket
from tickets.storage.documents import entry_doc, ticket_doc, ticket_from_doc

log = structlog.get_logger(__name__)
TICKETS = "tickets"
COUNTERS = "counters"
RELEASED_NUMBERS = "released_ticket_numbers"
RESERVED_NUMBERS = "reserved_ticket_numbers"
# The open states listed (not "not terminal"): a `$nin` cannot bound an index scan.
OPEN_STATES = {"$in": sorted(state.value for state in TicketState if state not in TERMINAL)}
_NO_TIMELINE = {"timeline": 0}
# Hot queries name the index that serves them (storage/indexes.py declares them all), so that
# a planner that would scan instead (SecantusDB's does for several of them) cannot.
BY_ID = "_id_"


@dataclass
class Loaded:
    """A ticket as read, with the version and timeline length its save checks against."""

    ticket: Ticket
    version: int
    stored: int  # timeline entries in the database
    pushed: int = 0  # entries of the in-memory timeline (which starts empty) already saved


class MongoTicketRepository:
    """Implements `TicketRepository`; `session` joins a transaction when given."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.collection = db[TICKETS]
        self.session = session
        self._loaded: dict[str, Loaded] = {}

    async def get(self, number: str) -> Ticket:
        doc = await self.collection.find_one(
            {"_id": number}, _NO_TIMELINE, session=self.session)
        if doc is None:
            raise NotFound(f"ticket {number} does not exist")
        return self._track(doc)

    async def find_by_source(self, source_ref: str) -> str | None:
        # The `$type` repeats the partial index's filter, so that the index may serve the query.
        doc = await self.collection.find_one(
            {"source_ref": {"$eq": source_ref, "$type": "string"}}, {"_id": 1},
            hint="source_ref", session=self.session)
        return doc["_id"] if doc else None

    async def add(self, ticket: Ticket, **extra: str) -> None:
        entries = [entry_doc(e) for e in ticket.timeline]
        doc = {"_id": ticket.number, **ticket_doc(ticket), **extra, "version": 1,
               "timeline": entries, "timeline_len": len(entries)}
        try:
            await self.collection.insert_one(doc, session=self.session)
        except DuplicateKeyError:
            raise Conflict(f"ticket {ticket.number} or its source already exists") from None

    async def save(self, ticket: Ticket) -> None:
        """Write the changes of a loaded ticket; refuse if someone else changed it meanwhile."""
        loaded = self._loaded[ticket.number]
        new_entries = [entry_doc(e) for e in ticket.timeline[loaded.pushed:]]
        result = await self.collection.update_one(
            {"_id": ticket.number, "version": loaded.version},
            {"$set": {**ticket_doc(ticket), "version": loaded.version + 1,
                      "timeline_len": loaded.stored + len(new_entries)},
             "$push": {"timeline": {"$each": new_entries}}},
            session=self.session)
        if result.matched_count != 1:
            raise Conflict(f"ticket {ticket.number} changed meanwhile; try again")
        loaded.version += 1
        loaded.stored += len(new_entries)
        loaded.pushed += len(new_entries)

    async def claim_due(self, number: str, now: datetime) -> Ticket | None:
        """The ticket if its SLA check is (still) due at `now`, else None (another replica won)."""
        doc = await self.collection.find_one(
            {"_id": number, "next_sla_check_at": {"$lte": now}},
            _NO_TIMELINE, hint=BY_ID, session=self.session)
        return self._track(doc) if doc else None

    async def postpone_check(self, number: str, until: datetime) -> None:
        """Move a ticket whose check failed behind the others, to be tried again later."""
        await self.collection.update_one({"_id": number}, {"$set": {"next_sla_check_at": until}},
                                         session=self.session)

    def _track(self, doc: dict[str, Any]) -> Ticket:
        ticket = ticket_from_doc(doc)
        self._loaded[ticket.number] = Loaded(ticket, doc.get("version", 1),
                                             doc.get("timeline_len", 0))
        ticket.timeline = ()
        return ticket


class MongoTicketNumbers:
    """Implements `TicketNumbers` (T1): an atomic per-day counter, unique across replicas.

    Outside a transaction (no session) a number is reserved for good: the opening of a ticket
    over HTTP takes its number first, so that concurrent openings do not all conflict on the
    day's counter in their transactions. An opening that fails gives its number back to the
    day's pool of released numbers, which the next opening takes first (lowest first), so a
    failure leaves no gap. Taking from the pool is one atomic delete, so two replicas never
    take the same number; a released number whose ticket exists after all (a commit whose
    answer was lost) is dropped rather than given twice. Inside a transaction both the pool
    and the counter roll back with it.
    """

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.collection = db[COUNTERS]
        self.released = db[RELEASED_NUMBERS]
        self.reservations = db[RESERVED_NUMBERS]
        self.tickets = db[TICKETS]
        self.session = session

    async def next(self, day: date) -> str:
        while (number := await self._take_released(day)) is not None:
            if await self.tickets.find_one({"_id": number}, {"_id": 1},
                                           session=self.session) is None:
                return number
        return ticket_number(day, await self._increment(f"tickets:{day:%Y%m%d}"))

    async def _increment(self, key: str) -> int:
        # The day's counter is created apart from the increment: concurrent upserts of a
        # missing document are not safe everywhere (SecantusDB increments for each of them but
        # answers None to all but one), while a duplicate insert is refused and harmless.
        for _ in range(3):
            counter = await self.collection.find_one_and_update(
                {"_id": key}, {"$inc": {"seq": 1}}, return_document=ReturnDocument.AFTER,
                session=self.session)
            if counter is not None:
                return counter["seq"]
            with contextlib.suppress(DuplicateKeyError):  # another opening created it first
                await self.collection.insert_one({"_id": key, "seq": 0}, session=self.session)
        raise Conflict(f"the ticket counter {key} could not be created; try again")

    async def reserve(self, day: date, key: str) -> str:
        """The number reserved for `key` (an external task), the same however often asked, so
        that an event handler retried whole keeps its number without holding the day's counter
        in its transaction. Two deliveries racing: the loser gives its number back."""
        found = await self.reservations.find_one({"_id": key}, session=self.session)
        if found is not None:
            return found["number"]
        number = await self.next(day)
        try:
            await self.reservations.insert_one(
                {"_id": key, "number": number, "at": datetime.now(UTC)}, session=self.session)
        except DuplicateKeyError:
            await self.release(day, number)
            found = await self.reservations.find_one({"_id": key}, session=self.session)
            if found is None:  # the winner's reservation expired meanwhile: keep ours
                return await self.reserve(day, key)
            return found["number"]
        return number

    async def release(self, day: date, number: str) -> None:
        """Give back the number of an opening that failed; the day's next opening takes it."""
        doc = {"_id": number, "day": f"{day:%Y%m%d}", "seq": int(number.rsplit("-", 1)[1])}
        with contextlib.suppress(DuplicateKeyError):  # released twice: once is enough
            await self.released.insert_one(doc, session=self.session)

    async def _take_released(self, day: date) -> str | None:
        doc = await self.released.find_one_and_delete(
            {"day": f"{day:%Y%m%d}"}, sort=[("day", 1), ("seq", 1)], session=self.session)
        return doc["_id"] if doc else None


class MongoTicketQueries:
    """Implements `TicketQueries`: lists, timelines, reports, the SLA sweep."""

    def __init__(self, db: AsyncDatabase, session: AsyncClientSession | None = None) -> None:
        self.collection = db[TICKETS]
        self.session = session

    async def get(self, number: str) -> Ticket:
        doc = await self.collection.find_one({"_id": number}, _NO_TIMELINE, session=self.session)
        if doc is None:
            raise NotFound(f"ticket {number} does not exist")
        return ticket_from_doc(doc)

    async def timeline(self, number: str) -> list[dict[str, Any]]:
        doc = await self.collection.find_one({"_id": number}, {"timeline": 1},
                                            session=self.session)
        if doc is None:
            raise NotFound(f"ticket {number} does not exist")
        return list(doc.get("timeline") or [])

    async def search(self, where: TicketFilter, page: int, limit: int) -> tuple[list[Ticket], int]:
        query, hint = _query(where), list_index(where)
        total = await self.collection.count_documents(query, hint=hint, session=self.session)
        cursor = self.collection.find(query, _NO_TIMELINE, sort=[("created_at", -1)],
                                      skip=(page - 1) * limit, limit=limit, hint=hint,
                                      session=self.session)
        return [ticket_from_doc(doc) async for doc in cursor], total

    async def opened_between(self, period: Period, kind: Kind | None = None) -> list[Ticket]:
        """Tickets (of `kind`) opened in the period, without timelines, for reports.

        A document the core's mapping cannot read is skipped and logged rather than failing
        the whole report.
        """
        query: dict[str, Any] = {"created_at": {"$gte": period.start, "$lt": period.end}}
        if kind is not None:
            query["kind"] = Kind(kind).value  # served by the kind_created index
        tickets = []
        async for doc in self.collection.find(query, _NO_TIMELINE, session=self.session):
            if (ticket := _readable(doc)) is not None:
                tickets.append(ticket)
        return tickets

    async def due_numbers(self, now: datetime, limit: int) -> list[str]:
        cursor = self.collection.find({"next_sla_check_at": {"$lte": now}}, {"_id": 1},
                                      sort=[("next_sla_check_at", 1)], limit=limit,
                                      session=self.session)
        return [doc["_id"] async for doc in cursor]

    async def has_open_ticket(self, customer_id: str, assignee_id: str) -> bool:
        doc = await self.collection.find_one(
            {"customer_id": customer_id, "assignee_id": assignee_id, "state": OPEN_STATES},
            {"_id": 1}, hint="customer_created", session=self.session)
        return doc is not None


def _readable(doc: dict[str, Any]) -> Ticket | None:
    try:
        return ticket_from_doc(doc)
    except (KeyError, TypeError, ValueError, DomainError) as exc:
        log.warning("report.ticket_unreadable", ticket=str(doc.get("_id")),
                    error=type(exc).__name__)
        return None


def list_index(where: TicketFilter) -> str:
    """The index that serves a ticket list: the most selective filter leads (a customer, an
    assignee, a kind, a state); with none, the newest-first order itself."""
    if where.customer_id is not None:
        return "customer_created"
    if where.unassigned or where.assignee_id is not None:
        return "assignee_state_created"
    if where.kind is not None:
        return "kind_created"
    if where.state is not None:
        return "state_created"
    return "created"


def _query(where: TicketFilter) -> dict[str, Any]:
    query: dict[str, Any] = {}
    if where.state is not None:
        query["state"] = str(where.state)
    if where.kind is not None:
        query["kind"] = str(where.kind)
    if where.customer_id is not None:
        query["customer_id"] = str(where.customer_id)
    if where.unassigned:
        query["assignee_id"] = None
    elif where.assignee_id is not None:
        query["assignee_id"] = str(where.assignee_id)
    return query
