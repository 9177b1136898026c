"""The outbox: an event committed with its state change is published even if the writer dies
before publishing, and an aborted transaction publishes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import aio_pika
import pytest
import structlog

from ops_shared.messaging import Bus, OutboxRelay
from ops_shared.messaging import outbox as outbox_module
from ops_shared.persistence import OUTBOX, Database, MongoUnitOfWork, make_client
from support.effects import CountingHandler, counting_service, effect_counts, running_runtime
from support.events import THING, ThingHappened
from support.wait import eventually

pytestmark = pytest.mark.integration


class Abort(Exception):
    """Raised inside a unit of work to make it roll back."""


async def write_thing(database: Database, thing_id: str, *, abort: bool = False) -> str:
    """Create a thing and publish ThingHappened in one transaction; returns the event id."""
    async def work(uow: MongoUnitOfWork) -> str:
        await uow.db["things"].insert_one({"_id": thing_id, "state": "created"},
                                          session=uow.session)
        envelope = uow.publish(ThingHappened(thing_id=thing_id))
        if abort:
            raise Abort(thing_id)
        return envelope.id
    return await database.transaction(work)


async def test_outbox_survives_crash_after_commit(isolation) -> None:
    settings = isolation.settings("outboxcrash")
    bus = Bus(settings)  # topology exists before anything is published, as in production
    await bus.connect()
    await bus.declare_topology([THING])
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        # A tap on the exchange sees every message the service ever publishes.
        tap = await (await connection.channel()).declare_queue(exclusive=True)
        await tap.bind(settings.exchange, routing_key="#")

        # The "crashed" process: commits, then dies before any relay publishes.
        crashed = Database(make_client(settings.mongo_url, app_name="crashed"),
                           settings.database, settings.service_name)
        committed_id = await write_thing(crashed, "kept")
        with pytest.raises(Abort):
            await write_thing(crashed, "rolled-back", abort=True)
        rows = await crashed.db[OUTBOX].find({}).to_list()
        assert [(r["_id"], r["status"]) for r in rows] == [(committed_id, "pending")]
        assert await crashed.db["things"].distinct("_id") == ["kept"]
        await crashed.client.close()
        assert await tap.get(fail=False) is None  # nothing reached the broker

        # Later the service starts; its relay finds the committed event and publishes it.
        handler = CountingHandler()
        async with running_runtime(settings, counting_service(settings, handler)) as runtime:
            db = runtime.database.db
            await eventually(lambda: effect_counts(db), what="the event is handled")
            await eventually(lambda: _is_published(db, committed_id))
            assert await effect_counts(db) == {"kept": 1}
            assert await db["inbox"].distinct("_id") == [committed_id]

        message = await tap.get(no_ack=True, timeout=5)
        assert message.message_id == committed_id and message.routing_key == THING
        assert await tap.get(fail=False) is None  # once, and never the rolled-back event
    finally:
        await connection.close()
        await bus.close()


async def _is_published(db, event_id: str) -> bool:
    row = await db[OUTBOX].find_one({"_id": event_id})
    return bool(row and row["status"] == "published" and row.get("published_at"))


async def test_standby_relay_takes_over_when_the_lease_holder_dies(isolation) -> None:
    """A relay that took the lease and died holds it only until the lease runs out."""
    settings = isolation.settings("outboxlease", relay_lease_s=1.0)
    bus = Bus(settings)
    await bus.connect()
    await bus.declare_topology([THING])
    client = make_client(settings.mongo_url, app_name="dead-relay")
    try:
        database = Database(client, settings.database, settings.service_name)
        event_id = await write_thing(database, "leased")
        dead_relay = OutboxRelay(database, bus)  # takes the lease, then "dies" silently
        assert await dead_relay.hold_lease()

        handler = CountingHandler()
        async with running_runtime(settings, counting_service(settings, handler)) as runtime:
            db = runtime.database.db
            assert await runtime.relay.relay_once() == 0  # the dead relay's lease still holds
            await eventually(lambda: _is_published(db, event_id), timeout=30)
            await eventually(lambda: effect_counts(db))
            assert await effect_counts(db) == {"leased": 1}
            assert not await dead_relay.hold_lease()  # the live relay renews it now
    finally:
        await client.close()
        await bus.close()


async def test_relay_purges_published_rows_after_retention_and_keeps_pending(isolation) -> None:
    """Published rows older than the retention go; pending ones stay whatever their age."""
    settings = isolation.settings("outboxpurge", outbox_retention_h=1)
    client = make_client(settings.mongo_url, app_name="purge")
    bus = Bus(settings)
    try:
        database = Database(client, settings.database, settings.service_name)
        old_published = await write_thing(database, "old-published")
        new_published = await write_thing(database, "new-published")
        old_pending = await write_thing(database, "old-pending")
        now = datetime.now(UTC)
        outbox = database.db[OUTBOX]
        await outbox.update_one({"_id": old_published}, {"$set": {
            "status": "published", "created_at": now - timedelta(hours=2),
            "published_at": now - timedelta(hours=2)}})
        await outbox.update_one({"_id": new_published}, {"$set": {
            "status": "published", "created_at": now - timedelta(minutes=5),
            "published_at": now - timedelta(minutes=5)}})
        await outbox.update_one({"_id": old_pending}, {"$set": {
            "created_at": now - timedelta(days=5)}})

        assert await OutboxRelay(database, bus).purge() == 1
        left = [d["_id"] async for d in outbox.find({}, {"_id": 1})]
        assert sorted(left) == sorted([new_published, old_pending])
    finally:
        await client.close()


async def test_events_carry_the_correlation_id_of_the_request(isolation) -> None:
    settings = isolation.settings("outboxcorrelation")
    client = make_client(settings.mongo_url, app_name="correlation")
    try:
        database = Database(client, settings.database, settings.service_name)
        with structlog.contextvars.bound_contextvars(correlation_id="req-42"):
            event_id = await write_thing(database, "correlated")
        row = await database.db[OUTBOX].find_one({"_id": event_id})
        assert json.loads(row["body"])["correlation_id"] == "req-42"
        assert row["correlation_id"] == "req-42"
    finally:
        await client.close()


async def test_a_row_the_broker_refuses_does_not_block_the_others(isolation, monkeypatch) -> None:
    """A replay to a queue that is gone is refused; the events behind it still go out, and the
    refused row ends as `failed` instead of holding the head of the outbox for ever."""
    monkeypatch.setattr(outbox_module, "MAX_REFUSALS", 2)
    settings = isolation.settings("outboxrefused")
    bus = Bus(settings)
    await bus.connect()
    await bus.declare_topology([THING])
    client = make_client(settings.mongo_url, app_name="refused")
    try:
        database = Database(client, settings.database, settings.service_name)
        stuck = await write_thing(database, "stuck")
        await database.db[OUTBOX].update_one(
            {"_id": stuck}, {"$set": {"exchange": "", "routing_key": "no.such.queue"}})
        relay = OutboxRelay(database, bus)
        for round_ in range(2):
            good = await write_thing(database, f"good-{round_}")
            assert await relay.relay_once() == 1
            assert await _is_published(database.db, good)
        row = await database.db[OUTBOX].find_one({"_id": stuck})
        assert row["status"] == "failed" and row["attempts"] == 2
        assert await relay.relay_once() == 0
    finally:
        await client.close()
        await bus.close()
