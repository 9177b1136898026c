"""A gateway on the real database, with tiny FastAPI upstreams reached through ASGI."""

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import create_model

from gateway.demo import seed_demo_accounts
from gateway.directory import DirectoryStore
from gateway.main import create_app, server_limits
from gateway.settings import GatewaySettings
from gateway.upstream_client import NativeTransport
from ops_shared.contracts.hr import StaffChanged
from support.harness import running
from support.ticketing import send
from support.uvicorn_served import served
from support.wait import eventually

UPSTREAM_NAMES = ("tickets", "logistics", "hr")
CHEAP_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 8, "argon2_parallelism": 1}


@dataclass
class Seen:
    """What an upstream received, for the tests to compare with what was sent."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    openapi_fetches: int = 0


def upstream_app(name: str, seen: Seen) -> FastAPI:
    """An upstream with one typed route (its `Item` differs per service) and an echo.

    No `from __future__ import annotations` here: FastAPI must see the local `item` class.
    """
    app = FastAPI(title=name)
    item = create_model("Item", **{f"{name}_field": (str, ...)})

    @app.middleware("http")
    async def count_schema_fetches(request: Request, call_next: Any) -> Any:
        seen.openapi_fetches += request.url.path == "/openapi.json"
        return await call_next(request)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "alive"}

    @app.get("/readyz")
    async def readyz() -> dict[str, str]:
        return {"status": "ready"}

    @app.post("/items", operation_id="create_item")
    async def create_item(body: item) -> item:  # type: ignore[valid-type]
        return body

    async def echo(rest: str, request: Request) -> JSONResponse:
        seen_request = {"method": request.method, "path": request.url.path,
                        "query": request.url.query, "body": (await request.body()).decode(),
                        "headers": dict(request.headers)}
        seen.requests.append(seen_request)
        status = int(request.query_params.get("status", "200"))
        return JSONResponse({"service": name, **seen_request}, status_code=status,
                            headers={"X-Upstream": name})

    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        app.add_api_route("/echo/{rest:path}", echo, methods=[method],
                          operation_id=f"echo_{method.lower()}")
    return app


class Upstreams(httpx.AsyncBaseTransport):
    """Routes `http://<name>.test` to that upstream's ASGI app; `down`/`slow` ones fail.

    Any other host (a real server a test started) is reached over the network, through the
    gateway's own upstream client (`UPSTREAM_CLIENT=native`, the default).
    """

    def __init__(self) -> None:
        self.seen = {name: Seen() for name in UPSTREAM_NAMES}
        self.apps = {f"{name}.test": httpx.ASGITransport(app=upstream_app(name, self.seen[name]))
                     for name in UPSTREAM_NAMES}
        self.down: set[str] = set()
        self.slow: set[str] = set()
        self.network: httpx.AsyncBaseTransport = NativeTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.host.endswith(".test"):
            return await self.network.handle_async_request(request)
        name = request.url.host.removesuffix(".test")
        if name in self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if name in self.slow:
            raise httpx.ReadTimeout("timed out", request=request)
        return await self.apps[request.url.host].handle_async_request(request)

    async def aclose(self) -> None:
        await self.network.aclose()


@dataclass
class Gateway:
    client: httpx.AsyncClient
    app: FastAPI
    settings: GatewaySettings
    upstreams: Upstreams

    @property
    def runtime(self) -> Any:
        return self.app.state.runtime

    async def seed(self) -> None:
        await seed_demo_accounts(self.runtime.db, self.runtime.identity.passwords)

    async def announce(self, staff_id: str, role: str, team: str | None = "customer_service",
                       display_name: str | None = None, active: bool = True) -> None:
        """Publish what hr publishes on a directory change (`hr.staff.changed`) to this
        gateway's exchange, and wait until the gateway has applied it."""
        envelope = await send(self.settings.amqp_url, self.settings.exchange, StaffChanged(
            staff_id=staff_id, display_name=display_name or staff_id.title(), role=role,
            team=team, active=active))
        directory = DirectoryStore(self.runtime.db)

        async def applied() -> bool:
            entry = await directory.get(staff_id)
            # MongoDB keeps milliseconds: the stored time may be up to 1 ms earlier.
            return entry is not None and (
                entry.changed_at >= envelope.occurred_at - timedelta(milliseconds=1))

        await eventually(applied, timeout=30, what=f"{staff_id} in the gateway's directory")

    async def login(self, staff_id: str, password: str | None = None) -> httpx.Response:
        return await self.client.post("/auth/token", json={
            "staff_id": staff_id, "password": password or f"demo-{staff_id}"})

    async def headers(self, staff_id: str, password: str | None = None) -> dict[str, str]:
        answer = await self.login(staff_id, password)
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.fixture
def gateway_settings(isolation, keys) -> Callable[..., GatewaySettings]:
    """Settings for one gateway: its own database, cheap Argon2, upstreams at `<name>.test`."""

    def make(**overrides: object) -> GatewaySettings:
        urls = {f"{name}_url": f"http://{name}.test" for name in UPSTREAM_NAMES}
        values = {"jwt_private_key": keys.private_pem, **CHEAP_ARGON2, **urls, **overrides}
        return isolation.settings("gateway", GatewaySettings, **values)

    return make


MakeGateway = Callable[..., contextlib.AbstractAsyncContextManager[Gateway]]


@pytest.fixture
def make_gateway(gateway_settings) -> MakeGateway:
    """`async with make_gateway(**settings) as gateway`: one more gateway, own settings."""

    @contextlib.asynccontextmanager
    async def make(**overrides: object) -> AsyncIterator[Gateway]:
        settings = gateway_settings(**overrides)
        upstreams = Upstreams()
        app = create_app(settings, transport=upstreams)
        async with running(app) as client:
            yield Gateway(client, app, settings, upstreams)

    return make


@pytest.fixture(params=["native", "httpx"])
def make_networked_gateway(gateway_settings, request) -> MakeGateway:
    """`make_gateway` without the in-process upstreams: every upstream URL is reached over
    the network by the client `UPSTREAM_CLIENT` names (each test runs with both)."""

    @contextlib.asynccontextmanager
    async def make(**overrides: object) -> AsyncIterator[Gateway]:
        settings = gateway_settings(upstream_client=request.param, **overrides)
        app = create_app(settings)
        async with running(app) as client:
            yield Gateway(client, app, settings, Upstreams())  # these upstreams go unused

    return make


@pytest.fixture
async def gateway(make_gateway) -> AsyncIterator[Gateway]:
    async with make_gateway() as made:
        yield made


@pytest.fixture
def serve() -> Callable[..., contextlib.AbstractAsyncContextManager[str]]:
    """`async with serve(app) as url`: any ASGI app on a real socket (uvicorn)."""
    return served


@pytest.fixture
def serve_gateway(gateway_settings) -> Callable[..., contextlib.AbstractAsyncContextManager[str]]:
    """`async with serve_gateway(**settings) as url`: a gateway on a real socket, with the
    HTTP server's limits it runs with in production and the fake upstreams behind it."""

    @contextlib.asynccontextmanager
    async def serve_one(**overrides: object) -> AsyncIterator[str]:
        settings = gateway_settings(**overrides)
        app = create_app(settings, transport=Upstreams())
        async with served(app, **server_limits(settings)) as url:
            yield url

    return serve_one
