"""One bad message never takes good ones with it: a batch holding a too-big, an invalid, a
failing and a stalled event still applies and acks the others, once each; the bad ones end in
`<svc>.dead` with their reason and nothing reaches the broker's delivery limit (issue 7, items
1 and 2)."""

from __future__ import annotations

import asyncio

import pytest

from ops_shared.contracts import new_envelope
from ops_shared.messaging import DEAD_LETTERS, EventApplier, HandlerTimedOut
from ops_shared.persistence import FOUNDATION_INDEXES, INBOX, Database, apply_indexes, make_client
from support.broker import publish, queue_depth, raw_channel
from support.effects import CountingHandler, counting_service, effect_counts, running_runtime
from support.events import THING, ThingHappened, raw_envelope, thing
from support.wait import eventually

pytestmark = pytest.mark.integration


class StallingHandler(CountingHandler):
    """Counts like CountingHandler; stalls (awaits forever) on `slow`, raises on `fail`."""

    async def __call__(self, event, envelope, uow) -> None:
        if event.thing_id.startswith("slow"):
            self.calls += 1
            await asyncio.Event().wait()
        await super().__call__(event, envelope, uow)


async def test_a_batch_with_bad_events_applies_and_acks_the_good_ones(isolation) -> None:
    settings = isolation.settings("badbatch", prefetch=32, consume_batch=32,
                                  handler_timeout_s=0.5)
    handler = StallingHandler(fails=lambda e: e.thing_id.startswith("fail"))
    good = [thing(f"good-{i}") for i in range(20)]
    big = raw_envelope(THING, 1, {"thing_id": "big", "note": "x" * 1_000_000})  # 1 MB field
    bad = {
        "too-big": (big, "over the limit of 262144 bytes (MAX_MESSAGE_BYTES); not parsed"),
        "too-long": (raw_envelope(THING, 1, {"thing_id": "y" * 5000}, event_id="too-long"),
                     "invalid data for test.thing.happened: thing_id"),
    }
    for name, reason in (("fail", "HandlerFailed: handler refused fail"),
                         ("slow", "took longer than 0.5 s (HANDLER_TIMEOUT_S)")):
        envelope = thing(name)
        bad[envelope.id] = (envelope.model_dump_json().encode(), reason)
    sends = [(e.id, e.model_dump_json().encode()) for e in good[:10]]
    sends += [(message_id, body) for message_id, (body, _) in bad.items()]
    sends += [(e.id, e.model_dump_json().encode()) for e in good[10:]]

    async with (running_runtime(settings, counting_service(settings, handler)) as runtime,
                raw_channel(settings.amqp_url) as channel):
        db = runtime.database.db
        await asyncio.gather(*(publish(channel, settings.exchange, body, routing_key=THING,
                                       message_id=message_id, type_=THING)
                               for message_id, body in sends))

        await eventually(lambda: _count(db[DEAD_LETTERS], len(bad)), timeout=60)
        assert await effect_counts(db) == {e.data["thing_id"]: 1 for e in good}
        stored = {d["message_id"]: d async for d in db[DEAD_LETTERS].find({})}
        assert set(stored) == set(bad)
        for message_id, (_, reason) in bad.items():
            assert reason in stored[message_id]["error"], (message_id, stored[message_id])
            assert "delivery_limit" not in stored[message_id]["error"]
        assert stored["too-big"]["permanent"] and stored["too-big"]["attempts"] == 1
        assert stored["too-big"]["body_size"] == len(big)
        for queue in ("events", "dead", *(f"retry.{d}" for d in settings.retry_delays_ms)):
            await eventually(lambda q=queue: _empty(settings.queue(q)), interval=0.3)
        assert await db[INBOX].count_documents({}) == len(good)


async def test_the_applier_splits_a_batch_around_a_stalled_handler(isolation) -> None:
    """The same, without the broker: twenty events applied together with one whose handler
    stalls; the twenty commit, the stalled one fails with its budget."""
    settings = isolation.settings("badbatch-applier")
    client = make_client(settings.mongo_url, app_name="applier")
    database = Database(client, settings.database, settings.service_name)
    await apply_indexes(database.db, FOUNDATION_INDEXES)
    try:
        handler = StallingHandler()
        applier = EventApplier(database, max_batch=32, handler_timeout_s=0.3)
        events = [ThingHappened(thing_id=f"ok-{i}") for i in range(10)]
        events += [ThingHappened(thing_id="slow")]
        events += [ThingHappened(thing_id=f"ok-{i}") for i in range(10, 20)]
        outcomes = await asyncio.gather(
            *(applier.apply(handler, e, new_envelope(e)) for e in events),
            return_exceptions=True)
        assert outcomes[:10] == [True] * 10 and outcomes[11:] == [True] * 10
        assert isinstance(outcomes[10], HandlerTimedOut)
        assert await effect_counts(database.db) == {f"ok-{i}": 1 for i in range(20)}
        assert handler.calls >= 11 + 21  # the batch up to the stall, then each alone (+ retries)
    finally:
        await client.drop_database(settings.database)
        await client.close()


async def _count(collection, n: int) -> bool:
    return await collection.count_documents({}) == n


async def _empty(queue: str) -> bool:
    return await queue_depth(queue) == (0, 0)
