"""The unit of work: one session and one transaction, with the outbox and the inbox in it.

`UnitOfWork` is the port every service's own unit of work extends with its repositories: a use
case or a handler sees only that Protocol. `MongoUnitOfWork` is the session it is built on: the
outbox (events to publish, written in the same transaction as the state that caused them) and
the inbox (event ids already applied, written in the same transaction as their effects).
`JoinedUnitOfWork` joins a service's repositories to that session. `Database.transaction` runs
work in one transaction, retrying it whole on transient errors.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

import structlog
from pymongo import AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import ConnectionFailure, DuplicateKeyError, OperationFailure

from ops_shared.contracts.envelope import Envelope, Event, new_envelope
from ops_shared.observability.tracing import outbox_trace_headers
from ops_shared.persistence.indexes import INBOX, OUTBOX
from ops_shared.persistence.transactions import (
    DEFAULT_RETRY_BUDGET_S,
    TransactionBusy,
    commit,
    current_budget,
    pause,
    transient,
)

log = structlog.get_logger(__name__)
T = TypeVar("T")
CLEANUP_WITHIN_S = 2.0
"""How long an abort or a session's end may take before it is left to the server."""


class UnitOfWork(Protocol):
    """What every unit of work offers, whatever stores it: publish events, record the inbox.

    A service's own Protocol adds its repositories (`uow.tickets`, `uow.rmas`, ...).
    """

    def publish(self, event: Event, **headers: str) -> Envelope:
        """Queue an event for the outbox; it is written when this transaction commits."""
        ...

    async def record_inbox(self, envelope: Envelope) -> None:
        """Mark an event as applied; raises AlreadyHandled if it was applied before."""
        ...


U_co = TypeVar("U_co", covariant=True)


class Transaction(Protocol[U_co]):
    """Runs `work` in one transaction with a service's unit of work, retried whole on transient
    conflicts (so `work` must not call out), and returns what `work` returned."""

    async def __call__(self, work: Callable[[U_co], Awaitable[T]], /) -> T: ...


class AlreadyHandled(Exception):
    """The inbox already holds this event id: its effects exist, do nothing."""


@dataclass
class MongoUnitOfWork:
    """The Mongo session a service's repositories join: the database, the session, `publish`."""

    db: AsyncDatabase
    session: AsyncClientSession
    producer: str
    correlation_id: str | None = None
    causation_id: str | None = None
    pending: list[dict[str, Any]] = field(default_factory=list)
    before_commit: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    """Run in order once `work` has returned, before the outbox rows and the commit: a
    repository that holds writes back to send them together writes them here."""

    def publish(self, event: Event, **headers: str) -> Envelope:
        """Queue an event to be written to the outbox when this transaction commits."""
        envelope = new_envelope(
            event, correlation_id=self.correlation_id, causation_id=self.causation_id
        )
        # The trace goes with the row: the relay publishes it as the message's `traceparent`.
        self.pending.append(outbox_row(envelope, routing_key=envelope.type,
                                       headers={**outbox_trace_headers(), **headers}))
        return envelope

    def publish_raw(self, row: dict[str, Any]) -> None:
        """Queue a prepared outbox row (dead-letter replay)."""
        self.pending.append(row)

    async def record_inbox(self, envelope: Envelope) -> None:
        """Mark an event as applied; raises AlreadyHandled if it was applied before."""
        try:
            await self.db[INBOX].insert_one(inbox_row(envelope), session=self.session)
        except DuplicateKeyError:
            raise AlreadyHandled(envelope.id) from None


class JoinedUnitOfWork:
    """A service's unit of work: its repositories joined to the session of one
    `MongoUnitOfWork` (`base`), with that one's `publish` and `record_inbox`.

    List it before the service's repositories class, whose `__init__(db, session)` it calls:
    `class MongoTicketsUnitOfWork(JoinedUnitOfWork, MongoTicketsRepositories)`.
    """

    def __init__(self, base: MongoUnitOfWork) -> None:
        super().__init__(base.db, base.session)  # the repositories class, next in line
        self.base = base

    def publish(self, event: Event, **headers: str) -> Envelope:
        return self.base.publish(event, **headers)

    async def record_inbox(self, envelope: Envelope) -> None:
        await self.base.record_inbox(envelope)


