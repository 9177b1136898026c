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
from logistics.storage.held_writes import hold_writes
from logistics.storage.unit_of_work import MongoLogisticsRepositories, MongoLogisticsUnitOfWork
from ops_shared.persistence import MongoUnitOfWork
from ops_shared.service import Runtime

T = TypeVar("T")


_JOINED = "_logistics_unit_of_work"


def unit_of_work(base: MongoUnitOfWork) -> MongoLogisticsUnitOfWork:
    """One logistics unit of work per transaction: the handlers of a consumer batch (one
    transaction) share its repositories, so an aggregate is loaded once and the follow-up
    policy read once for the whole batch, as within one use case. Its repositories hold their
    writes and send them together before the commit (`storage.held_writes`)."""
    joined = base.__dict__.get(_JOINED)
    if joined is None:
        joined = base.__dict__[_JOINED] = MongoLogisticsUnitOfWork(base)
        base.before_commit.append(hold_writes(base.db, base.session).send)
    return joined


def wire(runtime: Runtime) -> Deps:
    """Build the dependencies from the running parts (database, calendar, settings)."""
    database = runtime.database

    async def transaction(work: Callable[[LogisticsUnitOfWork], Awaitable[T]]) -> T:
        return await database.transaction(lambda base: work(unit_of_work(base)))

    settings = runtime.settings
    assert isinstance(settings, Settings)
    return Deps(clock=SystemClock(), calendar=runtime.calendar, settings=settings,
                transaction=transaction, reads=MongoLogisticsRepositories(database.db))
