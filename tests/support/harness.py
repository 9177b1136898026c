"""Per-test isolation on shared servers: unique names, and cleanup afterwards."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

import aio_pika
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from pymongo import AsyncMongoClient

from ops_shared.settings import ServiceSettings
from support.tokens import KeyPair


class Isolation:
    """Hands out settings with names unique to this run and removes them at the end."""

    def __init__(self, mongo_url: str, amqp_url: str, keys: KeyPair) -> None:
        self.mongo_url = mongo_url
        self.amqp_url = amqp_url
        self.keys = keys
        self.run_id = uuid.uuid4().hex[:8]
        self.made: list[ServiceSettings] = []

    def settings(self, service: str, cls: type[ServiceSettings] = ServiceSettings,
                 **overrides: object) -> ServiceSettings:
        """Settings for one service instance; same `service` + `shared_with` share names."""
        tag = uuid.uuid4().hex[:6]
        values: dict[str, object] = {
            "service_name": service,
            "environment": "test",
            "mongo_url": self.mongo_url,
            "mongo_db": f"t_{self.run_id}_{service}_{tag}",
            "amqp_url": self.amqp_url,
            "exchange": f"t.{self.run_id}.{tag}.events",
            "queue_prefix": f"t.{self.run_id}.{tag}.",
            "jwt_public_key": self.keys.public_pem,
            "retry_delays_ms": (100, 300),
            "delivery_limit": 3,
            "relay_poll_s": 0.1,
            "prefetch": 16,
            **overrides,
        }
        settings = cls(**values)
        self.made.append(settings)
        return settings

    async def cleanup(self, *, databases: bool = True) -> None:
        """Delete what the settings handed out made on the broker and, unless `databases` is
        false (their server is gone), drop their databases."""
        connection = await aio_pika.connect(self.amqp_url)
        try:
            for s in self.made:
                channel = await connection.channel()
                names = [s.queue("events"), s.queue("dead"), f"{s.exchange}.unrouted",
                         f"{s.exchange}.unrouted.capped",
                         *(s.queue(f"retry.{d}") for d in s.retry_delays_ms)]
                for name in names:
                    with contextlib.suppress(Exception):
                        await channel.queue_delete(name)
                for name in (s.exchange, f"{s.exchange}.unrouted"):
                    with contextlib.suppress(Exception):
                        await channel.exchange_delete(name)
                with contextlib.suppress(Exception):
                    await channel.close()
        finally:
            await connection.close()
        if not databases:
            return
        mongo: AsyncMongoClient = AsyncMongoClient(self.mongo_url)
        try:
            for s in self.made:
                await mongo.drop_database(s.database)
        finally:
            await mongo.close()


@contextlib.asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[AsyncClient]:
    """Run an app's lifespan and give an HTTP client bound to it."""
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://test") as client:
            yield client
