"""Entry point: `create_app(settings, transport)` builds the gateway's FastAPI app.

The gateway consumes no events, so it is built with FastAPI directly rather than with
`create_service_app`: its lifespan opens MongoDB and one shared HTTP client for the upstreams.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import uvicorn
from fastapi import FastAPI

from gateway.api import admin, auth, docs, health, proxy
from gateway.bootstrap import start_gateway, stop_gateway
from gateway.limits import BoundedRequests, RequestLimits
from gateway.request_context import RequestContext
from gateway.settings import GatewaySettings
from gateway.signing import load_signing_keys
from ops_shared.logging import configure_logging
from ops_shared.web import TokenVerifier, install_problem_handlers

DESCRIPTION = ("Staff entry point: sign in at `/auth/token`, then call the services under "
               "`/api/tickets`, `/api/logistics` and `/api/hr` with the bearer token.")


def create_app(settings: GatewaySettings | None = None,
               transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    """Build the app; `transport` replaces the network for the upstream calls (tests)."""
    settings = settings or GatewaySettings()
    configure_logging(settings.service_name, json=settings.log_json, level=settings.log_level)
    keys = load_signing_keys(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.runtime = await start_gateway(settings, keys, transport)
        try:
            yield
        finally:
            await stop_gateway(app.state.runtime)

    app = FastAPI(title="gateway", description=DESCRIPTION, version="0.1.0", lifespan=lifespan,
                  openapi_url=None, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.token_verifier = TokenVerifier(
        keys.public_pem, issuer=settings.jwt_issuer, audience=settings.jwt_audience,
        algorithm=settings.jwt_algorithm, extra_keys=settings.jwt_extra_public_keys)
    install_problem_handlers(app)
    auth.install_lockout_handler(app)
    # Outermost last: ids and the request log first, then the size limits, then the routes.
    app.add_middleware(BoundedRequests, limits=request_limits(settings))
    app.add_middleware(RequestContext, service=settings.service_name)
    for router in (health.router, auth.router, admin.router, docs.router, proxy.router):
        app.include_router(router)
    return app


def request_limits(settings: GatewaySettings) -> RequestLimits:
    return RequestLimits(max_url_bytes=settings.max_url_bytes,
                         max_header_bytes=settings.max_header_bytes,
                         max_body_bytes=settings.max_body_bytes)


def run() -> None:
    settings = GatewaySettings()
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port,
                log_config=None, **server_limits(settings))


def server_limits(settings: GatewaySettings) -> dict[str, int]:
    """The HTTP server's own bound on a request head, just above the gateway's limits."""
    return {"h11_max_incomplete_event_size": request_limits(settings).max_head_bytes}
