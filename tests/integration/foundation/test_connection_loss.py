"""Losing the broker connection mid-flow loses nothing and duplicates no effect."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from ops_shared.persistence import INBOX, OUTBOX, MongoUnitOfWork
from support.broker import close_connections, queue_depth
from support.effects import CountingHandler, counting_service, effect_counts, running_runtime
from support.events import ThingHappened
from support.wait import eventually

pytestmark = [pytest.mark.integration, pytest.mark.slow]
EVENTS = 300
CUTS = (EVENTS // 3, 2 * EVENTS // 3)  # cut the connection when this many events are written


async def test_broker_connection_loss_recovers(isolation) -> None:
    # A name no other run uses: only this service's connection is cut (see close_connections).
    name = f"chaos{uuid.uuid4().hex[:6]}"
    settings = isolation.settings(name, publish_timeout_s=2.0)
    handler = CountingHandler()
    async with running_runtime(settings, counting_service(settings, handler)) as runtime:
        database, db = runtime.database, runtime.database.db
        written: list[str] = []

        async def write(i: int) -> None:
            async def work(uow: MongoUnitOfWork) -> None:
                await uow.db["things"].insert_one({"_id": f"t{i}"}, session=uow.session)
                written.append(uow.publish(ThingHappened(thing_id=f"t{i}")).id)
            await database.transaction(work)

        async def cut_when(n: int) -> None:
            await eventually(lambda: len(written) >= n, timeout=120)
            await eventually(runtime.bus.is_connected, what="reconnected before the next cut")
            # Cut while the writer is still writing: publishes and deliveries are in flight.
            assert await close_connections(name) >= 1

        cutter = asyncio.gather(*(cut_when(n) for n in CUTS))
        for i in range(EVENTS):
            await write(i)
        await cutter

        await eventually(lambda: _all_handled(db, EVENTS), timeout=120, interval=0.5,
                         what=f"all {EVENTS} events handled")
        assert await runtime.relay.pending_count() == 0
        counts = await effect_counts(db)
        assert sorted(counts) == sorted(f"t{i}" for i in range(EVENTS))
        assert set(counts.values()) == {1}, {k: v for k, v in counts.items() if v != 1}
        handled_ids = {i async for d in db["effects"].find({}) for i in d["event_ids"]}
        assert handled_ids == set(written) == set(await db[OUTBOX].distinct("_id"))
        assert await db[INBOX].count_documents({}) == EVENTS
        assert await db["dead_letters"].count_documents({}) == 0
        assert runtime.bus.is_connected()
        await eventually(lambda: _drained(settings.queue("events")), interval=0.3)


async def _all_handled(db, n: int) -> bool:
    return await db["effects"].count_documents({}) >= n


async def _drained(queue: str) -> bool:
    return await queue_depth(queue) == (0, 0)
