"""The RabbitMQ side: connection, topology and confirmed publishing (EVENTS.md, "Topology").

Topology per service `svc` (names get `queue_prefix` in tests):
- `ops.events` topic exchange, alternate exchange `ops.events.unrouted` (fanout) → queue
  `ops.events.unrouted.capped`, so nothing published is silently lost; it keeps the latest
  `unrouted_max_length` messages (`x-max-length`, `drop-head`) and its depth is in `/readyz`.
  Why a new name: the first queue, `ops.events.unrouted`, was declared without a bound, and a
  queue's arguments cannot change (re-declaring it otherwise fails with PRECONDITION_FAILED).
  At start that old queue is unbound from the exchange (it stops growing) and deleted if empty;
  a non-empty one is kept for an operator to read and delete (a warning says so);
- `svc.events` quorum queue bound to the routing keys `svc` consumes, with `x-delivery-limit`
  and dead-lettering to `svc.dead` (safety net for a consumer that dies mid-message);
- `svc.retry.<ms>` queues: a failed message waits there for its delay, then dead-letters back
  to `svc.events` through the default exchange (one queue per delay: TTLs expire at the head);
- `svc.dead` quorum queue: messages that can never succeed, with their error in headers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable

import aio_pika
import aiormq
import structlog
from aio_pika.abc import (
    AbstractQueue,
    AbstractRobustChannel,
    AbstractRobustConnection,
    AbstractRobustExchange,
)

from ops_shared.settings import ServiceSettings

log = structlog.get_logger(__name__)


class PublishFailed(Exception):
    """The broker did not confirm a message (nack, unroutable, timeout or connection down)."""


class Bus:
    """One robust connection; a dedicated channel for publishing and one per consumer."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self.connection: AbstractRobustConnection | None = None
        self._publish_channel: AbstractRobustChannel | None = None
        self._exchange: AbstractRobustExchange | None = None

    @property
    def exchange_name(self) -> str:
        return self.settings.exchange

    async def connect(self) -> None:
        self.connection = await aio_pika.connect_robust(
            self.settings.amqp_url,
            client_properties={"connection_name": self.settings.service_name},
            heartbeat=30,
            reconnect_interval=1,
        )
        self._publish_channel = await self.connection.channel(
            publisher_confirms=True, on_return_raises=True
        )
        self._exchange = await self._publish_channel.get_exchange(self.exchange_name, ensure=False)

    async def close(self) -> None:
        if self.connection is not None:
            await self.connection.close()

    async def channel(self, prefetch: int | None = None) -> AbstractRobustChannel:
        assert self.connection is not None
        channel = await self.connection.channel()
        if prefetch:
            await channel.set_qos(prefetch_count=prefetch)
        return channel

    def is_connected(self) -> bool:
        return self.connection is not None and not self.connection.is_closed

    async def declare_topology(self, routing_keys: Iterable[str]) -> None:
        """Declare exchanges and this service's queues; idempotent, run at every start."""
        s = self.settings
        channel = await self.channel()
        try:
            await channel.declare_exchange(
                f"{s.exchange}.unrouted", aio_pika.ExchangeType.FANOUT, durable=True
            )
            await self._declare_unrouted_queue()
            exchange = await channel.declare_exchange(
                s.exchange, aio_pika.ExchangeType.TOPIC, durable=True,
                arguments={"alternate-exchange": f"{s.exchange}.unrouted"},
            )
            dead = await channel.declare_queue(
                s.queue("dead"), durable=True, arguments={"x-queue-type": "quorum"}
            )
            main = await channel.declare_queue(s.queue("events"), durable=True, arguments={
                "x-queue-type": "quorum",
                "x-delivery-limit": s.delivery_limit,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": dead.name,
            })
            for key in sorted(set(routing_keys)):
                await main.bind(exchange, routing_key=key)
            for delay in s.retry_delays_ms:
                await channel.declare_queue(retry_queue(s, delay), durable=True, arguments={
                    "x-message-ttl": delay,
                    "x-dead-letter-exchange": "",
                    "x-dead-letter-routing-key": main.name,
                })
        finally:
            await channel.close()
        await self._retire_unbounded_unrouted_queue()

    async def _declare_unrouted_queue(self) -> None:
        s = self.settings
        name = unrouted_queue(s)
        try:
            async with self._throwaway_channel() as channel:
                queue = await channel.declare_queue(name, durable=True, arguments={
                    "x-queue-type": "quorum", "x-max-length": s.unrouted_max_length,
                    "x-overflow": "drop-head"})
                await queue.bind(f"{s.exchange}.unrouted")
        except aiormq.exceptions.ChannelPreconditionFailed:
            # Declared before with another bound (another replica's settings): keep it as it is.
            log.warning("bus.unrouted_bound_differs", queue=name,
                        wanted_max_length=s.unrouted_max_length)
            async with self._throwaway_channel() as channel:
                queue = await channel.declare_queue(name, passive=True)
                await queue.bind(f"{s.exchange}.unrouted")

    async def _retire_unbounded_unrouted_queue(self) -> None:
        """The first unrouted queue had no bound: stop feeding it; delete it when empty."""
        legacy = f"{self.settings.exchange}.unrouted"
        try:
            async with self._throwaway_channel() as channel:
                queue = await channel.declare_queue(legacy, passive=True)
                await queue.unbind(legacy)
                # Counted after the unbind: nothing can arrive any more. (Quorum queues do not
                # support delete-if-empty; asking for it closes the connection.)
                queue = await channel.declare_queue(legacy, passive=True)
                depth = queue.declaration_result.message_count
                if depth == 0:
                    await channel.queue_delete(legacy)
                    log.info("bus.unbounded_unrouted_deleted", queue=legacy)
                else:
                    log.warning("bus.unbounded_unrouted_kept", queue=legacy, messages=depth,
                                hint="no longer fed; read what you need, then delete it")
        except aiormq.exceptions.ChannelNotFoundEntity:
            return  # none: a fresh installation, or retired before
        except aiormq.exceptions.ChannelClosed as exc:  # raced with another replica
            log.info("bus.unbounded_unrouted_not_retired", error=str(exc)[:200])

    async def unrouted_depth(self) -> int:
        """Messages waiting in the unrouted queue (published with no queue bound for them)."""
        async with self._throwaway_channel() as channel:
            queue = await channel.declare_queue(unrouted_queue(self.settings), passive=True)
            return queue.declaration_result.message_count or 0

    @contextlib.asynccontextmanager
    async def _throwaway_channel(self) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
        """A plain channel for a declaration that may fail: the broker closes the channel on
        a failed passive or mismatched declare, and a robust one would try to restore it."""
        assert self.connection is not None
        channel = await aio_pika.Channel(self.connection, publisher_confirms=False)
        try:
            yield channel
        finally:
            if not channel.is_closed:
                with contextlib.suppress(Exception):
                    await channel.close()

    async def publish(
        self,
        body: bytes,
        *,
        routing_key: str,
        message_id: str,
        type_: str,
        exchange: str | None = None,
        headers: dict | None = None,
        correlation_id: str | None = None,
    ) -> None:
        """Publish persistent and mandatory; return only once the broker confirmed it."""
        if self._publish_channel is None:
            raise PublishFailed("bus not connected")
        message = aio_pika.Message(
            body,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            content_type="application/json",
            message_id=message_id,
            type=type_,
            correlation_id=correlation_id,
            headers=headers or {},
        )
        target = (
            self._publish_channel.default_exchange if exchange == ""
            else self._exchange if exchange is None
            else await self._publish_channel.get_exchange(exchange, ensure=False)
        )
        timeout = self.settings.publish_timeout_s
        try:
            await asyncio.wait_for(
                target.publish(message, routing_key=routing_key, mandatory=True, timeout=timeout),
                timeout=timeout + 1,
            )
        except Exception as exc:  # any failure means "not confirmed": the caller retries
            raise PublishFailed(f"{type(exc).__name__}: {exc}"[:500]) from exc


