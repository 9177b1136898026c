"""Messages that cannot be handled end in the dead-letter store; good ones keep flowing."""

from __future__ import annotations

import aio_pika
import pytest

from ops_shared.messaging import DEAD_LETTERS, Bus, describe_dead_message
from support.broker import publish, queue_depth, raw_channel
from support.effects import CountingHandler, counting_service, effect_counts, running_runtime
from support.events import THING, raw_envelope, thing
from support.wait import eventually

pytestmark = pytest.mark.integration


async def test_poison_messages_are_dead_lettered(isolation) -> None:
    settings = isolation.settings("poison")
    handler = CountingHandler(fails=lambda e: e.thing_id.startswith("fail"))
    retries = len(settings.retry_delays_ms)
    # message id -> (body, what the stored error must say, attempts, permanent)
    poison = {
        "not-json": (b"{this is not json", "invalid envelope", 1, True),
        "unknown-type": (raw_envelope("test.nosuch.happened", 1, {"thing_id": "x"},
                                      event_id="unknown-type"),
                         "no model for test.nosuch.happened v1", 1, True),
        "unknown-version": (raw_envelope(THING, 99, {"thing_id": "x"}, event_id="unknown-version"),
                            "no model for test.thing.happened v99; known versions: [1]", 1, True),
        "invalid-data": (raw_envelope(THING, 1, {"thing_id": "", "amount": 0},
                                      event_id="invalid-data"),
                         "invalid data for test.thing.happened", 1, True),
        "no-handler": (raw_envelope("test.other.happened", 1, {"thing_id": "x"},
                                    event_id="no-handler"),
                       "has no handler for test.other.happened", 1, True),
    }
    failing = thing("fail-always")
    poison[failing.id] = (failing.model_dump_json().encode(),
                          "HandlerFailed: handler refused fail-always", retries + 1, False)
    good = [thing(f"good-{i}") for i in range(10)]

    async with (running_runtime(settings, counting_service(settings, handler)) as runtime,
                raw_channel(settings.amqp_url) as channel):
        db = runtime.database.db
        # Good messages before, between and after the poison ones.
        sends = [(e.id, e.model_dump_json().encode()) for e in good[:5]]
        sends += [(mid, body) for mid, (body, *_) in poison.items()]
        sends += [(e.id, e.model_dump_json().encode()) for e in good[5:]]
        for message_id, body in sends:
            await publish(channel, settings.exchange, body, routing_key=THING,
                          message_id=message_id, type_=THING)

        # Good messages are handled without waiting for the poison ones to be settled.
        await eventually(lambda: _len_is(effect_counts(db), len(good)), timeout=30)
        await eventually(lambda: _count_is(db[DEAD_LETTERS], len(poison)), timeout=30)

        stored = {d["message_id"]: d async for d in db[DEAD_LETTERS].find({})}
        assert set(stored) == set(poison)
        for message_id, (body, error, attempts, permanent) in poison.items():
            doc = stored[message_id]
            assert error in doc["error"], (message_id, doc["error"])
            assert doc["attempts"] == attempts, (message_id, doc["attempts"])
            assert doc["permanent"] is permanent, message_id
            assert doc["routing_key"] == THING, message_id
            assert doc["status"] == "dead" and doc["body"] == body
        assert stored[failing.id]["error_type"] == "HandlerFailed"
        assert "HandlerFailed" in stored[failing.id]["trace"]
        assert handler.calls >= retries + 1 + len(good)  # tried, retried, then given up

        assert await effect_counts(db) == {e.data["thing_id"]: 1 for e in good}
        assert await db["inbox"].count_documents({"_id": failing.id}) == 0  # rolled back
        for queue in ("events", "dead", *(f"retry.{d}" for d in settings.retry_delays_ms)):
            await eventually(lambda q=queue: _empty(settings.queue(q)), interval=0.3)


async def _len_is(value, n: int) -> bool:
    return len(await value) == n


async def _count_is(collection, n: int) -> bool:
    return await collection.count_documents({}) == n


async def _empty(queue: str) -> bool:
    return await queue_depth(queue) == (0, 0)


async def test_broker_dead_letters_after_delivery_limit(isolation) -> None:
    """Safety net: a consumer that keeps nacking with requeue does not loop forever."""
    settings = isolation.settings("deliverylimit")
    bus = Bus(settings)
    await bus.connect()
    await bus.declare_topology([THING])
    deliveries: list[int] = []
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        channel = await connection.channel()
        events = await channel.get_queue(settings.queue("events"), ensure=False)

        async def nack_everything(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            deliveries.append(1)
            await message.nack(requeue=True)

        tag = await events.consume(nack_everything)
        envelope = thing("stuck")
        async with raw_channel(settings.amqp_url) as publisher:
            await publish(publisher, settings.exchange, envelope.model_dump_json().encode(),
                          routing_key=THING, message_id=envelope.id, type_=THING)

        # Nobody consumes `<svc>.dead` here: the message must be sitting in it.
        await eventually(lambda: _ready_is(settings.queue("dead"), 1), interval=0.3)
        await events.cancel(tag)
        assert len(deliveries) == settings.delivery_limit + 1

        dead = await channel.get_queue(settings.queue("dead"), ensure=False)
        message = await dead.get(no_ack=False, timeout=5)
        death = message.headers["x-death"][0]
        assert death["reason"] == "delivery_limit"
        assert death["queue"] == settings.queue("events")
        assert message.message_id == envelope.id and message.body == envelope.model_dump_json(
        ).encode()

        # What the keeper would store from it: the broker's reason, the original routing key.
        doc = describe_dead_message(message)
        assert doc["error"] == "dead-lettered by the broker: delivery_limit"
        assert doc["routing_key"] == THING
        # The keeper stores each dead message once: a redelivered copy must get the same id.
        assert describe_dead_message(message)["_id"] == doc["_id"]
        await message.ack()
    finally:
        await connection.close()
        await bus.close()


async def _ready_is(queue: str, n: int) -> bool:
    return (await queue_depth(queue))[0] == n
