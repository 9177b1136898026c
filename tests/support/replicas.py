"""Several replicas of one service on one machine: one queue, one outbox, one database.

`run_replicas` starts `replicas` runtimes of a test service with the same settings, writes
`events` events over `aggregates` aggregates (each aggregate's events in sequence, as a real
aggregate's version check makes them), and waits until each is applied. Every applied event
also sets a deadline a moment later; every replica runs a deadline sweeper (the tickets SLA
scheduler's pattern: list what is due, claim each in its own transaction), so each deadline
must fire once however many replicas sweep. A tap queue on the exchange records the order in
which events were published. Used by the test suite (small) and `bench/replicas.py` (large).

While it waits it reports `Progress` every `progress_every_s` to an optional callback. The
counts it waits on are the replicas' own (their consumed-event metrics, the sweepers' fires,
the tap's messages), so waiting costs the database nothing; the database is counted once, at
the end, for the figures.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import aio_pika
from pymongo import IndexModel

from ops_shared.contracts import Envelope, Event
from ops_shared.persistence import Database, Indexes, MongoUnitOfWork, make_client
from ops_shared.service import Runtime, start_runtime, stop_runtime
from ops_shared.settings import ServiceSettings
from support.effects import counting_service
from support.events import ThingHappened

EFFECTS = "event_effects"
DEADLINES = "deadlines"
DEADLINE_AFTER_S = 0.2
SWEEP_EVERY_S = 0.1
DEADLINE_INDEXES = Indexes(DEADLINES, (IndexModel([("fired", 1), ("due_at", 1)], name="due"),))


async def apply_once_and_set_deadline(event: Event, envelope: Envelope,
                                      uow: MongoUnitOfWork) -> None:
    """The effect, counted per event id (2 would be a doubled effect), and its deadline."""
    await uow.db[EFFECTS].update_one(
        {"_id": envelope.id}, {"$inc": {"count": 1}}, upsert=True, session=uow.session)
    await uow.db[DEADLINES].insert_one(
        {"_id": envelope.id, "due_at": datetime.now(UTC) + timedelta(seconds=DEADLINE_AFTER_S),
         "fired": 0}, session=uow.session)


async def sweep(database: Database) -> int:
    """Fire what is due: each deadline claimed in its own transaction, once."""
    now = datetime.now(UTC)
    due = [d["_id"] async for d in database.db[DEADLINES].find(
        {"fired": 0, "due_at": {"$lte": now}}, {"_id": 1}).limit(200)]
    random.shuffle(due)  # replicas sweeping together mostly take different deadlines first
    fired = 0
    for deadline_id in due:
        async def claim(uow: MongoUnitOfWork, deadline_id: str = deadline_id) -> bool:
            claimed = await uow.db[DEADLINES].find_one_and_update(
                {"_id": deadline_id, "fired": 0}, {"$inc": {"fired": 1}}, session=uow.session)
            return claimed is not None
        # Two replicas claiming together: one commits, the other retries and finds it fired.
        fired += await database.transaction(claim)
    return fired


def sweeper(fired: Counter[str]) -> Callable[[Runtime], object]:
    """A start-up hook running a deadline sweeper that counts its fires in `fired["all"]`."""
    async def start_sweeper(runtime: Runtime) -> None:
        async def loop() -> None:
            while True:
                fires = await sweep(runtime.database)  # not `+= await`: three loops add here
                fired["all"] += fires
                await asyncio.sleep(SWEEP_EVERY_S)
        runtime.jobs["sweeper"] = asyncio.create_task(loop(), name="deadline-sweeper")
    return start_sweeper


async def stop_sweeper(runtime: Runtime) -> None:
    task = runtime.jobs.pop("sweeper", None)
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


@dataclass
class Figures:
    events: int
    replicas: int
    aggregates: int
    write_s: float = 0.0
    total_s: float = 0.0
    effect_counts: Counter[int] = field(default_factory=Counter)
    """How many events had their effect committed 0, 1, 2... times (only 1 is right)."""
    deadline_fires: Counter[int] = field(default_factory=Counter)
    published: int = 0
    published_twice: int = 0
    out_of_order: int = 0
    """Aggregates whose events were published out of their written order."""
    applied_by_replica: list[float] = field(default_factory=list)
    published_by_replica: list[float] = field(default_factory=list)
    dead_letters: int = 0

    def lines(self) -> list[str]:
        return [
            f"replicas {self.replicas}, events {self.events}, aggregates {self.aggregates}",
            f"written in {self.write_s:.1f} s; all applied and fired in {self.total_s:.1f} s "
            f"({self.events / self.total_s:.0f} events/s end to end)",
            f"effects per event: {dict(sorted(self.effect_counts.items()))}",
            f"fires per deadline: {dict(sorted(self.deadline_fires.items()))}",
            f"published {self.published}, twice {self.published_twice}, aggregates out of "
            f"order {self.out_of_order}",
            f"applied by replica: {[int(x) for x in self.applied_by_replica]}; published by "
            f"replica: {[int(x) for x in self.published_by_replica]}",
            f"dead letters: {self.dead_letters}",
        ]


@dataclass(frozen=True)
class Progress:
    """Where a run stands while it waits (the replicas' own counts)."""

    elapsed_s: float
    events: int
    published: int
    applied: int
    fired: int
    applied_per_s: float
    """Over the last reporting interval."""
    fired_per_s: float

    def line(self) -> str:
        return (f"{self.elapsed_s:7.1f} s: published {self.published}/{self.events}, "
                f"applied {self.applied} ({self.applied_per_s:.1f}/s), "
                f"fired {self.fired} ({self.fired_per_s:.1f}/s)")


def scaled_timeout_s(events: int, *, base_s: float = 120.0, per_event_s: float = 0.25) -> float:
    """How long a run may wait for its events: grows with their number (the default allows
    4 events/s end to end, a quarter of what a loaded machine did at 2,000 events)."""
    return base_s + per_event_s * events


async def run_replicas(settings: ServiceSettings, *, events: int, replicas: int = 3,
                       aggregates: int = 50, writers: int = 4, timeout_s: float | None = None,
                       progress: Callable[[Progress], None] | None = None,
                       progress_every_s: float = 10.0) -> Figures:
    """`timeout_s`: how long to wait for every event to be applied and fired once written;
    by default `scaled_timeout_s(events)`."""
    timeout_s = scaled_timeout_s(events) if timeout_s is None else timeout_s
    fired_count: Counter[str] = Counter()
    service = counting_service(settings, apply_once_and_set_deadline, indexes=(DEADLINE_INDEXES,),
                               on_start=(sweeper(fired_count),), on_stop=(stop_sweeper,))
    figures = Figures(events, replicas, aggregates)
    runtimes = [await start_runtime(settings, service) for _ in range(replicas)]
    client = make_client(settings.mongo_url, app_name="replicas-writer")
    writer = Database(client, settings.database, "writer")
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        tap = await (await connection.channel()).declare_queue(exclusive=True)
        await tap.bind(settings.exchange, routing_key="#")
        seen: list[tuple[str, int, str]] = []

        async def record(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            data = json.loads(message.body)["data"]
            seen.append((data["thing_id"], data["amount"], message.message_id or ""))
            await message.ack()

        await tap.consume(record)
        started = time.perf_counter()

        def applied() -> int:
            return int(sum(_sum(r, "events_consumed_total", outcome="applied")
                           for r in runtimes))

        last = [started, 0, 0]  # when, applied, fired at the last report

        def report() -> None:
            now, done, fired = time.perf_counter(), applied(), fired_count["all"]
            span = max(now - last[0], 1e-9)
            if progress is not None:
                progress(Progress(now - started, events, len(seen), done, fired,
                                  (done - last[1]) / span, (fired - last[2]) / span))
            last[:] = [now, done, fired]

        async def report_every() -> None:
            while True:
                await asyncio.sleep(progress_every_s)
                report()

        reporter = asyncio.create_task(report_every(), name="replicas-progress")
        try:
            await asyncio.gather(*(_write(writer, w, writers, events, aggregates)
                                   for w in range(writers)))
            figures.write_s = time.perf_counter() - started
            deadline = time.perf_counter() + timeout_s
            while time.perf_counter() < deadline:
                if applied() >= events and fired_count["all"] >= events:
                    break
                await asyncio.sleep(0.2)
            figures.total_s = time.perf_counter() - started
            report()
        finally:
            reporter.cancel()
            await asyncio.gather(reporter, return_exceptions=True)
        db = writer.db
        await asyncio.sleep(0.5)  # late doubles, if any, would show now
        counts = {d["_id"]: d["count"] async for d in db[EFFECTS].find({})}
        figures.effect_counts = Counter(counts.values())
        figures.effect_counts[0] = events - len(counts)
        fires = [d["fired"] async for d in db[DEADLINES].find({}, {"fired": 1})]
        figures.deadline_fires = Counter(fires)
        figures.dead_letters = await db["dead_letters"].count_documents({})
        _publication_order(seen, figures)
        figures.applied_by_replica = [
            _sum(r, "events_consumed_total", outcome="applied") for r in runtimes]
        figures.published_by_replica = [_sum(r, "outbox_published_total") for r in runtimes]
    finally:
        for runtime in runtimes:
            await stop_runtime(runtime, service)
        await connection.close()
        await client.close()
    return figures


async def _write(writer: Database, index: int, writers: int, events: int,
                 aggregates: int) -> None:
    """Writer `index` owns the aggregates `index`, `index + writers`, ...: each aggregate's
    events are written one after the other, in sequence order."""
    owned = list(range(index, aggregates, writers))
    per_aggregate = events // aggregates
    for seq in range(1, per_aggregate + 1):
        for aggregate in owned:
            async def work(uow: MongoUnitOfWork, aggregate: int = aggregate, seq: int = seq
                           ) -> None:
                uow.publish(ThingHappened(thing_id=f"a{aggregate}", amount=seq))
            await writer.transaction(work)


def _publication_order(seen: list[tuple[str, int, str]], figures: Figures) -> None:
    first: dict[str, int] = {}
    ids = Counter(message_id for _, _, message_id in seen)
    order: dict[str, list[int]] = defaultdict(list)
    for aggregate, seq, message_id in seen:
        if message_id in first:
            continue  # a second publication: the first one fixed its place
        first[message_id] = seq
        order[aggregate].append(seq)
    figures.published = len(first)
    figures.published_twice = sum(1 for n in ids.values() if n > 1)
    figures.out_of_order = sum(1 for seqs in order.values() if seqs != sorted(seqs))


def _sum(runtime: Runtime, name: str, **labels: str) -> float:
    base = name.removesuffix("_total")
    return sum(s.value for family in runtime.metrics.registry.collect() if family.name == base
               for s in family.samples if s.name == name
               and all(s.labels.get(k) == v for k, v in labels.items()))