class Subscription:
    """A consumer on one queue, on its own robust channel; restored after reconnects."""

    def __init__(self, bus: Bus, queue: str, callback: Callable[..., Awaitable[None]],
                 prefetch: int) -> None:
        self.bus = bus
        self.queue_name = queue
        self.callback = callback
        self.prefetch = prefetch
        self._queue: AbstractQueue | None = None
        self._tag: str | None = None

    async def start(self) -> None:
        channel = await self.bus.channel(prefetch=self.prefetch)
        # ensure=True (a passive declare) registers the queue with the robust channel, which
        # then restores its consumer after a reconnect; ensure=False would silently not.
        self._queue = await channel.get_queue(self.queue_name, ensure=True)
        self._tag = await self._queue.consume(self.callback)

    async def stop(self) -> None:
        if self._queue is not None and self._tag is not None:
            try:
                await self._queue.cancel(self._tag)
            except Exception:  # the channel may already be gone at shutdown
                log.debug("bus.cancel_failed", queue=self.queue_name)


def unrouted_queue(settings: ServiceSettings) -> str:
    """The bounded queue behind the alternate exchange: what was published to no one."""
    return f"{settings.exchange}.unrouted.capped"


def retry_queue(settings: ServiceSettings, delay_ms: int) -> str:
    return settings.queue(f"retry.{delay_ms}")
