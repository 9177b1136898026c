"""The whole system, as `scripts/dev` runs it, for the department's stories (issue 10, item 1).

tickets, logistics, hr and the gateway run in-process with their lifespans, on the real broker
and database, sharing one event exchange (as they share `ops.events` in production). The
gateway's upstream transport hands each service's host to that service's ASGI app. hr runs in
development with its demo staff, so it hires them and publishes this month's rosters, and the
gateway gives each demo staff member their account when hr announces them (password
`demo-<staff_id>`); `opsadmin1`, a gateway-only role, is seeded by the gateway.

Staff act only through the gateway (`whole.call(staff_id, method, "/api/<service>/...")`); the
warehouse system and the customer's side are played by publishing their events on the exchange
(`whole.publish`). Every event published once the services are up is recorded by a tap
(`whole.seen`).

One settable clock (`whole.clock`) is installed in all three services, starting at the real
time; stories move it forward only, since the stories share the system.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from gateway.accounts import ACCOUNTS
from gateway.demo import DEMO_ACCOUNTS, demo_password
from gateway.main import create_app as create_gateway
from gateway.settings import GatewaySettings
from hr.main import create_app as create_hr
from hr.settings import Settings as HrSettings
from logistics.main import create_app as create_logistics
from logistics.settings import Settings as LogisticsSettings
from ops_shared.contracts import Envelope, Event
from support.harness import running
from support.problems import assert_problem
from support.ticketing import SettableClock, Tap, send, tap
from support.upstream import AppsUpstream
from support.wait import eventually
from tickets.main import create_app as create_tickets
from tickets.settings import Settings as TicketsSettings

HOSTS = {"tickets": "tickets.story", "logistics": "logistics.story", "hr": "hr.story"}
CHEAP_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 8, "argon2_parallelism": 1}
# Staff sign in often in the stories; the per-user API rate is not what they test.
GENEROUS_RATES = {"api_rate_per_s": 1000.0, "api_burst": 1000}


@dataclass
class Whole:
    """The gateway as staff reach it, the three services behind it, their events."""

    api: httpx.AsyncClient
    apps: dict[str, Any]
    settings: dict[str, Any]
    amqp_url: str
    clock: SettableClock
    seen: Tap
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def exchange(self) -> str:
        return self.settings["tickets"].exchange

    def runtime(self, service: str) -> Any:
        return self.apps[service].state.runtime

    async def sign_in(self, staff_id: str) -> dict[str, str]:
        """Sign in at the gateway with the demo password; the bearer header (kept)."""
        if staff_id not in self.tokens:
            answer = await self.api.post("/auth/token", json={
                "staff_id": staff_id, "password": demo_password(staff_id)})
            assert answer.status_code == 200, answer.text
            self.tokens[staff_id] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        return self.tokens[staff_id]

    async def call(self, staff_id: str, method: str, path: str, body: Any = None,
                   **kwargs: Any) -> httpx.Response:
        """`method path` through the gateway (path as staff call it: `/api/hr/...`)."""
        headers = {**(await self.sign_in(staff_id)), **kwargs.pop("headers", {})}
        if body is not None:
            kwargs["json"] = body
        return await self.api.request(method, path, headers=headers, **kwargs)

    async def get(self, staff_id: str, path: str, **kwargs: Any) -> httpx.Response:
        return await self.call(staff_id, "GET", path, **kwargs)

    async def post(self, staff_id: str, path: str, body: Any = None, **kwargs: Any
                   ) -> httpx.Response:
        return await self.call(staff_id, "POST", path, body, **kwargs)

    async def ok(self, staff_id: str, method: str, path: str, body: Any = None,
                 status: int | tuple[int, ...] = (200, 201, 202, 204)) -> Any:
        """Call and assert success; the JSON body (or None)."""
        answer = await self.call(staff_id, method, path, body)
        wanted = (status,) if isinstance(status, int) else status
        assert answer.status_code in wanted, f"{method} {path}: {answer.text}"
        return answer.json() if answer.content else None

    async def publish(self, event: Event | Envelope) -> Envelope:
        """Publish as an outside producer would (the warehouse system, a test double of a
        peer): persistent, message id = envelope id, routing key = type."""
        return await send(self.amqp_url, self.exchange, event)

    def published(self, type_: str, **match: Any) -> list[dict[str, Any]]:
        """Data of the `type_` events seen on the exchange whose fields match."""
        return [d for d in self.seen.data(type_)
                if all(d.get(k) == v for k, v in match.items())]

    async def until_published(self, type_: str, within_s: float = 30, **match: Any
                              ) -> dict[str, Any]:
        """The first `type_` event whose fields match, once it has been published."""
        found = await eventually(lambda: self.published(type_, **match), timeout=within_s,
                                 what=f"{type_} {match}")
        return found[0]

    @staticmethod
    def problem(response: httpx.Response, status: int, slug: str | None = None
                ) -> dict[str, Any]:
        """Assert an RFC 9457 problem with this status (and type slug); its body."""
        return assert_problem(response, status, slug)


@pytest.fixture(scope="session")
async def whole(isolation, keys, amqp_url) -> AsyncIterator[Whole]:
    async with whole_system(isolation, keys, amqp_url) as system:
        yield system


@pytest.fixture(scope="module")
async def whole_of_its_own(isolation, keys, amqp_url) -> AsyncIterator[Whole]:
    """A whole system for one module's stories only: its clock may go anywhere."""
    async with whole_system(isolation, keys, amqp_url) as system:
        yield system


@asynccontextmanager
async def whole_system(isolation, keys, amqp_url) -> AsyncIterator[Whole]:
    """A whole system of its own (names, exchange and clock): `whole` is the one the stories
    share; a story that must move time far (month end) starts another."""
    tickets_settings = isolation.settings("tickets", TicketsSettings)
    exchange = tickets_settings.exchange
    settings = {
        "tickets": tickets_settings,
        "logistics": isolation.settings("logistics", LogisticsSettings, exchange=exchange),
        "hr": isolation.settings("hr", HrSettings, exchange=exchange, environment="development",
                                 demo_staff=True, job_interval_s=3600),
    }
    apps = {"tickets": create_tickets(settings["tickets"]),
            "logistics": create_logistics(settings["logistics"]),
            "hr": create_hr(settings["hr"])}
    settings["gateway"] = isolation.settings(
        "gateway", GatewaySettings, exchange=exchange, environment="development",
        demo_accounts=True, jwt_private_key=keys.private_pem, jwt_public_key=keys.public_pem,
        **{f"{name}_url": f"http://{host}" for name, host in HOSTS.items()},
        **CHEAP_ARGON2, **GENEROUS_RATES)
    upstream = AppsUpstream({HOSTS[name]: app for name, app in apps.items()})
    gateway_app = create_gateway(settings["gateway"], transport=upstream)
    apps["gateway"] = gateway_app
    clock = SettableClock()
    async with (running(gateway_app) as api,
                running(apps["tickets"]), running(apps["logistics"]), running(apps["hr"]),
                tap(amqp_url, exchange, "#") as seen):
        for name in ("tickets", "logistics", "hr"):
            apps[name].state.runtime.deps.clock = clock
        system = Whole(api, apps, settings, amqp_url, clock, seen)

        accounts = gateway_app.state.runtime.db[ACCOUNTS]
        demo_ids = [staff_id for staff_id, _, _ in DEMO_ACCOUNTS]

        async def every_account() -> bool:
            return await accounts.count_documents({"_id": {"$in": demo_ids}}) == len(demo_ids)

        await eventually(every_account, timeout=90, interval=0.5,
                         what="hr's demo staff have their gateway accounts")
        yield system
