"""Several relay replicas on one outbox publish each event once; a standby takes over."""

from __future__ import annotations

from collections import Counter

import aio_pika
import pytest

from ops_shared.messaging import Bus, OutboxRelay
from ops_shared.persistence import (
    FOUNDATION_INDEXES,
    Database,
    MongoUnitOfWork,
    apply_indexes,
    make_client,
)
from support.events import ThingHappened
from support.wait import eventually

pytestmark = pytest.mark.integration
EVENTS = 300
TAKEOVER = 20


class CountingBus(Bus):
    """A Bus that counts the publishes the broker confirmed, to see which replica worked."""

    confirmed = 0

    async def publish(self, body: bytes, **kwargs) -> None:
        await super().publish(body, **kwargs)
        self.confirmed += 1


async def test_two_relays_publish_each_event_once(isolation) -> None:
    settings = isolation.settings("relays", relay_batch=20)
    buses = [CountingBus(settings), CountingBus(settings)]
    clients = [make_client(settings.mongo_url, app_name=f"relay{i}") for i in range(3)]
    relays: list[OutboxRelay] = []
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        for bus in buses:
            await bus.connect()
        await buses[0].declare_topology([])
        # A tap bound with `#` gets one copy of every message published to the exchange.
        tap = await (await connection.channel()).declare_queue(exclusive=True)
        await tap.bind(settings.exchange, routing_key="#")

        writer = Database(clients[2], settings.database, settings.service_name)
        await apply_indexes(writer.db, FOUNDATION_INDEXES)
        written: list[str] = []

        async def work(uow: MongoUnitOfWork) -> None:
            written.append(uow.publish(ThingHappened(thing_id=f"t{len(written)}")).id)

        for _ in range(EVENTS // 2):  # half pending before the replicas start ...
            await writer.transaction(work)
        for client, bus in zip(clients[:2], buses, strict=True):
            relay = OutboxRelay(Database(client, settings.database, settings.service_name), bus)
            relay.start()
            relays.append(relay)
        for _ in range(EVENTS - EVENTS // 2):  # ... half written while they compete
            await writer.transaction(work)

        await eventually(lambda: _none_pending(relays[0]), timeout=60, what="all published")
        # One replica holds the lease and published everything; the other stood by.
        active = next(i for i, bus in enumerate(buses) if bus.confirmed)
        assert [bus.confirmed for bus in buses][active] == EVENTS

        # The active replica stops (releasing its lease): the standby publishes what follows.
        await relays[active].stop()
        for _ in range(TAKEOVER):
            await writer.transaction(work)
        await eventually(lambda: _none_pending(relays[1 - active]), timeout=60,
                         what="standby published")
        await relays[1 - active].stop()
        assert buses[1 - active].confirmed == TAKEOVER

        # Every published message was confirmed, so it is in the tap now: count them all.
        seen: Counter[str] = Counter()
        while (message := await tap.get(no_ack=True, fail=False)) is not None:
            seen[message.message_id] += 1
        assert not {i: n for i, n in seen.items() if n > 1}, "published more than once"
        assert set(seen) == set(written) and len(written) == EVENTS + TAKEOVER
    finally:
        for relay in relays:
            await relay.stop()
        await connection.close()
        for bus in buses:
            await bus.close()
        for client in clients:
            await client.close()


async def _none_pending(relay: OutboxRelay) -> bool:
    return await relay.pending_count() == 0
