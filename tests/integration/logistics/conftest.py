"""Fixtures for the logistics service on the real broker and database.

`service` is one running logistics app per test module (tests build their own data in it, with
unique order ids); tests that need their own clock or settings start one with `start_logistics`.
`Logistics` adds the builders every test uses: open an RMA, record tracking, send a receipt.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from logistics.main import create_app
from logistics.settings import Settings
from ops_shared.contracts import Envelope, new_envelope
from ops_shared.contracts.warehouse import ReceiptItem, ReceiptRecorded
from ops_shared.service import Runtime
from support.harness import running
from support.ticketing import Service, SettableClock, send


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


@pytest.fixture(scope="session")
def start_logistics(isolation, keys):
    @asynccontextmanager
    async def start(settings: Settings | None = None, clock: SettableClock | None = None,
                    **overrides: Any) -> AsyncIterator[Logistics]:
        settings = settings or isolation.settings("logistics", Settings, **overrides)
        app = create_app(settings)
        async with running(app) as client:
            runtime: Runtime = app.state.runtime
            if clock is not None:
                runtime.deps.clock = clock
            yield Logistics(client, runtime, settings, keys.headers, clock)

    return start


@pytest.fixture(scope="module")
async def service(start_logistics) -> AsyncIterator[Logistics]:
    async with start_logistics() as svc:
        yield svc


__all__ = ["Logistics", "new_envelope", "order_id", "receipt_event"]
