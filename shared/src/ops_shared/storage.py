"""MongoDB access: client factory, declared indexes and the unit of work.

A unit of work is one session and one transaction. It carries the outbox (events to publish,
written in the same transaction as the state that caused them) and the inbox (event ids already
applied, written in the same transaction as their effects).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import structlog
from pymongo import AsyncMongoClient, IndexModel
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import ConnectionFailure, DuplicateKeyError, OperationFailure

from ops_shared.events import Envelope, Event, new_envelope

log = structlog.get_logger(__name__)
T = TypeVar("T")

OUTBOX = "outbox"
OUTBOX_LEASE = "outbox_lease"
INBOX = "inbox"
MAX_TRANSACTION_ATTEMPTS = 12


def make_client(url: str, *, app_name: str) -> AsyncMongoClient:
    """One client per process and event loop, made in the app's lifespan."""
    return AsyncMongoClient(
        url, appname=app_name, tz_aware=True, serverSelectionTimeoutMS=10_000, retryWrites=True
    )


@dataclass(frozen=True)
class Indexes:
    """Indexes a collection needs, declared in code and applied at start."""

    collection: str
    models: tuple[IndexModel, ...]


FOUNDATION_INDEXES = (
    Indexes(OUTBOX, (
        IndexModel([("status", 1), ("created_at", 1)], name="pending"),
    )),
    Indexes(INBOX, (IndexModel([("handled_at", 1)], name="handled_at"),)),
)


async def apply_indexes(db: AsyncDatabase, declared: Iterable[Indexes]) -> None:
    for spec in declared:
        if spec.models:
            await db[spec.collection].create_indexes(list(spec.models))


class AlreadyHandled(Exception):
    """The inbox already holds this event id: its effects exist, do nothing."""


@dataclass
class UnitOfWork:
    """What a use case or a handler sees: the database, the session, and `publish`."""

    db: AsyncDatabase
    session: AsyncClientSession
    producer: str
    correlation_id: str | None = None
    causation_id: str | None = None
    pending: list[dict[str, Any]] = field(default_factory=list)

    def publish(self, event: Event, **headers: str) -> Envelope:
        """Queue an event to be written to the outbox when this transaction commits."""
        envelope = new_envelope(
            event, correlation_id=self.correlation_id, causation_id=self.causation_id
        )
        self.pending.append(outbox_row(envelope, routing_key=envelope.type, headers=headers))
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

    def __init__(self, client: AsyncMongoClient, name: str, producer: str) -> None:
        self.client = client
        self.db = client[name]
        self.producer = producer
        self._listeners: list[Callable[[], None]] = []

    def on_outbox_written(self, listener: Callable[[], None]) -> None:
        """Called after a commit that wrote outbox rows (wakes the relay)."""
        self._listeners.append(listener)

    async def transaction(
        self,
        work: Callable[[UnitOfWork], Awaitable[T]],
        *,
        correlation_id: str | None = None,
        causation_id: str | None = None,
    ) -> T:
        """Run `work` in one transaction, retrying it whole on transient errors.

        `work` must not publish or call out: it may run more than once. Events it publishes
        carry `correlation_id`, by default the one of the request or message being handled.
        """
        correlation_id = correlation_id or structlog.contextvars.get_contextvars().get(
            "correlation_id")
        for attempt in range(1, MAX_TRANSACTION_ATTEMPTS + 1):
            try:
                result, wrote = await self._attempt(work, correlation_id, causation_id)
            except (ConnectionFailure, OperationFailure) as exc:
                if not _transient(exc) or attempt == MAX_TRANSACTION_ATTEMPTS:
                    raise
                log.debug("transaction.retry", attempt=attempt, error=str(exc)[:200])
                # Full jitter keeps colliding transactions from colliding again in step.
                await asyncio.sleep(random.uniform(0, min(0.002 * 2**attempt, 0.25)))
                continue
            if wrote:
                for listener in self._listeners:
                    listener()
            return result
        raise AssertionError("unreachable")

    async def _attempt(self, work, correlation_id, causation_id) -> tuple[Any, bool]:
        async with self.client.start_session() as session:
            await session.start_transaction()
            try:
                uow = UnitOfWork(self.db, session, self.producer, correlation_id, causation_id)
                result = await work(uow)
                if uow.pending:
                    await self.db[OUTBOX].insert_many(uow.pending, session=session)
            except BaseException:
                if session.in_transaction:
                    await session.abort_transaction()
                raise
            await _commit(session)
            return result, bool(uow.pending)


async def _commit(session: AsyncClientSession) -> None:
    """Commit; an unknown commit result is retried as a commit, never by re-running the work
    (the first commit may have succeeded: re-running would apply the change twice)."""
    for attempt in range(1, MAX_TRANSACTION_ATTEMPTS + 1):
        try:
            await session.commit_transaction()
            return
        except (ConnectionFailure, OperationFailure) as exc:
            if not _labelled(exc, "UnknownTransactionCommitResult") or \
                    attempt == MAX_TRANSACTION_ATTEMPTS:
                raise
            log.warning("transaction.commit_retry", attempt=attempt, error=str(exc)[:200])
            await asyncio.sleep(min(0.05 * attempt, 0.5))


def _transient(exc: Exception) -> bool:
    """The whole transaction may be run again: nothing of it was committed."""
    return _labelled(exc, "TransientTransactionError")


def _labelled(exc: Exception, label: str) -> bool:
    has_label = getattr(exc, "has_error_label", None)
    return bool(has_label and has_label(label))
