"""Fakes of the ticket core: `TicketRepository`, `TicketNumbers` (T1), `TicketQueries`."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tickets.domain.errors import Conflict, NotFound
from tickets.domain.model import Kind, Period, ticket_number
from tickets.domain.ports import TicketFilter
from tickets.domain.states import TERMINAL
from tickets.domain.ticket import Ticket, TimelineEntry

from .store import Doc, Store, StoredTicket


def entry_doc(entry: TimelineEntry) -> Doc:
    """A timeline line as `TicketQueries.timeline` returns it (T8)."""
    return {"at": entry.at, "actor_id": entry.actor_id, "action": entry.action,
            "details": dict(entry.details)}


def next_sla_check(ticket: Ticket) -> datetime | None:
    """When the SLA sweep must next look at the ticket (the contract tests pin it to Mongo's)."""
    if ticket.state in TERMINAL:
        return None
    moments = [moment for target in ticket.sla
               if target.is_open and target.breached_at is None
               for moment in ([target.warn_at] if target.warned_at is None
                              and target.warn_at < target.due_at else []) + [target.due_at]]
    return min(moments, default=None)


def _bare(ticket: Ticket) -> Ticket:
    """A private copy without the timeline (the repository keeps the timeline apart)."""
    stored = copy.deepcopy(ticket)
    stored.timeline = ()
    return stored


@dataclass
class _Loaded:
    version: int
    pushed: int = 0


class FakeTicketRepository:
    """Implements `TicketRepository` on a `Store`; one instance tracks what it loaded."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._loaded: dict[str, _Loaded] = {}

    async def get(self, number: str) -> Ticket:
        stored = self.store.tickets.get(number)
        if stored is None:
            raise NotFound(f"ticket {number} does not exist")
        return self._track(stored)

    async def add(self, ticket: Ticket, **extra: str) -> None:
        source = extra.get("source_ref")
        if ticket.number in self.store.tickets or (
                source is not None and self._number_of(source) is not None):
            raise Conflict(f"ticket {ticket.number} or its source already exists")
        self.store.tickets[ticket.number] = StoredTicket(
            _bare(ticket), [entry_doc(e) for e in ticket.timeline], 1, dict(extra),
            next_sla_check(ticket))

    async def save(self, ticket: Ticket) -> None:
        loaded = self._loaded[ticket.number]
        stored = self.store.tickets.get(ticket.number)
        if stored is None or stored.version != loaded.version:
            raise Conflict(f"ticket {ticket.number} changed meanwhile; try again")
        new_entries = [entry_doc(e) for e in ticket.timeline[loaded.pushed:]]
        stored.ticket, stored.next_check = _bare(ticket), next_sla_check(ticket)
        stored.timeline.extend(new_entries)
        stored.version += 1
        loaded.version += 1
        loaded.pushed += len(new_entries)

    async def find_by_source(self, source_ref: str) -> str | None:
        return self._number_of(source_ref)

    async def claim_due(self, number: str, now: datetime) -> Ticket | None:
        stored = self.store.tickets.get(number)
        if stored is None or stored.next_check is None or stored.next_check > now:
            return None
        return self._track(stored)

    async def postpone_check(self, number: str, until: datetime) -> None:
        if (stored := self.store.tickets.get(number)) is not None:
            stored.next_check = until

    def _track(self, stored: StoredTicket) -> Ticket:
        self._loaded[stored.ticket.number] = _Loaded(stored.version)
        return copy.deepcopy(stored.ticket)

    def _number_of(self, source_ref: str) -> str | None:
        return next((number for number, stored in self.store.tickets.items()
                     if stored.extra.get("source_ref") == source_ref), None)


class FakeTicketNumbers:
    """Implements `TicketNumbers` (T1): a per-day counter, the numbers given back by failed
    openings (taken again lowest first) and the numbers reserved for external tasks."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def next(self, day: date) -> str:
        released = self.store.released_numbers
        for number in sorted(n for n, d in released.items() if d == f"{day:%Y%m%d}"):
            del released[number]
            if number not in self.store.tickets:  # a ticket that exists after all keeps it
                return number
        key = f"tickets:{day:%Y%m%d}"
        self.store.counters[key] = self.store.counters.get(key, 0) + 1
        return ticket_number(day, self.store.counters[key])

    async def reserve(self, day: date, key: str) -> str:
        if key not in self.store.reserved_numbers:
            self.store.reserved_numbers[key] = await self.next(day)
        return self.store.reserved_numbers[key]

    async def release(self, day: date, number: str) -> None:
        self.store.released_numbers.setdefault(number, f"{day:%Y%m%d}")


class FakeTicketQueries:
    """Implements `TicketQueries` on a `Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(self, number: str) -> Ticket:
        return copy.deepcopy(self._stored(number).ticket)

    async def timeline(self, number: str) -> list[Doc]:
        return copy.deepcopy(self._stored(number).timeline)

    async def search(self, where: TicketFilter, page: int,
                     limit: int) -> tuple[list[Ticket], int]:
        found = [s.ticket for s in self.store.tickets.values() if _matches(s.ticket, where)]
        found.sort(key=lambda t: t.created_at, reverse=True)
        start = (page - 1) * limit
        return copy.deepcopy(found[start:start + limit]), len(found)

    async def opened_between(self, period: Period, kind: Kind | None = None) -> list[Ticket]:
        return [copy.deepcopy(s.ticket) for s in self.store.tickets.values()
                if period.start <= s.ticket.created_at < period.end
                and (kind is None or s.ticket.kind == Kind(kind))]

    async def due_numbers(self, now: datetime, limit: int) -> list[str]:
        due = [(s.next_check, number) for number, s in self.store.tickets.items()
               if s.next_check is not None and s.next_check <= now]
        return [number for _, number in sorted(due)[:limit]]

    async def has_open_ticket(self, customer_id: str, assignee_id: str) -> bool:
        return any(s.ticket.customer_id == customer_id and s.ticket.assignee_id == assignee_id
                   and s.ticket.state not in TERMINAL for s in self.store.tickets.values())

    def _stored(self, number: str) -> StoredTicket:
        stored = self.store.tickets.get(number)
        if stored is None:
            raise NotFound(f"ticket {number} does not exist")
        return stored


def _matches(ticket: Ticket, where: TicketFilter) -> bool:
    wanted: dict[str, Any] = {"state": where.state, "kind": where.kind,
                              "customer_id": where.customer_id}
    if where.unassigned:
        if ticket.assignee_id is not None:
            return False
    elif where.assignee_id is not None:
        wanted["assignee_id"] = where.assignee_id
    return all(value is None or str(getattr(ticket, name)) == str(value)
               for name, value in wanted.items())