def inbox_row(envelope: Envelope) -> dict[str, Any]:
    """The inbox document that marks an event as applied."""
    return {"_id": envelope.id, "type": envelope.type, "handled_at": datetime.now(UTC)}


def outbox_row(
    envelope: Envelope, *, routing_key: str, exchange: str | None = None,
    headers: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An outbox document; `exchange=None` means the service's events exchange."""
    return {
        "_id": envelope.id,
        "status": "pending",
        "created_at": datetime.now(UTC),
        "exchange": exchange,
        "routing_key": routing_key,
        "type": envelope.type,
        "correlation_id": envelope.correlation_id,
        "headers": headers or {},
        "body": envelope.model_dump_json().encode(),
        "attempts": 0,
    }


class Database:
    """The service's database and the way to run a unit of work on it."""

    def __init__(self, client: AsyncMongoClient, name: str, producer: str, *,
                 retry_budget_s: float = DEFAULT_RETRY_BUDGET_S) -> None:
        self.client = client
        self.db = client[name]
        self.producer = producer
        self.retry_budget_s = retry_budget_s
        self._listeners: list[Callable[[], None]] = []

    def on_outbox_written(self, listener: Callable[[], None]) -> None:
        """Called after a commit that wrote outbox rows (wakes the relay)."""
        self._listeners.append(listener)

    async def transaction(
        self,
        work: Callable[[MongoUnitOfWork], Awaitable[T]],
        *,
        correlation_id: str | None = None,
        causation_id: str | None = None,
        budget_s: float | None = None,
    ) -> T:
        """Run `work` in one transaction, retrying it whole on transient errors.

        `work` must not publish or call out: it may run more than once. Events it publishes
        carry `correlation_id`, by default the one of the request or message being handled.
        Conflicts are retried for `budget_s` (by default the request's budget inside a request,
        else `retry_budget_s`); after that `TransactionBusy` is raised, nothing committed.
        """
        correlation_id = correlation_id or structlog.contextvars.get_contextvars().get(
            "correlation_id")
        budget = budget_s or current_budget(self.retry_budget_s)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + budget
        attempt = 0
        while True:
            attempt += 1
            try:
                result, wrote = await self._attempt(work, correlation_id, causation_id)
            except (ConnectionFailure, OperationFailure) as exc:
                if not transient(exc):
                    raise
                wait = pause(attempt)
                if loop.time() + wait >= deadline:
                    log.warning("transaction.busy", attempts=attempt, budget_s=budget,
                                error=str(exc)[:200])
                    raise TransactionBusy(budget, attempt, exc) from exc
                log.debug("transaction.retry", attempt=attempt, error=str(exc)[:200])
                await asyncio.sleep(wait)
                continue
            if wrote:
                for listener in self._listeners:
                    listener()
            return result

    async def _attempt(self, work, correlation_id, causation_id) -> tuple[Any, bool]:
        session = self.client.start_session()
        try:
            await session.start_transaction()
            try:
                uow = MongoUnitOfWork(self.db, session, self.producer, correlation_id, causation_id)
                result = await work(uow)
                for flush in uow.before_commit:
                    await flush()
                if uow.pending:
                    await self.db[OUTBOX].insert_many(uow.pending, session=session)
            except BaseException:
                await _bounded("transaction.abort_failed", session.abort_transaction)
                raise
            await commit(session)
            return result, bool(uow.pending)
        finally:
            await _bounded("session.end_failed", session.end_session)


async def _bounded(event: str, step: Callable[[], Awaitable[Any]]) -> None:
    """Clean-up that must neither replace the error (or cancellation) being raised nor hold it
    up: a database that is gone would keep an abort in server selection for its whole timeout,
    and its error would swallow a task's cancellation (a stopping scheduler's loop, which
    catches errors, would then never stop). The server ends an abandoned transaction itself
    when its lifetime runs out."""
    try:
        async with asyncio.timeout(CLEANUP_WITHIN_S):
            await step()
    except Exception as exc:  # TimeoutError included
        log.warning(event, error=str(exc)[:200] or type(exc).__name__)


