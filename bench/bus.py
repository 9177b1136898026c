"""Benchmark: our event path against a raw aio-pika baseline, on the same broker and database.

Ours:     use case transaction (state row + outbox row) → relay (confirms) → RabbitMQ →
          consumer (inbox row + one effect row, one transaction) → ack.
Baseline: aio-pika publish with confirms → consume → one insert into the same database → ack.

    python bench/bus.py [--events 2000] [--concurrency 50]

Uses MONGO_URL / AMQP_URL when set, else starts SecantusDB on a free port and uses the local
RabbitMQ. Prints throughput and publish-to-handled latency (p50, p99) of both paths; the last
line is `ratio: X.XX` (our throughput over the baseline's).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import aio_pika
from pymongo import AsyncMongoClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from ops_shared.contracts import Event, EventRegistry
from ops_shared.logging import configure_logging
from ops_shared.messaging import Bus, Consumer, OutboxRelay
from ops_shared.persistence import FOUNDATION_INDEXES, Database, apply_indexes, make_client
from ops_shared.settings import ServiceSettings
from support.servers import LOCAL_AMQP, secantus_server


class BenchHappened(Event):
    event_type = "bench.thing.happened"
    producer = "bench"
    n: int


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def ours(
    mongo_url: str, amqp_url: str, n: int, concurrency: int, prefetch: int
) -> tuple[float, list]:
    tag = uuid.uuid4().hex[:8]
    settings = ServiceSettings(service_name=f"bench{tag}", mongo_url=mongo_url, amqp_url=amqp_url,
                               exchange=f"bench.{tag}", relay_poll_s=0.05, prefetch=prefetch,
                               relay_batch=200)
    registry = EventRegistry()
    registry.register(BenchHappened)
    client = make_client(mongo_url, app_name="bench")
    database = Database(client, settings.database, "bench")
    await apply_indexes(database.db, FOUNDATION_INDEXES)
    bus = Bus(settings)
    await bus.connect()
    await bus.declare_topology([BenchHappened.event_type])
    latencies: list[float] = []
    done = asyncio.Event()
    relay_started = [0.0]
    published: dict[str, float] = {}
    original_publish = bus.publish

    async def timed_publish(body: bytes, **kwargs) -> None:
        await original_publish(body, **kwargs)
        published[kwargs["message_id"]] = time.perf_counter()

    bus.publish = timed_publish  # type: ignore[method-assign]

    async def handle(event, envelope, uow) -> None:
        await uow.db.effects.insert_one({"n": event.n}, session=uow.session)
        latencies.append(time.perf_counter() - published.get(envelope.id, relay_started[0]))
        if len(latencies) >= n:
            done.set()

    semaphore = asyncio.Semaphore(concurrency)

    async def produce(i: int) -> None:
        async with semaphore:
            async def work(uow) -> None:
                await uow.db.state.insert_one({"i": i}, session=uow.session)
                uow.publish(BenchHappened(n=i))
            await database.transaction(work)

    # The use cases commit first (state + outbox row); the bus path is timed from the relay on.
    started = time.perf_counter()
    await asyncio.gather(*(produce(i) for i in range(n)))
    commit_s = time.perf_counter() - started
    print(f"use cases: {n} transactions (state + outbox) in {commit_s:.2f}s = "
          f"{n / commit_s:.0f}/s (not part of the ratio)")
    consumer = Consumer(bus, database, registry, {BenchHappened.event_type: handle})
    relay = OutboxRelay(database, bus)
    started = time.perf_counter()
    relay_started[0] = started
    relay.start()
    await consumer.start()
    await asyncio.wait_for(done.wait(), timeout=600)
    elapsed = time.perf_counter() - started
    await consumer.stop()
    await relay.stop()
    await _drop(bus, settings)
    await bus.close()
    await client.drop_database(settings.database)
    await client.close()
    return elapsed, latencies


async def baseline(mongo_url: str, amqp_url: str, n: int) -> tuple[float, list]:
    tag = uuid.uuid4().hex[:8]
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel(publisher_confirms=True)
    consume_channel = await connection.channel()
    await consume_channel.set_qos(prefetch_count=64)
    queue = await consume_channel.declare_queue(f"baseline.{tag}", durable=True,
                                                arguments={"x-queue-type": "quorum"})
    client: AsyncMongoClient = AsyncMongoClient(mongo_url)
    collection = client[f"baseline_{tag}"].effects
    latencies: list[float] = []
    done = asyncio.Event()

    async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        sent = float(message.headers["sent"])
        await collection.insert_one({"id": message.message_id})
        await message.ack()
        latencies.append(time.perf_counter() - sent)
        if len(latencies) >= n:
            done.set()

    await queue.consume(on_message)
    semaphore = asyncio.Semaphore(200)

    async def publish(i: int) -> None:
        async with semaphore:
            message = aio_pika.Message(b'{"n": %d}' % i, message_id=str(i),
                                       delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                                       headers={"sent": str(time.perf_counter())})
            await channel.default_exchange.publish(message, routing_key=queue.name, timeout=10)

    started = time.perf_counter()
    await asyncio.gather(*(publish(i) for i in range(n)))
    await asyncio.wait_for(done.wait(), timeout=600)
    elapsed = time.perf_counter() - started
    await queue.delete(if_unused=False, if_empty=False)
    await connection.close()
    await client.drop_database(f"baseline_{tag}")
    await client.close()
    return elapsed, latencies


async def _drop(bus: Bus, settings: ServiceSettings) -> None:
    channel = await bus.channel()
    for name in (settings.queue("events"), settings.queue("dead"),
                 f"{settings.exchange}.unrouted.capped",
                 *(settings.queue(f"retry.{d}") for d in settings.retry_delays_ms)):
        with contextlib.suppress(Exception):
            await channel.queue_delete(name)
    for name in (settings.exchange, f"{settings.exchange}.unrouted"):
        with contextlib.suppress(Exception):
            await channel.queue_delete(name)
            await channel.exchange_delete(name)


def report(name: str, n: int, elapsed: float, latencies: list[float]) -> float:
    rate = n / elapsed
    print(f"{name:9s} events={n} elapsed={elapsed:.2f}s throughput={rate:.0f}/s "
          f"p50={statistics.median(latencies) * 1000:.1f}ms "
          f"p99={percentile(latencies, 99) * 1000:.1f}ms")
    return rate


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50, help="use cases in flight")
    parser.add_argument("--prefetch", type=int, default=32, help="our consumer's prefetch")
    args = parser.parse_args()
    amqp_url = os.environ.get("AMQP_URL", LOCAL_AMQP)
    configure_logging("bench", json=False, level="WARNING")
    with contextlib.ExitStack() as stack:
        mongo_url = os.environ.get("MONGO_URL") or stack.enter_context(secantus_server())
        print(f"started {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cpu")
        base_rate = report("baseline", args.events, *await baseline(mongo_url, amqp_url,
                                                                   args.events))
        our_rate = report("ours", args.events, *await ours(mongo_url, amqp_url, args.events,
                                                          args.concurrency, args.prefetch))
        print(f"ratio: {our_rate / base_rate:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
