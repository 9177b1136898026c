"""The one place that chooses the tickets service's adapters and wires them.

`wire` builds the dependencies every use case and handler receives; `unit_of_work` wraps the
Mongo session in the tickets unit of work; `start` seeds the default policies.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from ops_shared.persistence import MongoUnitOfWork
from ops_shared.service import Runtime
from tickets.application.deps import Deps, SystemClock
from tickets.application.policies import seed_defaults
from tickets.domain.ports import TicketsUnitOfWork
from tickets.settings import Settings
from tickets.storage.unit_of_work import MongoTicketsRepositories, MongoTicketsUnitOfWork

T = TypeVar("T")


def unit_of_work(base: MongoUnitOfWork) -> MongoTicketsUnitOfWork:
    return MongoTicketsUnitOfWork(base)


def wire(runtime: Runtime) -> Deps:
    """Build the dependencies from the running parts (database, calendar, settings)."""
    database = runtime.database

    async def transaction(work: Callable[[TicketsUnitOfWork], Awaitable[T]]) -> T:
        return await database.transaction(lambda base: work(unit_of_work(base)))

    settings = runtime.settings
    assert isinstance(settings, Settings)
    reads = MongoTicketsRepositories(database.db)
    return Deps(clock=SystemClock(), calendar=runtime.calendar, settings=settings,
                transaction=transaction, reads=reads, numbers=reads.numbers)


async def start(runtime: Runtime) -> None:
    """Seed the default policies (idempotent; any replica may run it)."""
    await seed_defaults(runtime.deps)
