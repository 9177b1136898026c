"""Duplicate deliveries of one event (same envelope id) have exactly one effect."""

from __future__ import annotations

import asyncio

import pytest

from ops_shared.contracts import Envelope
from ops_shared.persistence import INBOX
from support.broker import publish, queue_depth, raw_channel
from support.effects import CountingHandler, counting_service, effect_counts, running_runtime
from support.events import THING, thing
from support.wait import eventually

pytestmark = pytest.mark.integration
COPIES = 5


async def _drained(queue: str) -> bool:
    return await queue_depth(queue) == (0, 0)


async def test_duplicate_delivery_has_one_effect(isolation) -> None:
    settings = isolation.settings("dupes")
    slow = CountingHandler()
    original_call = slow.__call__

    async def handler(event, envelope: Envelope, uow) -> None:
        # Hold the transaction open a moment so concurrent copies really overlap.
        await asyncio.sleep(0.05)
        await original_call(event, envelope, uow)

    async with (running_runtime(settings, counting_service(settings, handler)) as runtime,
                raw_channel(settings.amqp_url) as channel):
        db = runtime.database.db
        sequential, concurrent = thing("sequential"), thing("concurrent")

        async def send(envelope: Envelope) -> None:
            await publish(channel, settings.exchange, envelope.model_dump_json().encode(),
                          routing_key=THING, message_id=envelope.id, type_=THING)

        await send(sequential)  # one copy after the other ...
        await eventually(lambda: effect_counts(db))
        await send(sequential)
        await asyncio.gather(*(send(concurrent) for _ in range(COPIES)))  # ... and all at once

        # Every copy was delivered and acked: the queue holds nothing, not even unacked ones.
        await eventually(lambda: slow.calls >= 2, what="both ids handled")
        await eventually(lambda: _drained(settings.queue("events")), interval=0.3)
        assert await effect_counts(db) == {"sequential": 1, "concurrent": 1}
        assert sorted(await db[INBOX].distinct("_id")) == sorted([sequential.id, concurrent.id])
        assert await db["dead_letters"].count_documents({}) == 0
        assert await queue_depth(settings.queue("dead")) == (0, 0)
