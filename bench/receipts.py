"""Benchmark: warehouse receipts to refunds through the logistics service, against the raw
aio-pika + one-insert baseline of bench/bus.py, measured in the same run on the same servers.

N open RMAs (with amounts) are made first (not timed). Then N `warehouse.receipt.recorded`
events are published on the broker as the warehouse system would, and the run is timed until
every `logistics.refund.issued` is seen on the exchange. Each receipt is: consumed, recorded
once (receipt row), matched by RMA number, inspected, refunded (unique refund row), the RMA
saved with its timeline, two outbox rows (the status change, the refund) and the inbox row, in
the consumer batch's one transaction; the batch reads its receipts and RMAs ahead in two
queries and sends the receipt rows, refund rows and RMA saves as one bulk write each before
the commit. Then the relay publishes the outbox rows with confirms.

    python bench/receipts.py [--rmas 500]

Uses MONGO_URL / AMQP_URL when set, else starts SecantusDB on a free port and uses the local
RabbitMQ. Prints throughput and p50/p99 receipt→refund latency of both paths; the last line is
`ratio: X.XX` (our receipts per second over the baseline's messages per second).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import aio_pika

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

from bus import baseline, report  # noqa: E402

from logistics.main import create_app  # noqa: E402
from logistics.settings import Settings  # noqa: E402
from ops_shared.contracts import new_envelope  # noqa: E402
from ops_shared.contracts.warehouse import ReceiptItem, ReceiptRecorded  # noqa: E402
from ops_shared.logging import configure_logging  # noqa: E402
from support.harness import Isolation, running  # noqa: E402
from support.servers import LOCAL_AMQP, secantus_server  # noqa: E402
from support.tokens import KeyPair  # noqa: E402


async def ours(mongo_url: str, amqp_url: str, n: int) -> tuple[float, list[float]]:
    keys = KeyPair.generate()
    isolation = Isolation(mongo_url, amqp_url, keys)
    settings = isolation.settings("logistics", Settings, relay_poll_s=0.05, relay_batch=500,
                                  log_level="WARNING", prefetch=200, consume_batch=100,
                                  retry_delays_ms=(1000, 5000), delivery_limit=5)
    try:
        app = create_app(settings)
        async with running(app) as client:
            numbers = await open_rmas(client, keys, n)
            return await measure(settings, numbers)
    finally:
        await isolation.cleanup()


async def open_rmas(client, keys: KeyPair, n: int) -> list[str]:
    agent = keys.headers("bench-agent", "aftersales")
    semaphore = asyncio.Semaphore(8)

    async def one(i: int) -> str:
        async with semaphore:
            answer = await client.post("/rmas", headers=agent, json={
                "kind": "return", "order_id": f"BENCH-{uuid.uuid4().hex[:10]}",
                "reason": "尺码不合适", "customer_id": f"c{i}",
                "items": [{"sku": "WOOL-38", "quantity": 1, "unit_paid_fen": 29900}]})
            assert answer.status_code == 201, answer.text
            return answer.json()["number"]
    started = time.perf_counter()
    numbers = await asyncio.gather(*(one(i) for i in range(n)))
    elapsed = time.perf_counter() - started
    print(f"setup: {n} RMAs opened over HTTP in {elapsed:.1f}s (not part of the ratio)")
    return list(numbers)


async def measure(settings: Settings, numbers: list[str]) -> tuple[float, list[float]]:
    sent: dict[str, float] = {}
    latencies: list[float] = []
    done = asyncio.Event()
    connection = await aio_pika.connect(settings.amqp_url)
    channel = await connection.channel(publisher_confirms=True)
    exchange = await channel.get_exchange(settings.exchange, ensure=False)
    tap = await channel.declare_queue(exclusive=True, auto_delete=True)
    await tap.bind(exchange, routing_key="logistics.refund.issued")

    async def on_refund(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        await message.ack()
        number = json.loads(message.body)["data"]["rma_number"]
        if number in sent:
            latencies.append(time.perf_counter() - sent.pop(number))
            if len(latencies) >= len(numbers):
                done.set()

    await tap.consume(on_refund)
    semaphore = asyncio.Semaphore(200)

    async def publish(number: str) -> None:
        envelope = new_envelope(ReceiptRecorded(
            receipt_id=f"WR-{uuid.uuid4().hex[:12]}", received_at=datetime.now(UTC),
            rma_number=number, inspector="wh-bench", signed_by="张三",
            items=[ReceiptItem(sku="WOOL-38", quantity=1, intact=True, box_complete=True,
                               resellable=True)]))
        async with semaphore:
            sent[number] = time.perf_counter()
            await exchange.publish(aio_pika.Message(
                envelope.model_dump_json().encode(), message_id=envelope.id, type=envelope.type,
                content_type="application/json", delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                routing_key=envelope.type, timeout=10)

    started = time.perf_counter()
    await asyncio.gather(*(publish(n) for n in numbers))
    await asyncio.wait_for(done.wait(), timeout=900)
    elapsed = time.perf_counter() - started
    await connection.close()
    return elapsed, latencies


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rmas", type=int, default=500, help="open RMAs = receipts sent")
    args = parser.parse_args()
    amqp_url = os.environ.get("AMQP_URL", LOCAL_AMQP)
    configure_logging("bench", json=False, level="WARNING")
    with contextlib.ExitStack() as stack:
        mongo_url = os.environ.get("MONGO_URL") or stack.enter_context(secantus_server())
        print(f"started {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cpu")
        base_rate = report("baseline", args.rmas, *await baseline(mongo_url, amqp_url,
                                                                 args.rmas))
        our_rate = report("receipts", args.rmas, *await ours(mongo_url, amqp_url, args.rmas))
        print(f"ratio: {our_rate / base_rate:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
