"""The two places the contract tests run: the in-memory fakes and MongoDB.

`backend` is parametrised: `fake` builds the fakes of `tests/unit/tickets/fakes` over a fresh
`Store`; `mongo` builds the tickets service's Mongo repositories over a fresh database with the
service's indexes (on the session's SecantusDB). A test sees only the Protocols: a transaction
that yields a `TicketsUnitOfWork`, and read-side `TicketsRepositories`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ops_shared.persistence import INBOX, OUTBOX, Database, Transaction
from tickets.domain.ports import TicketsRepositories, TicketsUnitOfWork
from tickets.storage.unit_of_work import MongoTicketsRepositories, MongoTicketsUnitOfWork
from unit.tickets.fakes import FakeTicketsRepositories, FakeTransaction, Store

T = TypeVar("T")


@dataclass
class Backend:
    """Where the repositories under test store: `fake` or `mongo`."""

    name: str
    transaction: Transaction[TicketsUnitOfWork]
    reads: TicketsRepositories
    """Repositories outside any transaction (as `deps.reads`)."""
    another: Callable[[], TicketsRepositories]
    """A second, independent set of repositories on the same data (another request)."""
    published: Callable[[], Awaitable[list[str]]]
    """The event types committed to the outbox so far."""
    inbox: Callable[[], Awaitable[set[str]]]

    async def run(self, work: Callable[[TicketsUnitOfWork], Awaitable[T]]) -> T:
        return await self.transaction(work)


def fake_backend() -> Backend:
    store = Store()

    async def published() -> list[str]:
        return [envelope.type for envelope in store.outbox]

    async def inbox() -> set[str]:
        return set(store.inbox)

    return Backend("fake", FakeTransaction(store), FakeTicketsRepositories(store),
                   lambda: FakeTicketsRepositories(store), published, inbox)


def mongo_backend(database: Database) -> Backend:
    async def transaction(work: Callable[[TicketsUnitOfWork], Awaitable[Any]]) -> Any:
        return await database.transaction(lambda base: work(MongoTicketsUnitOfWork(base)))

    async def published() -> list[str]:
        rows = await database.db[OUTBOX].find({}, sort=[("created_at", 1)]).to_list()
        return [row["type"] for row in rows]

    async def inbox() -> set[str]:
        return {row["_id"] async for row in database.db[INBOX].find({})}

    return Backend("mongo", transaction, MongoTicketsRepositories(database.db),
                   lambda: MongoTicketsRepositories(database.db), published, inbox)
