"""Consuming events: parse, apply once (inbox), ack after commit, retry, dead-letter.

A message that can never succeed (a body over `max_message_bytes`, which is not even parsed; not
JSON, not an envelope, unknown type or version, data that fails validation) goes straight to
`<service>.dead` with its error. A handler that raises or overruns `handler_timeout_s` is
retried through the retry queues with growing delays; after the last one the message goes to
`<service>.dead` with the error. A transaction that stayed blocked by write conflicts for its
whole budget (`TransactionBusy`: a document held by another, possibly orphaned, transaction) is
not the event's fault: it waits in the first retry queue and comes back, without counting as an
attempt. The original is acked only after its successor (retry or dead letter) was confirmed by
the broker, so nothing is lost between the two.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import structlog
from aio_pika.abc import AbstractIncomingMessage
from opentelemetry.trace import SpanKind

from ops_shared.contracts import Envelope, Event, EventRegistry, InvalidEvent, UnknownEvent
from ops_shared.messaging.applier import EventApplier
from ops_shared.messaging.bus import Bus, Subscription, retry_queue
from ops_shared.messaging.subscriptions import Apply
from ops_shared.observability import OTHER, Metrics, extract, tracer
from ops_shared.persistence import Database, TransactionBusy

log = structlog.get_logger(__name__)
ATTEMPT_HEADER = "x-attempt"
BUSY_HEADER = "x-busy-rounds"
PARSE_IN_THREAD_BYTES = 64 * 1024
"""Bodies at least this big are parsed off the event loop (heartbeats keep flowing)."""


class MessageTooLarge(Exception):
    """The message body is over `max_message_bytes`: refused unread."""


class Consumer:
    """Consumes `<service>.events` with a prefetch; one dedicated robust channel."""

    def __init__(
        self, bus: Bus, database: Database, registry: EventRegistry,
        subscriptions: Mapping[str, Apply], metrics: Metrics | None = None,
    ) -> None:
        self.bus = bus
        self.database = database
        self.registry = registry
        self.subscriptions = dict(subscriptions)
        self.settings = bus.settings
        self.metrics = metrics or Metrics()
        self.applier = EventApplier(database, self.settings.consume_batch,
                                    handler_timeout_s=self.settings.handler_timeout_s,
                                    metrics=self.metrics)
        self._subscription = Subscription(bus, self.settings.queue("events"), self._on_message,
                                          self.settings.prefetch)
        self._in_flight: set[asyncio.Task] = set()
        self.drained: tuple[int, int] = (0, 0)
        """(finished, abandoned) deliveries of the last stop."""

    async def start(self) -> None:
        await self._subscription.start()

    async def stop(self, drain_timeout_s: float = 0.0) -> None:
        """Cancel the consumer (basic.cancel: nothing new arrives), let the deliveries in
        flight finish and be acked for `drain_timeout_s`, then abandon the rest: unacked,
        they go back to the queue when the channel closes, for another replica."""
        await self._subscription.stop()
        for _ in range(3):  # deliveries read before the cancel-ok start their tasks
            await asyncio.sleep(0)
        if self._in_flight and drain_timeout_s > 0:
            waiting = len(self._in_flight)
            _done, left = await asyncio.wait(set(self._in_flight), timeout=drain_timeout_s)
            self.drained = (waiting - len(left), len(left))
            log.info("consumer.drained", finished=waiting - len(left), abandoned=len(left))
        await self.applier.stop()

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        structlog.contextvars.bind_contextvars(
            event_id=message.message_id, event_type=message.type,
            correlation_id=message.correlation_id,
        )
        try:
            with tracer().start_as_current_span(
                    f"{message.type} process", context=extract(message.headers),
                    kind=SpanKind.CONSUMER,
                    attributes={"messaging.system": "rabbitmq",
                                "messaging.message.id": message.message_id or "",
                                "messaging.destination.name": self._subscription.queue_name}):
                await self._handle(message)
        except Exception:  # never let one message kill the consumer; the broker redelivers
            log.exception("consumer.unexpected_error")
            await _nack(message)
        finally:
            structlog.contextvars.unbind_contextvars("event_id", "event_type", "correlation_id")
            self._in_flight.discard(task)  # type: ignore[arg-type]

    def _type(self, message: AbstractIncomingMessage) -> str:
        """The event type as a metric label: only the types this service handles."""
        return message.type if message.type in self.subscriptions else OTHER

    def _count(self, message: AbstractIncomingMessage, outcome: str) -> None:
        self.metrics.events_consumed.labels(self._type(message), outcome).inc()

    async def _handle(self, message: AbstractIncomingMessage) -> None:
        if message.redelivered:
            self.metrics.redeliveries.labels(self._type(message)).inc()
        try:
            envelope, event = await self._parse(message.body)
            handler = self.subscriptions.get(envelope.type)
            if handler is None:
                raise UnknownEvent(f"service {self.settings.service_name} has no handler for "
                                   f"{envelope.type}")
        except (InvalidEvent, UnknownEvent, MessageTooLarge) as exc:
            log.warning("event.rejected", error=str(exc))
            await self._dead_letter(message, exc, permanent=True)
            return
        try:
            applied = await self.applier.apply(handler, event, envelope)
        except TransactionBusy as exc:
            await self._wait_while_busy(message, exc)
            return
        except Exception as exc:
            await self._retry_or_dead_letter(message, exc)
            return
        log.info("event.handled" if applied else "event.duplicate_ignored")
        await message.ack()
        if applied:
            self._count(message, "applied")
            self.metrics.event_latency.labels(self._type(message)).observe(
                max(0.0, (datetime.now(UTC) - envelope.occurred_at).total_seconds()))
        else:
            self._count(message, "duplicate")
            self.metrics.inbox_duplicates.labels(self._type(message)).inc()

    async def _parse(self, body: bytes) -> tuple[Envelope, Event]:
        limit = self.settings.max_message_bytes
        if len(body) > limit:
            raise MessageTooLarge(f"message body of {len(body)} bytes is over the limit of "
                                  f"{limit} bytes (MAX_MESSAGE_BYTES); not parsed")
        if len(body) >= PARSE_IN_THREAD_BYTES:
            return await asyncio.to_thread(self.registry.parse, body)
        return self.registry.parse(body)

    async def _wait_while_busy(self, message: AbstractIncomingMessage,
                               exc: TransactionBusy) -> None:
        """Conflicts outlasted the budget: try again after the first delay; not an attempt."""
        delays = self.settings.retry_delays_ms
        rounds = int((message.headers or {}).get(BUSY_HEADER, 0)) + 1
        log.warning("event.busy_retry_scheduled", rounds=rounds, error=str(exc)[:300])
        self._count(message, "retried")
        if not delays:
            await _nack(message)
            return
        headers = {**(message.headers or {}), BUSY_HEADER: rounds,
                   "x-last-error": _describe(exc),
                   "x-original-routing-key": original_routing_key(message)}
        await self._forward(message, retry_queue(self.settings, delays[0]), headers)

    async def _retry_or_dead_letter(self, message: AbstractIncomingMessage, exc: Exception) -> None:
        attempt = int((message.headers or {}).get(ATTEMPT_HEADER, 0)) + 1
        delays = self.settings.retry_delays_ms
        if attempt > len(delays):
            log.error("event.failed_permanently", attempts=attempt, error=str(exc)[:500])
            await self._dead_letter(message, exc, permanent=False, attempts=attempt)
            return
        log.warning("event.retry_scheduled", attempt=attempt, delay_ms=delays[attempt - 1],
                    error=str(exc)[:500])
        self._count(message, "retried")
        headers = {**(message.headers or {}), ATTEMPT_HEADER: attempt,
                   "x-last-error": _describe(exc),
                   "x-original-routing-key": original_routing_key(message)}
        await self._forward(message, retry_queue(self.settings, delays[attempt - 1]), headers)

    async def _dead_letter(
        self, message: AbstractIncomingMessage, exc: Exception, *, permanent: bool,
        attempts: int = 1,
    ) -> None:
        headers = {
            **(message.headers or {}),
            "x-error": _describe(exc),
            "x-error-type": type(exc).__name__,
            "x-error-trace": "".join(traceback.format_exception(exc))[-4000:],
            "x-permanent": permanent,
            "x-attempts": attempts,
            "x-original-routing-key": original_routing_key(message),
            "x-failed-at": datetime.now(UTC).isoformat(),
            "x-service": self.settings.service_name,
        }
        self._count(message, "dead_lettered")
        self.metrics.dead_letters.labels(self._type(message),
                                         "invalid" if permanent else "exhausted").inc()
        await self._forward(message, self.settings.queue("dead"), headers)

    async def _forward(self, message: AbstractIncomingMessage, queue: str, headers: dict) -> None:
        """Publish a copy to `queue` (confirmed), then ack the original."""
        try:
            await self.bus.publish(
                message.body, routing_key=queue, exchange="", headers=headers,
                message_id=message.message_id or "", type_=message.type or "",
                correlation_id=message.correlation_id,
            )
        except Exception:
            log.exception("consumer.forward_failed", target=queue)
            await _nack(message)  # counts toward x-delivery-limit: ends in <service>.dead
            return
        await message.ack()


async def _nack(message: AbstractIncomingMessage) -> None:
    try:
        await message.nack(requeue=True)
    except Exception:
        log.warning("consumer.nack_failed")
    await asyncio.sleep(0)


def original_routing_key(message: AbstractIncomingMessage | Any) -> str:
    """The routing key the event was first published with, even after retries."""
    headers: dict = dict(message.headers or {})
    if headers.get("x-original-routing-key"):
        return str(headers["x-original-routing-key"])
    deaths = headers.get("x-death") or []
    if deaths:
        keys = deaths[0].get("routing-keys") or []
        if keys:
            return str(keys[0])
    return message.routing_key or message.type or ""


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]
