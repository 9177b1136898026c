"""Benchmark: ticket throughput through the tickets service's HTTP API, in process.

Each ticket is opened (POST /tickets: number counter, customer, assignment, SLA clocks,
outbox row, one transaction) and answered once (POST /tickets/{n}/responses: load, first
response, SLA target met, save with the timeline line). Requests go through httpx's
ASGITransport into the real app with its lifespan (relay, consumer, SLA scheduler running).

    python bench/tickets.py [--tickets 300] [--concurrency 8]

Uses MONGO_URL / AMQP_URL when set, else starts SecantusDB on a free port and uses the local
RabbitMQ. Prints tickets/s and p50/p99 latency of each operation.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

# This file is named like the service's package: take its own folder off the import path.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent / "tests"))

from support.harness import Isolation, running  # noqa: E402
from support.servers import LOCAL_AMQP, secantus_server  # noqa: E402
from support.tokens import KeyPair  # noqa: E402
from tickets.main import create_app  # noqa: E402
from tickets.settings import Settings  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def run(mongo_url: str, amqp_url: str, n: int, concurrency: int) -> None:
    keys = KeyPair.generate()
    isolation = Isolation(mongo_url, amqp_url, keys)  # unique names, removed afterwards
    settings = isolation.settings("tickets", Settings, relay_poll_s=0.05, log_level="WARNING",
                                  retry_delays_ms=(1000, 5000), delivery_limit=5)
    try:
        await measure(create_app(settings), keys, n, concurrency)
    finally:
        await isolation.cleanup()


async def measure(app, keys: KeyPair, n: int, concurrency: int) -> None:
    agent = keys.headers("bench-agent", "aftersales")
    latencies: dict[str, list[float]] = {"create": [], "respond": []}
    async with running(app) as client:
        made = await client.post("/customers", headers=agent, json={"name": "压测客户"})
        customer_id = made.json()["id"]
        todo = iter(range(n))

        async def timed(op: str, coro) -> dict:
            start = time.perf_counter()
            answer = await coro
            latencies[op].append(time.perf_counter() - start)
            if answer.status_code >= 300:
                raise RuntimeError(f"{op}: {answer.status_code} {answer.text[:300]}")
            return answer.json()

        async def worker() -> None:
            for _ in todo:
                ticket = await timed("create", client.post("/tickets", headers=agent, json={
                    "customer_id": customer_id, "channel": "im", "kind": "aftersales",
                    "description": "鞋子开胶了", "importance": "high", "urgency": "low"}))
                await timed("respond", client.post(
                    f"/tickets/{ticket['number']}/responses", headers=agent,
                    json={"message": "您好，马上为您处理"}))

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    print(f"tickets: {n}  concurrency: {concurrency}  elapsed: {elapsed:.2f}s")
    print(f"throughput: {n / elapsed:.1f} tickets/s (open + first response each)")
    for op, values in latencies.items():
        print(f"{op:8s} p50 {percentile(values, 50) * 1000:7.1f} ms   "
              f"p99 {percentile(values, 99) * 1000:7.1f} ms   "
              f"mean {statistics.fmean(values) * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    amqp_url = os.environ.get("AMQP_URL", LOCAL_AMQP)
    with contextlib.ExitStack() as stack:
        mongo_url = os.environ.get("MONGO_URL") or stack.enter_context(secantus_server())
        asyncio.run(run(mongo_url, amqp_url, args.tickets, args.concurrency))


if __name__ == "__main__":
    main()
