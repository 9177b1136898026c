"""The outbox relay: publishes committed events with confirms, once each.

Safe with several replicas: every replica runs a relay, but only the holder of the relay lease
(one document in `outbox_lease`, renewed before each batch) publishes; the others stand by and
take over when a holder stops renewing. Each row is then written once more, when it is marked
published. If a holder dies mid-batch, or stalls past its lease, its successor may publish some
rows again (the one case of a second publication; consumers' inboxes make it harmless).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import UTC, datetime, timedelta

import structlog
from opentelemetry.trace import SpanKind, Status, StatusCode
from pymongo.errors import DuplicateKeyError

from ops_shared.messaging.bus import Bus, PublishFailed
from ops_shared.observability import Metrics, extract, inject, tracer
from ops_shared.persistence import OUTBOX, OUTBOX_LEASE, Database

log = structlog.get_logger(__name__)
MAX_BACKOFF_S = 30.0
PURGE_EVERY_S = 600.0
MAX_REFUSALS = 20


class OutboxRelay:
    """Moves pending outbox rows to the broker; backs off while the broker is down."""

    def __init__(self, database: Database, bus: Bus, metrics: Metrics | None = None) -> None:
        self.database = database
        self.bus = bus
        self.metrics = metrics or Metrics()
        self.settings = bus.settings
        self.collection = database.db[OUTBOX]
        self.leases = database.db[OUTBOX_LEASE]
        self.relay_id = uuid.uuid4().hex
        self._held_until: datetime | None = None
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False
        database.on_outbox_written(self._wake.set)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="outbox-relay")

    async def stop(self) -> None:
        """Finish the batch in flight, then release the lease (a standby takes over at once)."""
        self._stopping = True
        self._stop.set()
        self._wake.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        with contextlib.suppress(Exception):  # the database may be gone: the lease expires
            await self.release_lease()

    async def run(self) -> None:
        backoff = 0.0
        last_purge = 0.0
        loop = asyncio.get_running_loop()
        while not self._stopping:
            try:
                published = await self.relay_once()
                backoff = 0.0
                if loop.time() - last_purge > PURGE_EVERY_S:
                    last_purge = loop.time()
                    await self.purge()
            except Exception as exc:  # broker or database down: wait and try again
                backoff = min(max(backoff * 2, 0.5), MAX_BACKOFF_S)
                log.warning("outbox.relay_failed", error=str(exc)[:300], retry_in_s=backoff)
                published = 0
                with contextlib.suppress(TimeoutError):  # a stop cuts the back-off short
                    await asyncio.wait_for(self._stop.wait(), timeout=backoff)
            if published == 0 and not self._stopping:
                await self._idle()

    async def _idle(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=self.settings.relay_poll_s)
        self._wake.clear()

    async def relay_once(self) -> int:
        """Publish one batch if this relay holds the lease. Returns how many were confirmed."""
        if not await self.hold_lease():
            return 0
        rows = await self.collection.find(
            {"status": "pending"}, sort=[("created_at", 1)], limit=self.settings.relay_batch,
        ).to_list()
        if not rows:
            return 0
        results = await asyncio.gather(*(self._publish(row) for row in rows))
        done = [row["_id"] for row, ok in zip(rows, results, strict=True) if ok]
        failed = [row["_id"] for row, ok in zip(rows, results, strict=True) if not ok]
        if done:
            await self.collection.update_many(
                {"_id": {"$in": done}},
                {"$set": {"status": "published", "published_at": datetime.now(UTC)}},
            )
            self.metrics.outbox_published.inc(len(done))
        if failed and not done:  # the broker is away: back off, the rows wait
            raise PublishFailed(f"none of {len(rows)} events confirmed")
        if failed:
            await self._count_refusals(failed)
        log.debug("outbox.published", count=len(done))
        return len(done)

    async def _count_refusals(self, ids: list[str]) -> None:
        """Rows refused while others went through are the rows' own fault (e.g. a replay to a
        queue that is gone): after MAX_REFUSALS they stop blocking the head of the outbox."""
        await self.collection.update_many({"_id": {"$in": ids}}, {"$inc": {"attempts": 1}})
        result = await self.collection.update_many(
            {"_id": {"$in": ids}, "attempts": {"$gte": MAX_REFUSALS}},
            {"$set": {"status": "failed", "failed_at": datetime.now(UTC)}})
        if result.modified_count:
            log.error("outbox.rows_failed", count=result.modified_count,
                      hint="see the outbox rows with status 'failed'")

    async def hold_lease(self) -> bool:
        """Take or renew the relay lease; False while another live relay holds it."""
        now = datetime.now(UTC)
        lease = timedelta(seconds=self.settings.relay_lease_s)
        if self._held_until is not None and self._held_until - now > lease / 2:
            return True  # renewed recently: no write on every poll
        try:
            await self.leases.update_one(
                {"_id": "relay", "$or": [{"holder": self.relay_id}, {"until": {"$lt": now}}]},
                {"$set": {"holder": self.relay_id, "until": now + lease}},
                upsert=True,
            )
        except DuplicateKeyError:  # the upsert lost: a live lease of another relay exists
            self._held_until = None
            return False
        self._held_until = now + lease
        return True

    async def release_lease(self) -> None:
        """Let a standby relay take over at once (clean shutdown)."""
        self._held_until = None
        await self.leases.delete_one({"_id": "relay", "holder": self.relay_id})

    async def _publish(self, row: dict) -> bool:
        # A replayed dead letter has its own row id but keeps its event's message id, so that
        # logs and a second dead letter still name the original event.
        message_id = row.get("message_id") or row["_id"]
        headers = dict(row.get("headers") or {})
        # The trace the row was written in continues here; the message carries this span.
        with tracer().start_as_current_span(
                f"{row['type']} publish", context=extract(headers), kind=SpanKind.PRODUCER,
                attributes={"messaging.system": "rabbitmq", "messaging.message.id": message_id,
                            "messaging.destination.name": row["routing_key"]}) as span:
            inject(headers)
            try:
                await self.bus.publish(
                    row["body"], routing_key=row["routing_key"], exchange=row.get("exchange"),
                    message_id=message_id, type_=row["type"], headers=headers,
                    correlation_id=row.get("correlation_id"),
                )
            except PublishFailed as exc:
                span.set_status(Status(StatusCode.ERROR, "not confirmed"))
                log.warning("outbox.publish_unconfirmed", event_id=row["_id"],
                            error=str(exc)[:300])
                return False
        return True

    async def purge(self) -> int:
        """Delete published rows older than the retention period."""
        cutoff = datetime.now(UTC) - timedelta(hours=self.settings.outbox_retention_h)
        result = await self.collection.delete_many(
            # By creation time, through the `pending` index (status, created_at): one index less
            # to maintain on every publish; a row is published moments after it is created.
            {"status": "published", "created_at": {"$lt": cutoff}}
        )
        if result.deleted_count:
            log.info("outbox.purged", count=result.deleted_count)
        return result.deleted_count

    async def pending_count(self) -> int:
        return await self.collection.count_documents({"status": "pending"})

    async def measure(self) -> None:
        """Set `outbox_pending` and `outbox_oldest_age_seconds` (at each scrape)."""
        pending = await self.pending_count()
        oldest = await self.collection.find_one(
            {"status": "pending"}, {"created_at": 1}, sort=[("created_at", 1)])
        age = 0.0
        if oldest is not None:
            created = oldest["created_at"]
            if created.tzinfo is None:  # a client without tz_aware reads naive UTC
                created = created.replace(tzinfo=UTC)
            age = max(0.0, (datetime.now(UTC) - created).total_seconds())
        self.metrics.outbox_pending.set(pending)
        self.metrics.outbox_oldest_age.set(age)
