"""Steps of stories 4-6 (issue 10): the warehouse simulator's receipts, fresh order and
tracking numbers, and the barrier that tells a redelivered event has been handled."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from logistics.tools import warehouse_sim
from ops_shared.contracts import Envelope
from ops_shared.persistence import INBOX
from support.wait import eventually

SHOP_TZ = ZoneInfo("Asia/Shanghai")


def order_id() -> str:
    return f"TB-{uuid.uuid4().int % 10**12:012d}"


def tracking_number() -> str:
    return f"SF{uuid.uuid4().int % 10**12:012d}"


def shop_day(whole: Any) -> date:
    """Today in the shop's zone, by the system's clock."""
    return whole.clock.now().astimezone(SHOP_TZ).date()


async def warehouse_receipt(whole: Any, *argv: str) -> tuple[dict[str, Any], list[Envelope]]:
    """The warehouse system publishes a receipt, as `python -m logistics.tools.warehouse_sim
    ARGV` would (same arguments); the receipt's data and the envelopes sent."""
    args = warehouse_sim.parser().parse_args(list(argv))
    data = warehouse_sim.complete(warehouse_sim.from_args(args))
    envelopes = [warehouse_sim.envelope_for(data, validate=True)
                 for _ in range(max(1, args.times))]
    await warehouse_sim.publish(envelopes, whole.amqp_url, whole.exchange)
    return data, envelopes


async def redeliver(whole: Any, data: dict[str, Any]) -> Envelope:
    """The warehouse system sends the same receipt again (a fresh envelope, same receipt id)."""
    envelope = warehouse_sim.envelope_for(data, validate=True)
    await warehouse_sim.publish([envelope], whole.amqp_url, whole.exchange)
    return envelope


async def handled(whole: Any, service: str, envelope: Envelope | str) -> None:
    """Wait until `service` has applied `envelope` (or the envelope of this id): its inbox row
    is written in the same transaction as the handler's effects, so whatever it did is visible
    afterwards."""
    envelope_id = envelope if isinstance(envelope, str) else envelope.id
    inbox = whole.runtime(service).database.db[INBOX]

    async def seen() -> bool:
        return await inbox.find_one({"_id": envelope_id}) is not None

    await eventually(seen, timeout=30, what=f"{service} handled event {envelope_id}")
