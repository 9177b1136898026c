"""Fixtures for the logistics service on the real broker and database.

`service` is one running logistics app per test module (tests build their own data in it, with
unique order ids); tests that need their own clock, settings or a second replica start one with
`start_logistics`. Builders live in `logistics_support.py`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from logistics_support import Logistics

from logistics.main import create_app
from logistics.settings import Settings
from ops_shared.service import Runtime
from support.harness import running
from support.ticketing import SettableClock


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

