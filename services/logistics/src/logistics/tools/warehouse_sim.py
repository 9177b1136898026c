"""Warehouse simulator: publishes `warehouse.receipt.recorded` exactly as the warehouse system
would (EVENTS.md): persistent, confirmed, routing key and AMQP type = the event type, message id
= the envelope id, producer `warehouse`. For demos and tests.

    python -m logistics.tools.warehouse_sim --rma RMA-20261126-0001 --sku WOOL-38
    python -m logistics.tools.warehouse_sim --tracking SF123 --sku WOOL-38:2 --failed WOOL-38
    python -m logistics.tools.warehouse_sim --file receipts.json [--times 3]

`--file` takes one receipt object or a list of them, each the event's `data` (EVENTS.md);
`receipt_id` and `received_at` are filled in when missing. `--times N` publishes each receipt N
times with fresh envelopes (the warehouse re-sending: still one receipt). `--invalid` sends the
data unvalidated (to see a malformed receipt dead-lettered). AMQP_URL and EXCHANGE are read
like the services read them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aio_pika
from pydantic import ValidationError

from ops_shared.contracts import Envelope, new_envelope
from ops_shared.contracts.warehouse import ReceiptRecorded
from ops_shared.settings import ServiceSettings


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="logistics.tools.warehouse_sim",
                                description=__doc__.split("\n")[0])
    p.add_argument("--file", type=Path, help="JSON file: one receipt's data or a list of them")
    p.add_argument("--receipt-id", help="the warehouse's receipt id (default: a new one)")
    p.add_argument("--rma", dest="rma_number", help="RMA number on the service card")
    p.add_argument("--tracking", dest="tracking_number")
    p.add_argument("--courier", default=None)
    p.add_argument("--customer", dest="customer_ref")
    p.add_argument("--sku", action="append", default=[], metavar="SKU[:QTY]")
    p.add_argument("--failed", action="append", default=[], metavar="SKU",
                   help="this SKU failed inspection (box incomplete)")
    p.add_argument("--inspector", default="warehouse-sim")
    p.add_argument("--signed-by", default="仓库模拟")
    p.add_argument("--unsigned", action="store_true", help="no signature on the receipt")
    p.add_argument("--times", type=int, default=1, help="publish each receipt this many times")
    p.add_argument("--invalid", action="store_true", help="send the data without validating")
    return p


def from_args(args: argparse.Namespace) -> dict[str, Any]:
    items = []
    for spec in args.sku or ["WOOL-38"]:
        sku, _, quantity = spec.partition(":")
        ok = sku not in args.failed
        items.append({"sku": sku, "quantity": int(quantity or 1), "intact": True,
                      "box_complete": ok, "resellable": True,
                      "note": "" if ok else "鞋盒不完整"})
    data = {"receipt_id": args.receipt_id, "rma_number": args.rma_number,
            "tracking_number": args.tracking_number, "courier": args.courier,
            "customer_ref": args.customer_ref, "service_card": bool(args.rma_number),
            "items": items, "inspector": args.inspector,
            "signed_by": None if args.unsigned else args.signed_by}
    return {k: v for k, v in data.items() if v is not None}


def complete(data: dict[str, Any]) -> dict[str, Any]:
    return {"receipt_id": f"WR-{datetime.now(UTC):%Y%m%d}-{uuid.uuid4().hex[:6]}",
            "received_at": datetime.now(UTC).isoformat(), **data}


def envelope_for(data: dict[str, Any], *, validate: bool) -> Envelope:
    if validate:
        return new_envelope(ReceiptRecorded.model_validate(data))
    return Envelope(id=str(uuid.uuid4()), type=ReceiptRecorded.event_type,
                    version=ReceiptRecorded.event_version, occurred_at=datetime.now(UTC),
                    producer="warehouse", data=data)


async def publish(envelopes: list[Envelope], amqp_url: str, exchange_name: str) -> None:
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(exchange_name, ensure=False)
        for envelope in envelopes:
            await exchange.publish(aio_pika.Message(
                envelope.model_dump_json().encode(), message_id=envelope.id, type=envelope.type,
                content_type="application/json", delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                routing_key=envelope.type, timeout=10)
            print(json.dumps({"published": envelope.id,
                              "receipt_id": envelope.data.get("receipt_id")}))
    finally:
        await connection.close()


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = ServiceSettings()
    if args.file:
        loaded = json.loads(args.file.read_text(encoding="utf-8"))
        receipts = loaded if isinstance(loaded, list) else [loaded]
    else:
        receipts = [from_args(args)]
    completed = [complete(r) for r in receipts]
    try:
        envelopes = [envelope_for(r, validate=not args.invalid)
                     for r in completed for _ in range(max(1, args.times))]
    except ValidationError as exc:
        print(f"invalid receipt: {exc}", file=sys.stderr)
        return 2
    asyncio.run(publish(envelopes, settings.amqp_url, settings.exchange))
    return 0


if __name__ == "__main__":
    sys.exit(main())
