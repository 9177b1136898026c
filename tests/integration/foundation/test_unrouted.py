"""Unroutable messages are kept in a bounded queue whose depth `/readyz` shows; the old unbounded
queue stops growing (issue 7, item 9)."""

from __future__ import annotations

import aio_pika
import pytest

from support.broker import publish, queue_depth, raw_channel
from support.effects import CountingHandler, counting_service, running_runtime
from support.wait import eventually

pytestmark = pytest.mark.integration


async def _publish_unroutable(settings, n: int, tag: str) -> None:
    async with raw_channel(settings.amqp_url) as channel:
        for i in range(n):
            await publish(channel, settings.exchange, f"{tag}-{i}".encode(),
                          routing_key="nobody.listens.here", message_id=f"{tag}-{i}")


async def _depth_is(name: str, n: int) -> bool:
    return (await queue_depth(name))[0] == n


async def test_unrouted_messages_are_bounded_and_their_depth_visible(isolation) -> None:
    settings = isolation.settings("unrouted", unrouted_max_length=5)
    capped = f"{settings.exchange}.unrouted.capped"
    async with running_runtime(settings, counting_service(settings, CountingHandler())) as rt:
        await _publish_unroutable(settings, 8, "lost")
        await eventually(lambda: _depth_is(capped, 5), interval=0.3)
        checks = await rt.readiness()
        assert checks["unrouted"]["ok"] is True
        assert checks["unrouted"]["depth"] == 5 and checks["unrouted"]["max_length"] == 5
        connection = await aio_pika.connect(settings.amqp_url)
        try:
            channel = await connection.channel()
            queue = await channel.get_queue(capped, ensure=False)
            oldest = await queue.get(no_ack=True, timeout=5)
            assert oldest.body == b"lost-3"  # the three oldest were dropped, the latest kept
        finally:
            await connection.close()


@pytest.mark.parametrize("kept", [0, 2])
async def test_the_old_unbounded_queue_is_no_longer_fed(isolation, kept: int) -> None:
    """It was declared without a bound, and a queue's arguments cannot change: at start it is
    unbound (and deleted when empty) and the bounded queue takes over."""
    settings = isolation.settings("unrouted-legacy")
    legacy = f"{settings.exchange}.unrouted"
    async with raw_channel(settings.amqp_url) as channel:
        exchange = await channel.declare_exchange(legacy, aio_pika.ExchangeType.FANOUT,
                                                  durable=True)
        queue = await channel.declare_queue(legacy, durable=True,
                                            arguments={"x-queue-type": "quorum"})
        await queue.bind(exchange)
        await channel.declare_exchange(settings.exchange, aio_pika.ExchangeType.TOPIC,
                                       durable=True, arguments={"alternate-exchange": legacy})
    await _publish_unroutable(settings, kept, "old")
    await eventually(lambda: _depth_is(legacy, kept), interval=0.3)

    async with running_runtime(settings, counting_service(settings, CountingHandler())):
        await _publish_unroutable(settings, 3, "new")
        await eventually(lambda: _depth_is(f"{settings.exchange}.unrouted.capped", 3),
                         interval=0.3)
        if kept:
            assert await queue_depth(legacy) == (kept, 0)  # kept for an operator, not fed
        else:
            with pytest.raises(AssertionError, match="does not exist"):
                await queue_depth(legacy)
