"""The runtime every service shares: wiring at start, a FastAPI app, clean shutdown.

`create_service_app` builds the app; its lifespan connects MongoDB and RabbitMQ, applies the
declared indexes, declares the topology, and starts the outbox relay, the consumer and the
dead-letter keeper, so a service is alive end to end before its domain work exists.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import structlog
from fastapi import APIRouter, Depends, FastAPI

from ops_shared.calendar import CALENDAR_INDEXES, WorkCalendar, keep_fresh, load_overrides
from ops_shared.contracts import gateway, hr, registry
from ops_shared.logging import configure_logging
from ops_shared.messaging import (
    DEAD_LETTER_INDEXES,
    Bus,
    Consumer,
    DeadLetterKeeper,
    DeadLetterStore,
    OutboxRelay,
    Subscriptions,
    bind,
)
from ops_shared.observability import HttpObservation, Metrics, metrics_router, setup_tracing
from ops_shared.observability.tracing import flush_traces
from ops_shared.persistence import (
    FOUNDATION_INDEXES,
    Database,
    Indexes,
    MongoUnitOfWork,
    apply_indexes,
    make_client,
)
from ops_shared.settings import ServiceSettings
from ops_shared.web import (
    IDEMPOTENCY_INDEXES,
    Limits,
    RequestLimits,
    StaffSessions,
    TokenVerifier,
    calendar_router,
    dead_letters_router,
    health,
    install_idempotency,
    install_problem_handlers,
    install_request_context,
    refuse_unknown_query,
    use_shop_timezone,
)
from ops_shared.web.openapi_docs import document_problems

log = structlog.get_logger(__name__)
Hook = Callable[["Runtime"], Awaitable[None]]


@dataclass
class Runtime:
    """Everything a running service holds; built in the lifespan, reachable from routes."""

    settings: ServiceSettings
    database: Database
    bus: Bus
    calendar: WorkCalendar
    relay: OutboxRelay
    consumer: Consumer
    keeper: DeadLetterKeeper
    dead_letters: DeadLetterStore
    staff_sessions: StaffSessions
    metrics: Metrics = field(default_factory=Metrics)
    """This app's Prometheus registry; a service adds its own metrics there (see
    `ops_shared.observability.domain`)."""
    deps: Any = None
    """The service's own dependencies, built by its `bootstrap.wire` for use cases and handlers."""
    jobs: dict[str, Any] = field(default_factory=dict)
    """Background jobs a service's start-up hooks run (its schedulers), by name, for stopping."""
    tasks: list[asyncio.Task] = field(default_factory=list)

    async def readiness(self) -> dict[str, Any]:
        checks: dict[str, Any] = {}
        try:
            await asyncio.wait_for(self.database.client.admin.command("ping"), timeout=2)
            checks["mongo"] = {"ok": True}
        except Exception as exc:
            checks["mongo"] = {"ok": False, "error": type(exc).__name__}
        checks["rabbitmq"] = {"ok": self.bus.is_connected()}
        missing = sorted(self.calendar.missing_years)
        checks["calendar"] = {"ok": True, "missing_years": missing,
                              "note": "admin days and the weekly pattern serve these years"
                              if missing else ""}
        checks["unrouted"] = await self._unrouted()
        return checks

    async def _unrouted(self) -> dict[str, Any]:
        """Depth of the unrouted queue: events published that no service is bound for (a
        routing mistake, or a consumer not yet deployed). Informative: never `ok: false`."""
        limit = self.settings.unrouted_max_length
        try:
            depth = await asyncio.wait_for(self.bus.unrouted_depth(), timeout=2)
        except Exception as exc:
            return {"ok": True, "depth": None, "max_length": limit, "error": type(exc).__name__}
        return {"ok": True, "depth": depth, "max_length": limit,
                "note": "the oldest are dropped beyond max_length" if depth >= limit else ""}


@dataclass
class ServiceDefinition:
    """What makes one service different from another."""

    name: str
    title: str
    description: str
    version: str = "0.1.0"
    routers: Sequence[APIRouter] = ()
    indexes: Iterable[Indexes] = ()
    subscriptions: Subscriptions[Any, Any] = field(default_factory=dict)
    """Contract class → handler: the service's `subscriptions.SUBSCRIPTIONS` table."""
    wire: Callable[[Runtime], Any] = lambda _runtime: None
    """Builds the service's dependencies (its `bootstrap.wire`); they become `Runtime.deps`."""
    unit_of_work: Callable[[MongoUnitOfWork], Any] = lambda base: base
    """Wraps the Mongo session in the service's own unit of work (its repositories)."""
    on_start: Sequence[Hook] = ()
    on_stop: Sequence[Hook] = ()
    openapi_tags: list[dict[str, str]] = field(default_factory=list)


