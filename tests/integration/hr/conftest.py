"""Fixtures for the hr service on the real broker and database.

`hr` is one running hr app per test module, with a settable clock (tests build their own data
in it, with unique staff ids and teams); `start_hr` starts another with its own settings.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient

from hr.main import create_app
from hr.settings import Settings
from ops_shared.service import Runtime
from support.harness import running
from support.ticketing import SettableClock

SHANGHAI = ZoneInfo("Asia/Shanghai")


def sh(day: int, hour: int = 0, minute: int = 0, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@dataclass
class Hr:
    client: AsyncClient
    runtime: Runtime
    settings: Settings
    headers: Callable[..., dict[str, str]]
    clock: SettableClock

    @property
    def db(self) -> Any:
        return self.runtime.database.db

    def as_(self, staff_id: str, role: str) -> dict[str, str]:
        return self.headers(staff_id, role)

    @property
    def admin(self) -> dict[str, str]:
        return self.headers("hr-admin", "hr_admin")

    @property
    def manager(self) -> dict[str, str]:
        return self.headers("boss", "manager")

    async def hire(self, staff_id: str, role: str = "aftersales", **fields: Any) -> dict:
        body = {"staff_id": staff_id, "display_name": staff_id, "role": role, **fields}
        answer = await self.client.post("/staff", json=body, headers=self.manager)
        assert answer.status_code == 201, answer.text
        return answer.json()

    async def team(self, size: int = 2, month: str = "2026-12") -> dict[str, Any]:
        """A supervisor and `size` aftersales + `size` presales agents in a fresh team, with
        the month's roster generated and published."""
        tag = uuid.uuid4().hex[:6]
        team = f"team-{tag}"
        sup = f"sup-{tag}"
        await self.hire(sup, "supervisor", team=team)
        agents = {}
        for role in ("aftersales", "presales"):
            agents[role] = [f"{role[:2]}{n}-{tag}" for n in range(1, size + 1)]
            for staff_id in agents[role]:
                await self.hire(staff_id, role, team=team, supervisor_id=sup,
                                wage_fen=652_500)
        sup_headers = self.as_(sup, "supervisor")
        answer = await self.client.post("/rosters", json={"month": month, "team": team},
                                        headers=sup_headers)
        assert answer.status_code == 201, answer.text
        roster_id = answer.json()["roster_id"]
        answer = await self.client.post(f"/rosters/{roster_id}/publish", headers=sup_headers)
        assert answer.status_code == 200, answer.text
        return {"team": team, "sup": sup, "roster_id": roster_id, **agents,
                "sup_headers": sup_headers}


@pytest.fixture(scope="session")
def start_hr(isolation, keys):
    @asynccontextmanager
    async def start(settings: Settings | None = None, **overrides: Any) -> AsyncIterator[Hr]:
        values = {"job_interval_s": 3600, **overrides}
        settings = settings or isolation.settings("hr", Settings, **values)
        app = create_app(settings)
        clock = SettableClock(sh(1, 7, 0))
        async with running(app) as client:
            runtime: Runtime = app.state.runtime
            runtime.deps.clock = clock
            yield Hr(client, runtime, settings, keys.headers, clock)

    return start


@pytest.fixture(scope="module")
async def hr(start_hr) -> AsyncIterator[Hr]:
    async with start_hr() as service:
        yield service


@pytest.fixture
def at_start(hr):
    """Each test starts at 1 Dec 2026 07:00 Shanghai."""
    hr.clock.set(sh(1, 7, 0))
    return hr
