"""Dead letters: kept from `<service>.dead` in the service's database for operators.

The keeper consumes the dead-letter queue and stores each message with its error, attempts and
original routing key. Operators list, inspect, replay (through the outbox, back to
`<service>.events`) or discard them, by the admin API or the CLI (`ops-deadletters`).
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

import structlog
from aio_pika.abc import AbstractIncomingMessage
from pymongo import IndexModel

from ops_shared.contracts import Envelope
from ops_shared.messaging.bus import Bus, Subscription
from ops_shared.messaging.consumer import original_routing_key
from ops_shared.persistence import Database, Indexes, MongoUnitOfWork

log = structlog.get_logger(__name__)
DEAD_LETTERS = "dead_letters"
DEAD_LETTER_INDEXES = Indexes(DEAD_LETTERS, (
    IndexModel([("status", 1), ("failed_at", -1)], name="status_failed_at"),
))
Status = Literal["dead", "replayed", "discarded"]
MAX_STORED_BODY = 4 * 1024 * 1024
"""A dead body is stored up to this size (a document holds 16 MiB at most); the rest is cut."""


class DeadLetterNotFound(Exception):
    pass


class DeadLetterStateError(Exception):
    def __init__(self, status: str) -> None:
        super().__init__(f"dead letter is {status}; only 'dead' ones can be replayed or discarded")
        self.status = status


def describe_dead_message(message: AbstractIncomingMessage | Any) -> dict[str, Any]:
    """What an operator needs to know about a dead message."""
    headers = dict(message.headers or {})
    deaths = headers.get("x-death") or []
    error = headers.get("x-error")
    if error is None and deaths:
        error = f"dead-lettered by the broker: {deaths[0].get('reason')}"
    # The broker's own x-death time, not "now": the id derives from it, and a redelivered copy
    # of the same dead message must get the same id (stored once).
    failed_at = _moment(headers.get("x-failed-at") or (deaths[0].get("time") if deaths else None))
    attempts = headers.get("x-attempts")
    if attempts is None and deaths:
        attempts = deaths[0].get("count", 1)
    # Without a failure time (a message someone put there by hand) the body identifies it.
    when = failed_at.isoformat() if failed_at else hashlib.sha256(message.body).hexdigest()
    key = f"{message.message_id}|{when}|{len(deaths)}"
    return {
        "_id": hashlib.sha256(key.encode()).hexdigest()[:32],
        "message_id": message.message_id,
        "type": message.type,
        "routing_key": original_routing_key(message),
        "error": str(error or "unknown")[:2000],
        "error_type": headers.get("x-error-type"),
        "trace": headers.get("x-error-trace"),
        "permanent": bool(headers.get("x-permanent", False)),
        "attempts": _count(attempts),
        "failed_at": failed_at or datetime.now(UTC),
        "stored_at": datetime.now(UTC),
        "body": bytes(message.body[:MAX_STORED_BODY]),
        "body_size": len(message.body),
        "body_truncated": len(message.body) > MAX_STORED_BODY,
        "status": "dead",
    }


def _moment(value: Any) -> datetime | None:
    """A header time as an aware datetime; None when absent or unreadable."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    return parsed.replace(tzinfo=parsed.tzinfo or UTC) if parsed else None


def _count(value: Any) -> int:
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


class DeadLetterKeeper:
    """Moves messages from `<service>.dead` into the database, once each, acking after insert."""

    def __init__(self, bus: Bus, database: Database) -> None:
        self.bus = bus
        self.collection = database.db[DEAD_LETTERS]
        self._subscription = Subscription(bus, bus.settings.queue("dead"), self._on_message,
                                          prefetch=16)

    async def start(self) -> None:
        await self._subscription.start()

    async def stop(self) -> None:
        await self._subscription.stop()

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        try:
            doc = describe_dead_message(message)
            await self.collection.update_one({"_id": doc["_id"]}, {"$setOnInsert": doc},
                                             upsert=True)
        except Exception:
            log.exception("deadletter.store_failed", event_id=message.message_id)
            await message.nack(requeue=True)
            return
        log.error("deadletter.stored", event_id=message.message_id, event_type=message.type,
                  error=doc["error"][:300], attempts=doc["attempts"])
        await message.ack()


class DeadLetterStore:
    """Operator actions on stored dead letters."""

    def __init__(self, database: Database, events_queue: str) -> None:
        self.database = database
        self.collection = database.db[DEAD_LETTERS]
        self.events_queue = events_queue

    async def list(self, status: Status | None = "dead", limit: int = 100) -> list[dict]:
        query = {} if status is None else {"status": status}
        cursor = self.collection.find(query, {"body": 0, "trace": 0},
                                      sort=[("failed_at", -1)], limit=limit)
        return await cursor.to_list()

    async def get(self, dead_id: str) -> dict:
        doc = await self.collection.find_one({"_id": dead_id})
        if doc is None:
            raise DeadLetterNotFound(dead_id)
        return doc

    async def replay(self, dead_id: str, actor: str) -> dict:
        """Send the message back to this service's queue, through the outbox."""
        async def work(uow: MongoUnitOfWork) -> dict:
            doc = await self._take(uow, dead_id, "replayed", actor)
            uow.publish_raw({
                "_id": f"replay-{uuid.uuid4().hex}",
                "status": "pending",
                "created_at": datetime.now(UTC),
                "exchange": "",
                "routing_key": self.events_queue,
                "type": doc.get("type") or "",
                "correlation_id": None,
                # The copy goes straight to the queue: keep the key it was first routed by.
                "headers": {"x-replayed-from": dead_id, "x-replayed-by": actor,
                            "x-original-routing-key": doc.get("routing_key") or ""},
                "body": doc["body"],
                "attempts": 0,
                "message_id": doc.get("message_id"),
            })
            return doc
        doc = await self.database.transaction(work)
        log.info("deadletter.replayed", dead_letter=dead_id, event_id=doc.get("message_id"))
        return doc

    async def discard(self, dead_id: str, actor: str) -> dict:
        doc = await self.database.transaction(
            lambda uow: self._take(uow, dead_id, "discarded", actor))
        log.info("deadletter.discarded", dead_letter=dead_id, event_id=doc.get("message_id"))
        return doc

    async def _take(self, uow: MongoUnitOfWork, dead_id: str, status: str, actor: str) -> dict:
        doc = await uow.db[DEAD_LETTERS].find_one_and_update(
            {"_id": dead_id, "status": "dead"},
            {"$set": {"status": status, f"{status}_at": datetime.now(UTC),
                      f"{status}_by": actor}},
            session=uow.session,
        )
        if doc is None:
            current = await uow.db[DEAD_LETTERS].find_one({"_id": dead_id}, session=uow.session)
            if current is None:
                raise DeadLetterNotFound(dead_id)
            raise DeadLetterStateError(current["status"])
        return doc


def envelope_preview(body: bytes) -> dict[str, Any] | str:
    """The body as JSON when it is an envelope, else its first characters."""
    try:
        return Envelope.model_validate_json(body).model_dump(mode="json")
    except Exception:
        return body[:2000].decode("utf-8", errors="replace")
