"""The one place that chooses the hr service's adapters and wires them.

`wire` builds the dependencies every use case and handler receives; `unit_of_work` wraps the
Mongo session in the hr unit of work; `start` seeds the demo staff in development.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Awaitable, Callable
from typing import TypeVar
from zoneinfo import ZoneInfo

from hr.application import demo
from hr.application.deps import Deps, SystemClock
from hr.domain.ports import HrUnitOfWork
from hr.settings import Settings
from hr.storage.unit_of_work import MongoHrRepositories, MongoHrUnitOfWork
from ops_shared.persistence import MongoUnitOfWork
from ops_shared.service import Runtime

T = TypeVar("T")


def unit_of_work(base: MongoUnitOfWork) -> MongoHrUnitOfWork:
    return MongoHrUnitOfWork(base)


def wire(runtime: Runtime) -> Deps:
    database = runtime.database

    async def transaction(work: Callable[[HrUnitOfWork], Awaitable[T]]) -> T:
        return await database.transaction(lambda base: work(unit_of_work(base)))

    settings = runtime.settings
    assert isinstance(settings, Settings)
    return Deps(clock=SystemClock(), tz=ZoneInfo(settings.timezone), transaction=transaction,
                reads=MongoHrRepositories(database.db),
                replica=f"{socket.gethostname()}:{os.getpid()}")


async def start(runtime: Runtime) -> None:
    """Development: hire the demo staff and publish this month's rosters."""
    settings = runtime.settings
    if getattr(settings, "demo_staff", False) and settings.environment == "development":
        await demo.seed(runtime.deps)