async def start_runtime(settings: ServiceSettings, definition: ServiceDefinition,
                        metrics: Metrics | None = None) -> Runtime:
    metrics = metrics or Metrics()
    client = make_client(settings.mongo_url, app_name=settings.service_name)
    database = Database(client, settings.database, settings.service_name,
                        retry_budget_s=settings.transaction_retry_budget_s)
    await apply_indexes(database.db, [*FOUNDATION_INDEXES, DEAD_LETTER_INDEXES,
                                      CALENDAR_INDEXES, IDEMPOTENCY_INDEXES,
                                      *definition.indexes])
    calendar = WorkCalendar(
        settings.timezone,
        on_missing_year=lambda y: log.warning("calendar.year_not_covered", year=y),
    )
    await load_overrides(database, calendar)
    bus = Bus(settings)
    await _connect_with_retry(bus)
    relay = OutboxRelay(database, bus, metrics)
    metrics.on_scrape(relay.measure)
    keeper = DeadLetterKeeper(bus, database)
    store = DeadLetterStore(database, settings.queue("events"))
    consumer = Consumer(bus, database, registry, {}, metrics)
    sessions = StaffSessions(database.db, settings.staff_session_cache_s)
    runtime = Runtime(settings, database, bus, calendar, relay, consumer, keeper, store,
                      sessions, metrics)
    runtime.deps = definition.wire(runtime)
    # Handlers are bound before the topology: their event types are the queue's bindings.
    # Every service keeps its staff sessions (revoked tokens), beside its own StaffChanged
    # handler if it has one (both in one transaction).
    consumer.subscriptions = bind(definition.subscriptions, runtime.deps, definition.unit_of_work,
                                  foundation={hr.StaffChanged: sessions.on_staff_changed,
                                              gateway.SessionRevoked: sessions.on_session_revoked})
    await bus.declare_topology(consumer.subscriptions)
    # The service's own start-up (seeding policies, schedulers) comes before the first event.
    for hook in definition.on_start:
        await hook(runtime)
    runtime.tasks.append(asyncio.create_task(keep_fresh(
        database, calendar, settings.calendar_refresh_s), name="calendar-refresh"))
    relay.start()
    await consumer.start()
    await keeper.start()
    log.info("service.started", subscriptions=sorted(consumer.subscriptions))
    return runtime


async def stop_task(task: asyncio.Task[Any], within_s: float = 10.0) -> bool:
    """Cancel a background task and wait for it, at most `within_s`; whether it ended.

    The cancellation is repeated until the task ends: on Python 3.11 a cancellation can be lost
    inside a library's `asyncio.wait_for` (PyMongo's server selection uses one), and a loop that
    catches errors and goes round again (a scheduler while the database is away) would then
    never stop. A task still running at the end is left behind, logged, not awaited forever."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    while not task.done() and loop.time() < deadline:
        task.cancel()
        await asyncio.wait({task}, timeout=min(0.5, max(0.0, deadline - loop.time())))
    if not task.done():
        log.warning("task.left_running", task=task.get_name(), within_s=within_s)
        return False
    if not task.cancelled() and task.exception() is not None:
        log.warning("task.failed", task=task.get_name(), error=str(task.exception())[:200])
    return True


async def stop_runtime(runtime: Runtime, definition: ServiceDefinition) -> None:
    """Stop without losing or doubling a message (HTTP has stopped before, see serving.py):
    the relay finishes its batch and releases its lease, so a standby publishes at once; the
    service's jobs stop; the consumer is cancelled and what it holds is applied and acked
    (`drain_timeout_s`); then the connections close."""
    log.info("service.stopping")
    await runtime.relay.stop()
    for hook in definition.on_stop:
        await hook(runtime)
    await runtime.consumer.stop(runtime.settings.drain_timeout_s)
    await runtime.keeper.stop()
    await asyncio.gather(*(stop_task(task) for task in runtime.tasks))
    await runtime.bus.close()
    await runtime.database.client.close()
    await asyncio.to_thread(flush_traces)
    log.info("service.stopped")


async def _connect_with_retry(bus: Bus, attempts: int = 30) -> None:
    for attempt in range(1, attempts + 1):
        try:
            await bus.connect()
            return
        except Exception as exc:
            if attempt == attempts:
                raise
            log.warning("bus.connect_failed", attempt=attempt, error=str(exc)[:200])
            await asyncio.sleep(min(attempt, 5))


def create_service_app(settings: ServiceSettings, definition: ServiceDefinition) -> FastAPI:
    """Build the FastAPI app of one service; nothing connects until the lifespan runs.

    Every service app gets: request limits (413/414/431 before any work), a request context
    whose transactions give up with 503 + Retry-After after `HTTP_TRANSACTION_BUDGET_S`, RFC
    9457 problems, staff sessions checked on every token, unknown query parameters refused on
    every route, `Idempotency-Key` on the routes that opt in (`IDEMPOTENT`), staff-facing
    times in the shop's zone (`StaffTime`), RED metrics and a server span per request, and
    `/metrics` (no token; not in the OpenAPI document)."""
    configure_logging(settings.service_name, json=settings.log_json, level=settings.log_level)
    setup_tracing(settings.service_name)
    use_shop_timezone(settings.timezone)
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await start_runtime(settings, definition, metrics)
        app.state.runtime = runtime
        app.state.staff_sessions = runtime.staff_sessions
        try:
            yield
        finally:
            await stop_runtime(runtime, definition)

    app = FastAPI(title=definition.title, description=definition.description,
                  version=definition.version, lifespan=lifespan,
                  openapi_tags=definition.openapi_tags or None,
                  dependencies=[Depends(refuse_unknown_query)])
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.token_verifier = TokenVerifier(
        settings.jwt_public_key, issuer=settings.jwt_issuer, audience=settings.jwt_audience,
        algorithm=settings.jwt_algorithm, extra_keys=settings.jwt_extra_public_keys)
    install_problem_handlers(app)
    document_problems(app)
    install_idempotency(app)
    install_request_context(app, transaction_budget_s=settings.http_transaction_budget_s)
    app.add_middleware(RequestLimits, limits=Limits(  # outermost: refuses before any work
        max_body_bytes=settings.max_request_body_bytes, max_url_bytes=settings.max_url_bytes,
        max_header_count=settings.max_header_count, max_header_bytes=settings.max_header_bytes))
    app.add_middleware(HttpObservation, metrics=metrics)  # sees every answer, refusals too
    app.include_router(health)
    app.include_router(metrics_router)
    for router in (*definition.routers, dead_letters_router, calendar_router):
        app.include_router(router)
    return app
