"""Tickets in MongoDB: numbering (T1), load and save with an append-only timeline (T8), queries.

Every method takes the unit of work's session, so it joins the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import structlog
from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from ops_shared.persistence import MongoUnitOfWork
from tickets.domain.errors import Conflict, DomainError, NotFound
from tickets.domain.model import Kind, Period, ticket_number
from tickets.domain.states import TERMINAL
from tickets.domain.ticket import Ticket
from tickets.storage.documents import entry_doc, ticket_doc, ticket_from_doc

log = structlog.get_logger(__name__)
TICKETS = "tickets"
COUNTERS = "counters"
OPEN_STATES = {"$nin": sorted(state.value for state in TERMINAL)}
_NO_TIMELINE = {"timeline": 0}


@dataclass
class Loaded:
    """A ticket as read, with the version and timeline length its save checks against."""

    ticket: Ticket
    version: int
    stored: int  # timeline entries in the database
    pushed: int = 0  # entries of the in-memory timeline (which starts empty) already saved


@dataclass(frozen=True)
class TicketFilter:
    """Typed filters of the ticket list; None means 'any'."""

    state: str | None = None
    kind: str | None = None
    assignee_id: str | None = None
    customer_id: str | None = None
    unassigned: bool = False


class TicketStore:
    """Tickets of one unit of work."""

    def __init__(self, uow: MongoUnitOfWork) -> None:
        self.uow = uow
        self.collection = uow.db[TICKETS]
        self._loaded: dict[str, Loaded] = {}

    async def next_number(self, day: date) -> str:
        """T1: the day's next number, inside this transaction (rolled back with it)."""
        return await _increment(self.uow.db, day, self.uow.session)

    async def get(self, number: str) -> Ticket:
        doc = await self.collection.find_one(
            {"_id": number}, _NO_TIMELINE, session=self.uow.session)
        if doc is None:
            raise NotFound(f"ticket {number} does not exist")
        return self._track(doc)

    async def find_by_source(self, source_ref: str) -> str | None:
        doc = await self.collection.find_one(
            {"source_ref": source_ref}, {"_id": 1}, session=self.uow.session)
        return doc["_id"] if doc else None

    async def add(self, ticket: Ticket, **extra: Any) -> None:
        entries = [entry_doc(e) for e in ticket.timeline]
        doc = {"_id": ticket.number, **ticket_doc(ticket), **extra, "version": 1,
               "timeline": entries, "timeline_len": len(entries)}
        await self.collection.insert_one(doc, session=self.uow.session)

    async def save(self, ticket: Ticket) -> None:
        """Write the changes of a loaded ticket; refuse if someone else changed it meanwhile."""
        loaded = self._loaded[ticket.number]
        new_entries = [entry_doc(e) for e in ticket.timeline[loaded.pushed:]]
        result = await self.collection.update_one(
            {"_id": ticket.number, "version": loaded.version},
            {"$set": {**ticket_doc(ticket), "version": loaded.version + 1,
                      "timeline_len": loaded.stored + len(new_entries)},
             "$push": {"timeline": {"$each": new_entries}}},
            session=self.uow.session)
        if result.matched_count != 1:
            raise Conflict(f"ticket {ticket.number} changed meanwhile; try again")
        loaded.version += 1
        loaded.stored += len(new_entries)
        loaded.pushed += len(new_entries)

    async def claim_due(self, number: str, now: datetime) -> Ticket | None:
        """The ticket if its SLA check is (still) due at `now`, else None (another replica won)."""
        doc = await self.collection.find_one(
            {"_id": number, "next_sla_check_at": {"$lte": now}},
            _NO_TIMELINE, session=self.uow.session)
        return self._track(doc) if doc else None

    def _track(self, doc: dict[str, Any]) -> Ticket:
        ticket = ticket_from_doc(doc)
        self._loaded[ticket.number] = Loaded(ticket, doc.get("version", 1),
                                             doc.get("timeline_len", 0))
        ticket.timeline = ()
        return ticket


async def reserve_number(db: AsyncDatabase, day: date) -> str:
    """T1: take the day's next number before a transaction (atomic, unique across replicas).

    Every ticket opened over HTTP would otherwise write the same counter document in its
    transaction, and concurrent openings would conflict and retry in turn. A number reserved
    here is never given twice; it is lost (a gap) only if the opening then fails.
    """
    return await _increment(db, day, None)


async def _increment(db: AsyncDatabase, day: date, session: Any) -> str:
    counter = await db[COUNTERS].find_one_and_update(
        {"_id": f"tickets:{day:%Y%m%d}"}, {"$inc": {"seq": 1}}, upsert=True,
        return_document=ReturnDocument.AFTER, session=session)
    return ticket_number(day, counter["seq"])


class TicketQueries:
    """Reads outside a transaction: lists, timelines, a customer's tickets."""

    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db[TICKETS]

    async def get(self, number: str) -> Ticket:
        doc = await self.collection.find_one({"_id": number}, _NO_TIMELINE)
        if doc is None:
            raise NotFound(f"ticket {number} does not exist")
        return ticket_from_doc(doc)

    async def timeline(self, number: str) -> list[dict[str, Any]]:
        doc = await self.collection.find_one({"_id": number}, {"timeline": 1})
        if doc is None:
            raise NotFound(f"ticket {number} does not exist")
        return list(doc.get("timeline") or [])

    async def search(self, where: TicketFilter, page: int, limit: int) -> tuple[list[Ticket], int]:
        query = _query(where)
        total = await self.collection.count_documents(query)
        cursor = self.collection.find(query, _NO_TIMELINE, sort=[("created_at", -1)],
                                      skip=(page - 1) * limit, limit=limit)
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
        async for doc in self.collection.find(query, _NO_TIMELINE):
            if (ticket := _readable(doc)) is not None:
                tickets.append(ticket)
        return tickets

    async def due_numbers(self, now: datetime, limit: int) -> list[str]:
        cursor = self.collection.find({"next_sla_check_at": {"$lte": now}}, {"_id": 1},
                                      sort=[("next_sla_check_at", 1)], limit=limit)
        return [doc["_id"] async for doc in cursor]

    async def postpone_check(self, number: str, until: datetime) -> None:
        """Move a ticket whose check failed behind the others, to be tried again later."""
        await self.collection.update_one({"_id": number},
                                         {"$set": {"next_sla_check_at": until}})

    async def has_open_ticket(self, customer_id: str, assignee_id: str) -> bool:
        doc = await self.collection.find_one(
            {"customer_id": customer_id, "assignee_id": assignee_id, "state": OPEN_STATES},
            {"_id": 1})
        return doc is not None


def _readable(doc: dict[str, Any]) -> Ticket | None:
    try:
        return ticket_from_doc(doc)
    except (KeyError, TypeError, ValueError, DomainError) as exc:
        log.warning("report.ticket_unreadable", ticket=str(doc.get("_id")),
                    error=type(exc).__name__)
        return None


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
