"""A test handler with a countable effect, and test services built on the real runtime."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from ops_shared.contracts import Envelope, Event
from ops_shared.persistence import MongoUnitOfWork
from ops_shared.service import Runtime, ServiceDefinition, start_runtime, stop_runtime
from ops_shared.settings import ServiceSettings
from support.events import THING, test_registry

EFFECTS = "effects"


class HandlerFailed(RuntimeError):
    """Raised by a test handler that is told to fail."""


class CountingHandler:
    """Adds one to `effects.<thing_id>.count` in the handler's transaction.

    `fails(event)` decides whether to raise instead; it can be changed while running, e.g. to
    make a dead-lettered message succeed on replay.
    """

    def __init__(self, fails: Callable[[Event], bool] = lambda _: False) -> None:
        self.fails = fails
        self.calls = 0

    async def __call__(self, event: Event, envelope: Envelope, uow: MongoUnitOfWork) -> None:
        self.calls += 1
        if self.fails(event):
            raise HandlerFailed(f"handler refused {event.thing_id}")  # type: ignore[attr-defined]
        await uow.db[EFFECTS].update_one(
            {"_id": event.thing_id},  # type: ignore[attr-defined]
            {"$inc": {"count": 1}, "$push": {"event_ids": envelope.id}},
            upsert=True, session=uow.session,
        )


async def effect_counts(db: AsyncDatabase) -> dict[str, int]:
    """`thing_id -> how many times a handler's effect was committed`."""
    return {d["_id"]: d["count"] async for d in db[EFFECTS].find({}, {"count": 1})}


Apply = Callable[[Event, Envelope, MongoUnitOfWork], Awaitable[None]]


def definition(settings: ServiceSettings, handlers: Mapping[str, Apply],
               **extra: Any) -> ServiceDefinition:
    """A service definition that subscribes the given handlers (by event type)."""
    def wire(runtime: Runtime) -> None:
        # Called before the consumer starts: it reads test events, which only the test
        # registry knows (the process-wide one stays the real contract).
        runtime.consumer.registry = test_registry

    table = {test_registry.model_for(event_type, 1): _adapted(handler)
             for event_type, handler in handlers.items()}
    return ServiceDefinition(
        name=settings.service_name, title=settings.service_name,
        description="A test service on the real foundation.",
        subscriptions=table, wire=wire, **extra,
    )


def _adapted(handler: Apply) -> Any:
    async def handle(_deps: None, uow: MongoUnitOfWork, event: Event, envelope: Envelope) -> None:
        await handler(event, envelope, uow)

    return handle


def counting_service(settings: ServiceSettings, handler: Apply,
                     **extra: Any) -> ServiceDefinition:
    return definition(settings, {THING: handler}, **extra)


@asynccontextmanager
async def running_runtime(settings: ServiceSettings,
                          service: ServiceDefinition) -> AsyncIterator[Runtime]:
    """Start the whole runtime (relay, consumer, keeper) and stop it afterwards."""
    runtime = await start_runtime(settings, service)
    try:
        yield runtime
    finally:
        await stop_runtime(runtime, service)
