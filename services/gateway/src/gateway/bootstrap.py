"""The one place where the gateway's adapters are chosen and wired, at start."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx
import structlog
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from gateway.account_audit import AUDIT_INDEXES, AccountAudit
from gateway.account_directory import DIRECTORY_INDEXES, AccountDirectory
from gateway.accounts import AccountStore
from gateway.demo import demo_account, seed_local_accounts
from gateway.directory import DirectoryStore
from gateway.identity import Identity
from gateway.openapi_catalog import OpenApiCatalog, OpenApiCopies
from gateway.passwords import Passwords
from gateway.sessions import SessionCheck
from gateway.settings import GatewaySettings
from gateway.signing import SigningKeys, TokenIssuer
from gateway.subscriptions import SUBSCRIPTIONS
from gateway.throttle import THROTTLE_INDEXES, LockoutPolicy, LoginThrottle
from gateway.upstream_client import NativeTransport
from ops_shared.contracts import registry
from ops_shared.messaging import (
    DEAD_LETTER_INDEXES,
    Bus,
    Consumer,
    DeadLetterKeeper,
    OutboxRelay,
    bind,
)
from ops_shared.persistence import (
    FOUNDATION_INDEXES,
    Database,
    MongoUnitOfWork,
    apply_indexes,
    make_client,
)

log = structlog.get_logger(__name__)


@dataclass
class GatewayRuntime:
    """Everything the running gateway holds; built in the lifespan, reachable from routes."""

    settings: GatewaySettings
    mongo: AsyncMongoClient
    db: AsyncDatabase
    http: httpx.AsyncClient
    upstreams: dict[str, str]
    identity: Identity
    catalog: OpenApiCatalog
    bus: Bus
    consumer: Consumer
    keeper: DeadLetterKeeper
    directory: AccountDirectory
    transport: httpx.AsyncBaseTransport
    """The upstreams' connection pool, shared with `http`; proxied calls go to it directly."""
    timeout: httpx.Timeout
    relay: OutboxRelay
    """Publishes `gateway.session.revoked` from the gateway's outbox (issue 7, item 5)."""

    async def readiness(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The gateway's own checks (MongoDB, RabbitMQ) and each upstream's `/readyz`,
        concurrently, each bounded by `HEALTH_TIMEOUT_S`."""
        names = list(self.upstreams)
        mongo, *upstreams = await asyncio.gather(
            self._mongo_check(), *(self._upstream_check(name) for name in names))
        own = {"mongo": mongo, "rabbitmq": {"ok": self.bus.is_connected()}}
        return own, dict(zip(names, upstreams, strict=True))

    async def _mongo_check(self) -> dict[str, Any]:
        try:
            await asyncio.wait_for(self.mongo.admin.command("ping"),
                                   timeout=self.settings.health_timeout_s)
            return {"ok": True}
        except Exception as exc:
            return {"ok": False, "error": type(exc).__name__}

    async def _upstream_check(self, name: str) -> dict[str, Any]:
        try:
            answer = await self.http.get(f"{self.upstreams[name]}/readyz",
                                         timeout=self.settings.health_timeout_s)
        except httpx.HTTPError as exc:
            return {"ok": False, "error": type(exc).__name__}
        return {"ok": answer.status_code == 200, "status": answer.status_code}


def _upstream_transport(settings: GatewaySettings, transport: httpx.AsyncBaseTransport | None
                        ) -> httpx.AsyncBaseTransport:
    """The upstreams' pool: `transport` when given (tests), else `UPSTREAM_CLIENT`'s."""
    if transport is not None:
        return transport
    if settings.upstream_client == "native":
        return NativeTransport(max_connections_per_host=200, max_idle_per_host=50)
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
    return httpx.AsyncHTTPTransport(limits=limits, retries=0)


def _upstream_timeout(settings: GatewaySettings) -> httpx.Timeout:
    return httpx.Timeout(settings.upstream_timeout_s, connect=settings.upstream_connect_timeout_s)


def _http_client(settings: GatewaySettings, transport: httpx.AsyncBaseTransport
                 ) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=transport, timeout=_upstream_timeout(settings),
                             follow_redirects=False, trust_env=False)


def _identity(settings: GatewaySettings, database: Database, keys: SigningKeys) -> Identity:
    db = database.db
    accounts = AccountStore(db)
    passwords = Passwords.from_settings(settings)
    policy = LockoutPolicy(settings.login_max_failures, settings.login_lock_s,
                           settings.login_failure_window_s)
    demo = settings.demo_accounts and settings.environment == "development"
    return Identity(accounts=accounts, audit=AccountAudit(db), database=database,
                    passwords=passwords,
                    throttle=LoginThrottle(db, policy), tokens=TokenIssuer(keys, settings),
                    sessions=SessionCheck(accounts, settings.session_cache_s),
                    directory=DirectoryStore(db),
                    demo=demo_account(accounts, passwords) if demo else None)


async def _consume(settings: GatewaySettings, database: Database, identity: Identity
                   ) -> tuple[Bus, Consumer, DeadLetterKeeper]:
    """H1: the gateway's queue `gateway.events` carries `hr.staff.changed`."""
    bus = Bus(settings)
    for attempt in range(1, 31):
        try:
            await bus.connect()
            break
        except Exception as exc:
            if attempt == 30:
                raise
            log.warning("bus.connect_failed", attempt=attempt, error=str(exc)[:200])
            await asyncio.sleep(min(attempt, 5))

    def unit_of_work(base: MongoUnitOfWork) -> MongoUnitOfWork:
        return base

    consumer = Consumer(bus, database, registry, bind(SUBSCRIPTIONS, identity, unit_of_work))
    await bus.declare_topology(consumer.subscriptions)
    keeper = DeadLetterKeeper(bus, database)
    return bus, consumer, keeper


async def start_gateway(settings: GatewaySettings, keys: SigningKeys,
                        transport: httpx.AsyncBaseTransport | None = None) -> GatewayRuntime:
    """Connect MongoDB, open the shared HTTP client, seed demo accounts if asked."""
    mongo = make_client(settings.mongo_url, app_name=settings.service_name)
    database = Database(mongo, settings.database, producer=settings.service_name)
    db = database.db
    await apply_indexes(db, [*FOUNDATION_INDEXES, DEAD_LETTER_INDEXES, THROTTLE_INDEXES,
                             AUDIT_INDEXES, DIRECTORY_INDEXES])
    pool = _upstream_transport(settings, transport)
    http = _http_client(settings, pool)
    upstreams = settings.upstream_urls()
    catalog = OpenApiCatalog(http, upstreams, timeout_s=settings.openapi_timeout_s,
                             cache_s=settings.openapi_cache_s, copies=OpenApiCopies(db))
    identity = _identity(settings, database, keys)
    bus, consumer, keeper = await _consume(settings, database, identity)
    runtime = GatewayRuntime(settings, mongo, db, http, upstreams, identity, catalog, bus,
                             consumer, keeper, AccountDirectory(db), pool,
                             _upstream_timeout(settings), OutboxRelay(database, bus))
    if settings.demo_accounts and settings.environment == "development":
        await seed_local_accounts(db, runtime.identity.passwords)
    elif settings.demo_accounts:
        log.warning("demo_accounts.ignored", environment=settings.environment)
    runtime.relay.start()
    await consumer.start()
    await keeper.start()
    log.info("gateway.started", upstreams=sorted(upstreams))
    return runtime


async def stop_gateway(runtime: GatewayRuntime) -> None:
    await runtime.consumer.stop()
    await runtime.keeper.stop()
    await runtime.relay.stop()
    await runtime.bus.close()
    await runtime.http.aclose()
    await runtime.mongo.close()
    log.info("gateway.stopped")
