"""Fixtures for the tickets service on the real broker and database.

`service` is one running tickets app per test module (tests build their own data in it);
tests that need their own clock or a clean database start their own with `start_tickets`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from ops_shared.service import Runtime
from support.harness import running
from support.ticketing import Service, SettableClock
from tickets.main import create_app
from tickets.settings import Settings


@pytest.fixture(scope="session")
def start_tickets(isolation, keys):
    @asynccontextmanager
    async def start(settings: Settings | None = None, clock: SettableClock | None = None,
                    **overrides: Any) -> AsyncIterator[Service]:
        # the automatic daily review reminder (T13) follows the wall clock: off unless a test
        # asks for it, so that the review tests do not depend on the time of day
        overrides.setdefault("review_reminder_at", None)
        settings = settings or isolation.settings("tickets", Settings, **overrides)
        app = create_app(settings)
        async with running(app) as client:
            runtime: Runtime = app.state.runtime
            if clock is not None:
                runtime.deps.clock = clock
            yield Service(client, runtime, settings, keys.headers, clock)

    return start


# Who the module's service knows (as hr.staff.changed told it): handovers go only to them.
KNOWN_STAFF = {"sup-1": "supervisor", "mgr-1": "manager", "wh-1": "warehouse",
               **{f"as-{name}": "aftersales" for name in
                  ("9", "cb", "cls", "cust", "late", "lister", "owner")}}


@pytest.fixture(scope="module")
async def service(start_tickets) -> AsyncIterator[Service]:
    async with start_tickets(sla_scan_interval_s=3600) as svc:
        for staff_id, role in KNOWN_STAFF.items():
            await svc.hire(staff_id, role)
        yield svc
