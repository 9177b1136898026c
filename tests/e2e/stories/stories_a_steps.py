"""Steps shared by stories 1-3 (issue 10): staff actions through the gateway, and the outside
world (the warehouse simulator, a broker that dead-letters a message) on the real broker."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aio_pika

from ops_shared.contracts import Envelope
from support.wait import eventually

SHOP_TZ = ZoneInfo("Asia/Shanghai")


def month_of(moment: datetime | date) -> str:
    day = moment.astimezone(SHOP_TZ).date() if isinstance(moment, datetime) else moment
    return f"{day:%Y-%m}"


def at_shop(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=SHOP_TZ)


def first_day_of_next_month(moment: datetime) -> date:
    local = moment.astimezone(SHOP_TZ).date()
    return (local.replace(day=28) + timedelta(days=4)).replace(day=1)


async def open_ticket(whole: Any, staff_id: str, **fields: Any) -> dict[str, Any]:
    """A customer's request logged by `staff_id` (T1); the ticket as answered."""
    body = {"customer": {"name": "钱七", "phone": "13700003333"}, "channel": "phone",
            "importance": "high", "urgency": "low", **fields}
    return await whole.ok(staff_id, "POST", "/api/tickets/tickets", body, status=201)


async def ledger(whole: Any, viewer: str, staff_id: str, month: str,
                 rule: str | None = None) -> list[dict[str, Any]]:
    entries = await whole.ok(viewer, "GET", f"/api/hr/ledger/{staff_id}?month={month}")
    return [e for e in entries if rule is None or e["rule"] == rule]


async def figures(whole: Any, viewer: str, month: str, staff_id: str) -> dict[str, Any]:
    every = await whole.ok(viewer, "GET", f"/api/hr/figures?month={month}")
    return next(f for f in every if f["staff_id"] == staff_id)


def envelope_seen(whole: Any, type_: str, **match: Any) -> Envelope:
    """The one envelope of `type_` whose data match, as it went over the exchange."""
    found = [m for m in whole.seen.of(type_)
             if all(m["data"].get(k) == v for k, v in match.items())]
    assert len(found) == 1, found
    return Envelope.model_validate(found[0])


def consumed(whole: Any, service: str, metric: str, **labels: str) -> float:
    """A counter of the service's consumer (e.g. `inbox_duplicates_total`)."""
    registry = whole.runtime(service).metrics.registry
    return registry.get_sample_value(metric, labels) or 0.0


async def dead_lettered_by_the_broker(whole: Any, service: str, envelope: Envelope) -> None:
    """A copy of `envelope` reaches `<service>.dead` the way the broker's safety net sends it:
    the service's consumers die while holding it, each time, until the queue's delivery limit
    dead-letters it (`x-delivery-limit`, reason `delivery_limit`).

    The copy is the same message (same id, same body) published again, as an outbox relay
    does after crashing mid-batch. The service's consumer is paused meanwhile so that it is
    this helper that holds and drops the message; it is started again afterwards. Any other
    event waiting for the service meanwhile is put back on its queue unchanged."""
    runtime = whole.runtime(service)
    queue_name = whole.settings[service].queue("events")
    letters = runtime.dead_letters.collection
    before = await letters.count_documents({"message_id": envelope.id})

    async def stored() -> bool:
        return await letters.count_documents({"message_id": envelope.id}) > before

    await runtime.consumer.stop()
    try:
        await whole.publish(envelope)
        connection = await aio_pika.connect(whole.amqp_url)
        try:
            deadline = asyncio.get_running_loop().time() + 30
            while not await stored():
                assert asyncio.get_running_loop().time() < deadline, (
                    f"{queue_name} never dead-lettered {envelope.id}")
                channel = await connection.channel()
                queue = await channel.get_queue(queue_name, ensure=False)
                message = await queue.get(no_ack=False, fail=False)
                if message is None:
                    await asyncio.sleep(0.05)
                elif message.message_id != envelope.id:
                    await _pass_on(channel, queue_name, message)  # not ours: keep it intact
                await channel.close()  # died holding ours: unacked, back to the queue
        finally:
            await connection.close()
    finally:
        await runtime.consumer.start()


async def _pass_on(channel: Any, queue_name: str, message: Any) -> None:
    """Another event that was waiting for the paused service: put an identical copy back on
    its queue (confirmed), then ack the one taken, so it is neither lost nor counted."""
    await channel.default_exchange.publish(aio_pika.Message(
        message.body, message_id=message.message_id, type=message.type,
        headers={k: v for k, v in (message.headers or {}).items() if k != "x-delivery-count"},
        content_type=message.content_type,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT), routing_key=queue_name)
    await message.ack()


async def dead_letter_of(whole: Any, operator: str, service: str, message_id: str
                         ) -> dict[str, Any]:
    """The operator finds the message among the service's dead letters (through the gateway)."""

    async def listed() -> dict[str, Any] | None:
        answer = await whole.get(operator, f"/api/{service}/admin/dead-letters")
        assert answer.status_code == 200, answer.text
        return next((d for d in answer.json() if d["message_id"] == message_id), None)

    return await eventually(listed, timeout=30, what=f"{message_id} in {service}'s dead letters")


async def warehouse_sim(whole: Any, *args: str) -> list[str]:
    """Run the warehouse simulator as the README says (`python -m
    logistics.tools.warehouse_sim ...`) against this system's broker and exchange; the
    envelope ids it published."""
    env = {**os.environ, "AMQP_URL": whole.amqp_url, "EXCHANGE": whole.exchange}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "logistics.tools.warehouse_sim", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, err.decode()
    return [json.loads(line)["published"] for line in out.decode().splitlines() if line.strip()]


def next_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12}-{number % 12 + 1:02d}"
