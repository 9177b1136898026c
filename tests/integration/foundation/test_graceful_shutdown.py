"""A graceful stop (issue 11, item 3): a replica stopped while events flow hands everything on.

In process: the stopped replica releases its relay lease (the other publishes at once), cancels
its consumer and finishes and acks what it held; nothing is dead-lettered, lost, applied twice
or even redelivered. As a real process under uvicorn: SIGTERM fails readiness first, requests
in flight are answered, then the process exits 0.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import httpx
import pytest

from ops_shared.persistence import INBOX, Database, MongoUnitOfWork, make_client
from ops_shared.service import start_runtime, stop_runtime
from ops_shared.settings import ServiceSettings
from support.broker import queue_depth
from support.effects import CountingHandler, counting_service, effect_counts
from support.events import ThingHappened
from support.servers import free_port
from support.wait import eventually

pytestmark = [pytest.mark.integration, pytest.mark.slow]
EVENTS = 600
TESTS_DIR = Path(__file__).resolve().parents[2]


class SlowCountingHandler(CountingHandler):
    """Takes a little time per event, so that deliveries are in flight at any moment."""

    async def __call__(self, event, envelope, uow) -> None:
        await asyncio.sleep(0.002)
        await super().__call__(event, envelope, uow)


async def test_a_replica_stopped_mid_stream_hands_everything_on(isolation) -> None:
    # A long lease: had the stopped relay not released it, the rest would wait a minute.
    settings = isolation.settings("drain", relay_lease_s=60.0, prefetch=32, consume_batch=16)
    service = counting_service(settings, SlowCountingHandler())
    first = await start_runtime(settings, service)
    await eventually(lambda: first.relay._held_until is not None, what="first holds the lease")
    second = await start_runtime(settings, service)
    client = make_client(settings.mongo_url, app_name="writer")
    writer = Database(client, settings.database, "writer")
    written: list[str] = []

    async def work(uow: MongoUnitOfWork) -> None:
        written.append(uow.publish(ThingHappened(thing_id=f"t{len(written)}")).id)

    async def write_all() -> None:
        for _ in range(EVENTS):
            await writer.transaction(work)

    db = writer.db
    try:
        writing = asyncio.create_task(write_all())
        await eventually(lambda: _handled_at_least(db, EVENTS // 4), timeout=60,
                         what="a quarter handled")
        in_flight = len(first.consumer._in_flight)
        await stop_runtime(first, service)  # while events are written, published, consumed
        finished, abandoned = first.consumer.drained
        await writing
        await eventually(lambda: _handled_at_least(db, EVENTS), timeout=30, interval=0.3,
                         what=f"all {EVENTS} handled (a held lease would take 60 s)")

        counts = await effect_counts(db)
        assert sorted(counts) == sorted(f"t{i}" for i in range(EVENTS))
        assert set(counts.values()) == {1}, {k: v for k, v in counts.items() if v != 1}
        assert await db[INBOX].count_documents({}) == EVENTS
        assert await db["dead_letters"].count_documents({}) == 0
        # What the first replica held was applied and acked there, not handed back.
        assert abandoned == 0, (finished, abandoned, in_flight)
        assert _total(second.metrics, "events_redelivered_total") == 0
        assert _total(second.metrics, "inbox_duplicates_total") == 0
        applied = [_total(r.metrics, "events_consumed_total", outcome="applied")
                   for r in (first, second)]
        assert sum(applied) == EVENTS and all(applied), applied
        # The second relay published what was written after the first stopped.
        assert _total(second.metrics, "outbox_published_total") > 0
        await eventually(lambda: _empty(settings.queue("events")), interval=0.3)
        assert await queue_depth(settings.queue("dead")) == (0, 0)
    finally:
        await stop_runtime(second, service)
        await client.close()


async def _handled_at_least(db, n: int) -> bool:
    return await db["effects"].count_documents({}) >= n


async def _empty(queue: str) -> bool:
    return await queue_depth(queue) == (0, 0)


def _total(metrics, name: str, **labels: str) -> float:
    """A counter summed over the label values not given."""
    base = name.removesuffix("_total")
    return sum(s.value for family in metrics.registry.collect() if family.name == base
               for s in family.samples if s.name == name
               and all(s.labels.get(k) == v for k, v in labels.items()))


def _environment(settings: ServiceSettings, port: int) -> dict[str, str]:
    values = settings.model_dump(include={
        "service_name", "environment", "mongo_url", "mongo_db", "amqp_url", "exchange",
        "queue_prefix", "jwt_public_key", "retry_delays_ms", "delivery_limit", "relay_poll_s",
        "shutdown_delay_s", "http_grace_s"})
    env = {k.upper(): json.dumps(v) if isinstance(v, list | tuple) else str(v)
           for k, v in values.items()}
    return {**os.environ, **env, "HTTP_PORT": str(port), "PYTHONPATH": str(TESTS_DIR),
            "LOG_JSON": "true"}


async def test_sigterm_fails_readiness_first_answers_in_flight_then_exits_zero(
        isolation) -> None:
    settings = isolation.settings("sigterm", shutdown_delay_s=1.5)
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "support.drain_app", env=_environment(settings, port),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    lines: list[str] = []

    async def read_output() -> None:
        assert proc.stdout is not None
        async for line in proc.stdout:
            lines.append(line.decode(errors="replace"))

    reader = asyncio.create_task(read_output())
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            await eventually(lambda: _ready(http), timeout=60, interval=0.2, what="ready")
            in_flight = asyncio.create_task(http.get("/slow", params={"seconds": 2.5}))
            await asyncio.sleep(0.2)
            proc.send_signal(signal.SIGTERM)
            answer = await eventually(lambda: _readiness_refused(http), timeout=5)
            assert answer.json() == {"status": "draining"}
            assert (await http.get("/healthz")).status_code == 200  # still serving
            assert (await in_flight).json() == {"slept_s": 2.5}  # answered, not cut
        code = await asyncio.wait_for(proc.wait(), timeout=60)
        await reader
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    events = [json.loads(line)["event"] for line in lines if line.startswith("{")]
    assert code == 0, "".join(lines)[-3000:]
    order = [e for e in events if e in ("service.draining", "service.stopping",
                                        "service.stopped")]
    assert order == ["service.draining", "service.stopping", "service.stopped"], events


async def _ready(http: httpx.AsyncClient) -> bool:
    try:
        return (await http.get("/readyz")).status_code == 200
    except httpx.TransportError:
        return False


async def _readiness_refused(http: httpx.AsyncClient) -> httpx.Response | None:
    answer = await http.get("/readyz")
    return answer if answer.status_code == 503 else None
