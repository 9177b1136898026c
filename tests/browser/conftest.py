"""The staff console in a real browser, against the running system.

The tickets and hr services and the gateway run in-process on the real broker and database (as
in the end-to-end tests; hr on a settable clock); the console runs as a uvicorn server on a free
loopback port and reaches the gateway in-process; Debian's Chromium, driven by Playwright, talks
to the console over HTTP. An outage is played by a console whose gateway answers 502 for one
service.

No browser → the tests skip on a developer's machine and FAIL in CI (`CI=true`).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from console.main import create_app as create_console
from console.settings import ConsoleSettings

from gateway.demo import demo_password, seed_demo_accounts
from gateway.main import create_app as create_gateway
from gateway.settings import GatewaySettings
from hr.main import create_app as create_hr
from hr.settings import Settings as HrSettings
from logistics.main import create_app as create_logistics
from logistics.settings import Settings as LogisticsSettings
from ops_shared.contracts import Envelope, Event
from ops_shared.contracts.hr import DutyAssignment, RosterPublished, ShiftPeriod, StaffChanged
from support.harness import running
from support.ticketing import SettableClock, send
from support.upstream import AppsUpstream
from support.uvicorn_served import served as serve
from support.wait import eventually
from tickets.main import create_app as create_tickets
from tickets.settings import Settings as TicketsSettings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TICKETS_HOST = "tickets.browser"
HR_HOST = "hr.browser"
LOGISTICS_HOST = "logistics.browser"
CHEAP_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 8, "argon2_parallelism": 1}
SHANGHAI = ZoneInfo("Asia/Shanghai")
ALL_DAY = [ShiftPeriod(start=time(0), end=time(23, 59, 59, 999999))]
TEAM = "customer_service"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def no_browser(reason: str) -> None:
    """Fail in CI, skip elsewhere."""
    if in_ci():
        pytest.fail(f"no browser for the console tests in CI: {reason}")
    pytest.skip(f"no browser: {reason}")


@dataclass
class System:
    console_url: str
    api: httpx.AsyncClient  # the gateway, in-process
    tickets: TicketsSettings
    amqp_url: str
    hr_clock: SettableClock
    gateway_app: Any
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    async def headers(self, staff_id: str) -> dict[str, str]:
        if staff_id not in self.tokens:
            answer = await self.api.post("/auth/token", json={
                "staff_id": staff_id, "password": demo_password(staff_id)})
            assert answer.status_code == 200, answer.text
            self.tokens[staff_id] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        return self.tokens[staff_id]

    async def call(self, staff_id: str, method: str, path: str, body: Any = None
                   ) -> httpx.Response:
        return await self.api.request(method, path, json=body,
                                      headers=await self.headers(staff_id))

    async def publish(self, event: Event | Envelope) -> Envelope:
        return await send(self.amqp_url, self.tickets.exchange, event)

    async def roster(self, staff: dict[str, str]) -> None:
        """hr, as its events would say: these staff work all day today and tomorrow."""
        for staff_id, role in staff.items():
            await self.publish(StaffChanged(staff_id=staff_id, display_name=staff_id, role=role,
                                            team=TEAM, supervisor_id="supervisor1"))
        today = datetime.now(SHANGHAI).date()
        by_month: dict[str, list[DutyAssignment]] = {}
        for day in (today, today + timedelta(days=1)):
            by_month.setdefault(f"{day:%Y-%m}", []).extend(
                DutyAssignment(day=day, staff_id=s, role=r, shift="cs_all_day", periods=ALL_DAY)
                for s, r in staff.items())
        for month, assignments in by_month.items():
            await self.publish(RosterPublished(roster_id=f"R-br-{uuid.uuid4().hex[:6]}",
                                               month=month, team=TEAM, assignments=assignments))

    async def open_ticket_for(self, agent: str, **fields: Any) -> dict[str, Any]:
        """Opens tickets until one is assigned to `agent` (the roster applied)."""
        body = {"customer": {"name": "王五", "phone": "13700001111",
                             "platform_ids": [f"br-{uuid.uuid4().hex[:8]}"]},
                "channel": "im", "kind": "complaint", "grade": "general",
                "description": "收到的鞋子尺码不对", "importance": "high", "urgency": "high",
                **fields}

        async def assigned() -> dict[str, Any] | None:
            answer = await self.call("supervisor1", "POST", "/api/tickets/tickets", body)
            assert answer.status_code == 201, answer.text
            ticket = answer.json()
            return ticket if ticket["assignee_id"] == agent else None

        return await eventually(assigned, timeout=20, interval=0.3, what=f"{agent} on duty")


@pytest.fixture(scope="session")
async def console_system(isolation, keys, amqp_url) -> AsyncIterator[System]:
    tickets_settings = isolation.settings("tickets", TicketsSettings,
                                          jwt_public_key=keys.public_pem)
    tickets_app = create_tickets(tickets_settings)
    hr_settings = isolation.settings("hr", HrSettings, exchange=tickets_settings.exchange,
                                     job_interval_s=3600)
    hr_app = create_hr(hr_settings)
    logistics_settings = isolation.settings("logistics", LogisticsSettings,
                                            exchange=tickets_settings.exchange)
    logistics_app = create_logistics(logistics_settings)
    gateway_settings = isolation.settings(
        "gateway", GatewaySettings, jwt_private_key=keys.private_pem,
        jwt_public_key=keys.public_pem, tickets_url=f"http://{TICKETS_HOST}",
        logistics_url=f"http://{LOGISTICS_HOST}", hr_url=f"http://{HR_HOST}",
        exchange=tickets_settings.exchange, **CHEAP_ARGON2)  # hears hr's directory
    gateway_app = create_gateway(gateway_settings,
                                 transport=AppsUpstream({
                                     TICKETS_HOST: tickets_app, HR_HOST: hr_app,
                                     LOGISTICS_HOST: logistics_app}))
    async with (running(tickets_app), running(hr_app), running(logistics_app),
                running(gateway_app) as api):
        hr_clock = SettableClock(datetime(2026, 12, 1, 7, 0, tzinfo=SHANGHAI))
        hr_app.state.runtime.deps.clock = hr_clock
        runtime = gateway_app.state.runtime
        await seed_demo_accounts(runtime.db, runtime.identity.passwords)
        console_app = create_console(
            # Chromium keeps no Secure cookie from plain http://127.0.0.1; the Secure flag
            # outside development is checked over HTTP in test_console_session.py.
            ConsoleSettings(environment="test", gateway_url="http://gateway.browser",
                            cookie_secure=False),
            transport=httpx.ASGITransport(app=gateway_app))
        async with serve(console_app) as url:
            yield System(url, api, tickets_settings, amqp_url, hr_clock, gateway_app)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    try:
        from playwright.async_api import async_playwright
    except ImportError as exc:
        no_browser(f"playwright is not installed ({exc})")
    if not (os.access(CHROMIUM, os.X_OK) or shutil.which(CHROMIUM)):
        no_browser(f"{CHROMIUM} not found (apt-get install chromium)")
    async with async_playwright() as pw:
        try:
            launched = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as exc:
            no_browser(f"Chromium did not start: {exc}")
        yield launched
        await launched.close()


@pytest.fixture
async def page(console_system, browser) -> AsyncIterator[Any]:
    context = await browser.new_context(viewport={"width": 1280, "height": 860},
                                        locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    opened = await context.new_page()
    yield opened
    await context.close()
