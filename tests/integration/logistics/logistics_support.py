"""Builders for the logistics integration tests: unique order ids, receipt events, and
`Logistics`, a running app with the calls every test makes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ops_shared.contracts import Envelope
from ops_shared.contracts.warehouse import ReceiptItem, ReceiptRecorded
from support.ticketing import Service, send


def order_id() -> str:
    return f"TB-{uuid.uuid4().hex[:10]}"


def receipt_event(**fields: Any) -> ReceiptRecorded:
    values: dict[str, Any] = {
        "receipt_id": f"WR-{uuid.uuid4().hex[:10]}", "received_at": datetime.now(UTC),
        "items": [ReceiptItem(sku="WOOL-38", quantity=1, intact=True, box_complete=True,
                              resellable=True)],
        "inspector": "warehouse-07", "signed_by": "张三", **fields}
    return ReceiptRecorded(**values)


@dataclass
class Logistics(Service):
    """A running logistics app with builders."""

    async def rma(self, *, role: str = "aftersales", staff_id: str | None = None,
                  **fields: Any) -> dict[str, Any]:
        body = {"kind": "return", "order_id": order_id(), "reason": "尺码不合适",
                "customer_id": f"tb_{uuid.uuid4().hex[:8]}", "contact_name": "张三丰",
                "contact_phone": "13812345678", "address": "浙江省杭州市西湖区文三路100号",
                "items": [{"sku": "WOOL-38", "quantity": 1, "unit_paid_fen": 29900}], **fields}
        answer = await self.client.post("/rmas", json=body, headers=self.as_(role, staff_id))
        assert answer.status_code == 201, answer.text
        return answer.json()

    async def post(self, path: str, body: Any = None, role: str = "aftersales",
                   staff_id: str | None = None) -> Any:
        return await self.client.post(path, json=body, headers=self.as_(role, staff_id))

    async def get(self, path: str, role: str = "aftersales", **params: Any) -> Any:
        return await self.client.get(path, headers=self.as_(role), params=params)

    async def send(self, event: ReceiptRecorded | Envelope) -> Envelope:
        return await send(self.settings.amqp_url, self.settings.exchange, event)

    async def refunds(self, subject: str) -> list[dict[str, Any]]:
        return await self.db.refunds.find({"subject": subject}).to_list()
