"""Helpers for tickets tests: a settable clock, a raw event tap, a running service."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aio_pika.abc import AbstractIncomingMessage
from httpx import AsyncClient

from ops_shared.contracts import Envelope, Event, new_envelope
from ops_shared.contracts.hr import StaffChanged
from ops_shared.service import Runtime
from ops_shared.settings import ServiceSettings
from support.broker import publish, raw_channel


class SettableClock:
    """A clock a test moves by hand; installed as `runtime.deps.clock`."""

    def __init__(self, start: datetime | None = None) -> None:
        self.moment = start or datetime.now(UTC)

    def now(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@dataclass
class Tap:
    """Messages seen on a raw queue bound to the service's exchange."""

    messages: list[dict[str, Any]] = field(default_factory=list)

    def of(self, type_: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["type"] == type_]

    def data(self, type_: str) -> list[dict[str, Any]]:
        return [m["data"] for m in self.of(type_)]


@asynccontextmanager
async def tap(amqp_url: str, exchange: str, *routing_keys: str) -> AsyncIterator[Tap]:
    """A private queue bound to `exchange` for `routing_keys`; collects every message body."""
    seen = Tap()

    async def on_message(message: AbstractIncomingMessage) -> None:
        async with message.process():
            seen.messages.append(json.loads(message.body))

    async with raw_channel(amqp_url) as channel:
        target = await channel.get_exchange(exchange, ensure=False)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        for key in routing_keys:
            await queue.bind(target, routing_key=key)
        tag = await queue.consume(on_message)
        yield seen
        await queue.cancel(tag)


async def send(amqp_url: str, exchange: str, event: Event | Envelope) -> Envelope:
    """Publish an event as its producer would (routing key = type, message id = envelope id)."""
    envelope = event if isinstance(event, Envelope) else new_envelope(event)
    async with raw_channel(amqp_url) as channel:
        await publish(channel, exchange, envelope.model_dump_json().encode(),
                      routing_key=envelope.type, message_id=envelope.id, type_=envelope.type)
    return envelope


@dataclass
class Service:
    """A running tickets app: its HTTP client, runtime, settings and staff headers."""

    client: AsyncClient
    runtime: Runtime
    settings: ServiceSettings
    headers: Callable[..., dict[str, str]]
    clock: SettableClock | None = None

    @property
    def db(self) -> Any:
        return self.runtime.database.db

    def as_(self, role: str, staff_id: str | None = None) -> dict[str, str]:
        return self.headers(staff_id or f"{role}-{uuid.uuid4().hex[:6]}", role)

    async def hire(self, staff_id: str, role: str, *, active: bool = True) -> None:
        """Make `staff_id` known to the staff directory, exactly as an `hr.staff.changed`
        event would (its handler, in a transaction of its own; no broker round trip)."""
        from tickets.application.on_hr import staff_changed

        event = StaffChanged(staff_id=staff_id, display_name=staff_id, role=role, active=active)
        envelope, deps = new_envelope(event), self.runtime.deps
        await deps.transaction(lambda uow: staff_changed(deps, uow, event, envelope))

    async def customer(self, **fields: Any) -> str:
        body = {"name": "张三丰", "phone": "13812345678", "email": "zhang@example.com",
                "address": "浙江省杭州市西湖区文三路100号",
                "platform_ids": [f"tb_{uuid.uuid4().hex[:8]}"], **fields}
        answer = await self.client.post("/customers", json=body, headers=self.as_("manager"))
        assert answer.status_code == 201, answer.text
        return answer.json()["id"]

    async def ticket(self, *, staff: str = "aftersales", staff_id: str | None = None,
                     **fields: Any) -> dict[str, Any]:
        body = {"channel": "im", "kind": "aftersales", "description": "鞋子开胶了",
                "importance": "low", "urgency": "low", **fields}
        if "customer_id" not in body and "customer" not in body:
            body["customer_id"] = await self.customer()
        answer = await self.client.post("/tickets", json=body,
                                        headers=self.as_(staff, staff_id))
        assert answer.status_code == 201, answer.text
        return answer.json()
