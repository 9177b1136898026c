"""The one place that chooses the logistics service's adapters and wires them.

`wire` builds the dependencies every use case and handler receives; `unit_of_work` wraps the
Mongo session in the logistics unit of work.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from logistics.application.deps import Deps, SystemClock
from logistics.domain.ports import LogisticsUnitOfWork
from logistics.settings import Settings
from logistics.storage.unit_of_work import MongoLogisticsRepositories, MongoLogisticsUnitOfWork
from ops_shared.persistence import MongoUnitOfWork
from ops_shared.service import Runtime

T = TypeVar("T")


def unit_of_work(base: MongoUnitOfWork) -> MongoLogisticsUnitOfWork:
    return MongoLogisticsUnitOfWork(base)


def wire(runtime: Runtime) -> Deps:
    """Build the dependencies from the running parts (database, calendar, settings)."""
    database = runtime.database

    async def transaction(work: Callable[[LogisticsUnitOfWork], Awaitable[T]]) -> T:
        return await database.transaction(lambda base: work(unit_of_work(base)))

    settings = runtime.settings
    assert isinstance(settings, Settings)
    return Deps(clock=SystemClock(), calendar=runtime.calendar, settings=settings,
                transaction=transaction, reads=MongoLogisticsRepositories(database.db))
