"""Entry point: `create_app(settings, transport)` builds the gateway's FastAPI app.

The gateway consumes no events, so it is built with FastAPI directly rather than with
`create_service_app`: its lifespan opens MongoDB and one shared HTTP client for the upstreams.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from fastapi import FastAPI
from starlette.types import ASGIApp

from gateway.api import account_list, admin, auth, docs, health, keys, proxy
from gateway.bootstrap import start_gateway, stop_gateway
from gateway.front_door import CORSMiddleware, cors_options, security_headers
from gateway.limits import BoundedRequests, RequestLimits
from gateway.observability import install_observability, trace_upstream_calls
from gateway.openapi import RATE_LIMITED
from gateway.rate_limits import FrontDoorLimits
from gateway.settings import GatewaySettings
from gateway.signing import load_signing_keys, public_jwk
from gateway.token_cache import CachingTokenVerifier
from ops_shared.logging import configure_logging
from ops_shared.serving import http_options, serve
from ops_shared.web import RequestContext, install_problem_handlers
from ops_shared.web.openapi_docs import add_response, document_problems, operations

DESCRIPTION = ("Staff entry point: sign in at `/auth/token`, then call the services under "
               "`/api/tickets`, `/api/logistics` and `/api/hr` with the bearer token.")


def create_app(settings: GatewaySettings | None = None,
               transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    """Build the app; `transport` replaces the network for the upstream calls (tests)."""
    settings = settings or GatewaySettings()
    configure_logging(settings.service_name, json=settings.log_json, level=settings.log_level)
    signing_keys = load_signing_keys(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.runtime = await start_gateway(settings, signing_keys, transport)
        trace_upstream_calls(app.state.runtime.http)
        try:
            yield
        finally:
            await stop_gateway(app.state.runtime)

    app = GatewayApp(title="gateway", description=DESCRIPTION, version="0.1.0",
                     lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.token_verifier = CachingTokenVerifier(
        signing_keys.public_pem, issuer=settings.jwt_issuer, audience=settings.jwt_audience,
        algorithm=settings.jwt_algorithm, extra_keys=settings.jwt_extra_public_keys)
    app.state.jwks = [public_jwk(signing_keys.private_key.public_key()),
                      *(public_jwk(load_pem_public_key(pem.encode()))  # type: ignore[arg-type]
                        for pem in settings.jwt_extra_public_keys)]  # accepted while rotating
    app.state.rate_limits = FrontDoorLimits.from_settings(settings)
    install_problem_handlers(app)
    document_problems(app, extra=rate_limited_answers, unknown_query_refused=False)
    auth.install_lockout_handler(app)
    # Outermost last: ids and the request log, then CORS (answers preflights), then the size
    # limits, then the routes. The security headers wrap even the server-error answers.
    app.add_middleware(BoundedRequests, limits=request_limits(settings))
    cors = cors_options(settings)
    if cors is not None:
        app.add_middleware(CORSMiddleware, **cors)  # type: ignore[arg-type]
    app.add_middleware(RequestContext, title=settings.service_name)
    install_observability(app, settings.service_name)  # outermost
    # The proxy first: most requests are proxied, and the routes are matched in this order.
    app.router.routes.append(proxy.route)
    for router in (health.router, keys.router, auth.router, account_list.router, admin.router,
                   docs.router):
        app.include_router(router)
    return app


class GatewayApp(FastAPI):
    """FastAPI with the security headers outside everything, the 500 answers included."""

    def build_middleware_stack(self) -> ASGIApp:
        return security_headers(super().build_middleware_stack(), self.state.settings)


def rate_limited_answers(document: dict[str, Any]) -> None:
    """Every signed-in route of the gateway's own may answer 429 (the API rate limit)."""
    for operation in operations(document):
        if operation.get("security"):
            add_response(operation.setdefault("responses", {}), 429, RATE_LIMITED)


def request_limits(settings: GatewaySettings) -> RequestLimits:
    return RequestLimits(max_url_bytes=settings.max_url_bytes,
                         max_header_bytes=settings.max_header_bytes,
                         max_body_bytes=settings.max_body_bytes)


def run() -> None:
    settings = GatewaySettings()
    serve(create_app(settings), settings, max_head_bytes=request_limits(settings).max_head_bytes)


def server_limits(settings: GatewaySettings) -> dict[str, Any]:
    """uvicorn options of the gateway (tests, bench): the production server (uvloop and
    httptools when installed), its bound on a request head just above the gateway's limits."""
    return http_options(request_limits(settings).max_head_bytes)
