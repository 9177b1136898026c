"""Builders of domain objects for the logistics unit tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from logistics.domain.model import Item
from logistics.domain.receipts import InspectedItem, Receipt
from logistics.domain.rma import Rma, RmaKind, ServiceCard

T0 = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def open_rma(*, kind: RmaKind = RmaKind.RETURN, items: list[Item] | None = None,
             **fields: Any) -> Rma:
    card = ServiceCard(customer_id="cust-1", reason="尺码不合适",
                       wanted_replacement="WOOL-37" if kind == RmaKind.EXCHANGE else None)
    values: dict[str, Any] = {
        "number": "RMA-20261126-0001", "kind": kind, "order_id": "TB-1",
        "items": items or [Item("WOOL-38", 1, 29900)], "card": card, "owner_id": "as-1",
        "by": "as-1", "at": T0, **fields}
    rma, _ = Rma.open(**values)
    return rma


def inspected(sku: str = "WOOL-38", quantity: int = 1, ok: bool = True) -> InspectedItem:
    return InspectedItem(sku, quantity, intact=True, box_complete=ok, resellable=True)


def receipt(*items: InspectedItem, signed_by: str | None = "张三", **fields: Any) -> Receipt:
    return Receipt(receipt_id=fields.pop("receipt_id", "WR-1"), received_at=T0,
                   items=items or (inspected(),), inspector="wh-7", signed_by=signed_by,
                   **fields)
