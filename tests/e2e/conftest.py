"""End-to-end: staff sign in at the gateway and work tickets on the real tickets service.

Both apps run in-process with their lifespans, on the real broker and database, with names
unique to this run. The gateway's upstream transport hands `tickets_url` requests to the tickets
ASGI app (no sockets); logistics and hr are not running, so calls to them fail as a refused
connection would. Staff sign in with demo accounts at `POST /auth/token` and call
`/api/tickets/...` with their own tokens; hr and logistics are played by publishing their
events straight to the tickets service's exchange, as those producers would.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from gateway.demo import demo_password, seed_demo_accounts
from gateway.main import create_app as create_gateway
from gateway.settings import GatewaySettings
from ops_shared.contracts import Envelope, Event
from ops_shared.contracts.hr import DutyAssignment, RosterPublished, ShiftPeriod, StaffChanged
from support.harness import running
from support.problems import assert_problem
from support.ticketing import Tap, send, tap
from support.wait import eventually
from tickets.main import create_app as create_tickets
from tickets.settings import Settings as TicketsSettings

TICKETS_HOST = "tickets.e2e"
CHEAP_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 8, "argon2_parallelism": 1}
SHANGHAI = ZoneInfo("Asia/Shanghai")
# One shift covering the whole day, so whoever is rostered is on duty whenever the suite runs.
ALL_DAY = [ShiftPeriod(start=time(0), end=time(23, 59, 59, 999999))]
ROSTER_TEAM = "customer_service"
PROBE_CUSTOMER = {"name": "排班探针", "platform_ids": ["e2e-duty-probe"]}


class TicketsUpstream(httpx.AsyncBaseTransport):
    """The gateway's network: `tickets.e2e` is the tickets app; every other host refuses."""

    def __init__(self, tickets_app: Any) -> None:
        self.tickets = httpx.ASGITransport(app=tickets_app, raise_app_exceptions=False)
        self.reached: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != TICKETS_HOST:
            raise httpx.ConnectError("connection refused", request=request)
        self.reached.append((request.method, request.url.path))
        return await self.tickets.handle_async_request(request)


@dataclass
class System:
    """The gateway (as staff reach it), the tickets service behind it and its event stream."""

    client: httpx.AsyncClient
    tickets: TicketsSettings
    amqp_url: str
    upstream: TicketsUpstream
    seen: Tap
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    async def sign_in(self, staff_id: str) -> dict[str, str]:
        """Sign in at the gateway with the demo account's password; the bearer header."""
        if staff_id not in self.tokens:
            answer = await self.client.post("/auth/token", json={
                "staff_id": staff_id, "password": demo_password(staff_id)})
            assert answer.status_code == 200, answer.text
            assert answer.json()["token_type"] == "bearer"
            self.tokens[staff_id] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        return self.tokens[staff_id]

    async def call(self, staff_id: str, method: str, path: str, **kwargs: Any
                   ) -> httpx.Response:
        """`method /api/tickets<path>` through the gateway, signed in as `staff_id`."""
        headers = await self.sign_in(staff_id)
        return await self.client.request(method, f"/api/tickets{path}", headers=headers,
                                         **kwargs)

    async def get(self, staff_id: str, path: str, **kwargs: Any) -> httpx.Response:
        return await self.call(staff_id, "GET", path, **kwargs)

    async def post(self, staff_id: str, path: str, body: Any = None, **kwargs: Any
                   ) -> httpx.Response:
        return await self.call(staff_id, "POST", path, json=body, **kwargs)

    async def ticket(self, staff_id: str, number: str) -> dict[str, Any]:
        answer = await self.get(staff_id, f"/tickets/{number}")
        assert answer.status_code == 200, answer.text
        return answer.json()

    async def publish(self, event: Event | Envelope) -> Envelope:
        """Publish as hr or logistics would: persistent, message id = envelope id, key = type."""
        return await send(self.amqp_url, self.tickets.exchange, event)

    def published(self, type_: str, **match: Any) -> list[dict[str, Any]]:
        """Data of the `type_` events the tickets service published whose fields match."""
        return [d for d in self.seen.data(type_)
                if all(d.get(k) == v for k, v in match.items())]

    @staticmethod
    def problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
        """Assert an RFC 9457 problem with this status (and type slug); its body."""
        return assert_problem(response, status, slug)

    async def roster(self, staff: dict[str, str], supervisor_id: str = "supervisor1") -> None:
        """hr: the staff records and a whole-day roster for today and tomorrow (Shanghai)."""
        for staff_id, role in staff.items():
            await self.publish(StaffChanged(
                staff_id=staff_id, display_name=staff_id, role=role, team=ROSTER_TEAM,
                supervisor_id=supervisor_id))
        today = datetime.now(SHANGHAI).date()
        by_month: dict[str, list[DutyAssignment]] = {}
        for day in (today, today + timedelta(days=1)):  # the run may cross midnight
            by_month.setdefault(f"{day:%Y-%m}", []).extend(_duty(day, staff))
        for month, assignments in by_month.items():
            await self.publish(RosterPublished(
                roster_id=f"R-e2e-{uuid.uuid4().hex[:6]}", month=month, team=ROSTER_TEAM,
                assignments=assignments))

    async def await_on_duty(self, staff_id: str) -> None:
        """Until a newly opened after-sales ticket goes to `staff_id` (the roster is applied)."""
        async def assigned() -> bool:
            answer = await self.post("supervisor1", "/tickets", {
                "customer": PROBE_CUSTOMER, "channel": "web", "kind": "aftersales",
                "description": "排班生效检查", "importance": "low", "urgency": "low"})
            assert answer.status_code == 201, answer.text
            return answer.json()["assignee_id"] == staff_id

        await eventually(assigned, timeout=20, interval=0.3, what=f"{staff_id} on duty")


def _duty(day: date, staff: dict[str, str]) -> list[DutyAssignment]:
    return [DutyAssignment(day=day, staff_id=staff_id, role=role, shift="cs_all_day",
                           periods=ALL_DAY) for staff_id, role in staff.items()]


@pytest.fixture(scope="session")
async def system(isolation, keys, amqp_url) -> AsyncIterator[System]:
    """One gateway in front of one real tickets service, for the whole e2e run."""
    tickets_settings = isolation.settings("tickets", TicketsSettings,
                                          jwt_public_key=keys.public_pem)
    tickets_app = create_tickets(tickets_settings)
    upstream = TicketsUpstream(tickets_app)
    gateway_settings = isolation.settings(
        "gateway", GatewaySettings, jwt_private_key=keys.private_pem,
        jwt_public_key=keys.public_pem, tickets_url=f"http://{TICKETS_HOST}",
        logistics_url="http://logistics.e2e", hr_url="http://hr.e2e", **CHEAP_ARGON2)
    gateway_app = create_gateway(gateway_settings, transport=upstream)
    async with (running(tickets_app), running(gateway_app) as client,
                tap(amqp_url, tickets_settings.exchange, "tickets.#") as seen):
        runtime = gateway_app.state.runtime
        await seed_demo_accounts(runtime.db, runtime.identity.passwords)
        yield System(client, tickets_settings, amqp_url, upstream, seen)
