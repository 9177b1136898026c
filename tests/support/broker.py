"""Raw broker access for tests: publish around the service, inspect queues, cut connections."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aio_pika
from aio_pika.abc import AbstractChannel


@asynccontextmanager
async def raw_channel(amqp_url: str) -> AsyncIterator[AbstractChannel]:
    """A plain (not robust) connection and a confirming channel, closed afterwards."""
    connection = await aio_pika.connect(amqp_url)
    try:
        yield await connection.channel(publisher_confirms=True)
    finally:
        await connection.close()


async def publish(channel: AbstractChannel, exchange: str, body: bytes, *, routing_key: str,
                  message_id: str, type_: str = "") -> None:
    """Publish as another producer would: persistent, confirmed, straight to the exchange."""
    target = await channel.get_exchange(exchange, ensure=False)
    await target.publish(
        aio_pika.Message(body, message_id=message_id, type=type_,
                         content_type="application/json",
                         delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
        routing_key=routing_key, timeout=10,
    )


async def rabbitmqctl(*args: str) -> str:
    """Run rabbitmqctl without blocking the event loop; raise on failure."""
    proc = await asyncio.create_subprocess_exec(
        "rabbitmqctl", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(f"rabbitmqctl {args[0]} failed: {err.decode()[-500:]}")
    return out.decode()


async def queue_depth(name: str) -> tuple[int, int]:
    """`(ready, unacknowledged)` messages of one queue, as the broker counts them."""
    out = await rabbitmqctl("list_queues", "-q", "--formatter", "json",
                            "name", "messages_ready", "messages_unacknowledged")
    for row in json.loads(out):
        if row["name"] == name:
            return int(row["messages_ready"]), int(row["messages_unacknowledged"])
    raise AssertionError(f"queue {name} does not exist")


async def close_connections(connection_name: str) -> int:
    """Force-close every broker connection whose client named itself `connection_name`.

    The broker is shared with other test runs, so this cuts only this test's connections (the
    `Bus` names its connection after the service) rather than `close_all_connections`; to the
    client the fault is the same: CONNECTION_FORCED from the broker. Returns how many closed.
    """
    out = await rabbitmqctl("list_connections", "-q", "--formatter", "json",
                            "pid", "client_properties")
    pids = [row["pid"] for row in json.loads(out)
            if {p[0]: p[2] for p in row["client_properties"]}.get("connection_name")
            == connection_name]
    for pid in pids:
        # The CLI prints remote pids (`#PID<12576.1139.0>`); on the node it is `<0.1139.0>`.
        local = "<0." + pid.split(".", 1)[1]
        await rabbitmqctl("eval", f'rabbit_networking:close_connection(list_to_pid("{local}"), '
                                  f'"test: connection loss").')
    return len(pids)
