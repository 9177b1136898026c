"""HTTP observation: RED metrics per route template, and `/metrics`.

The server spans come from FastAPI itself: its native telemetry (FastAPI 0.16x, on by default
when OpenTelemetry is installed) continues the caller's `traceparent` around the whole app,
middleware included, and adds spans for dependencies, the endpoint and serialization. So no
instrumentation package is needed, and this middleware only counts: a small pure-ASGI one that
sees the status actually sent (the size refusals included).
"""

from __future__ import annotations

import time

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ops_shared.observability.metrics import Metrics

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
"""The route label of a request no route matched (a 404, or refused before routing)."""
METRICS_PATH = "/metrics"


class HttpObservation:
    """Counts each request by route template, method and status, and times it."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"] if scope["method"] in METHODS else "other"
        status = 500  # unless an answer starts: an unhandled error is answered outside
        started = time.perf_counter()

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            route = route_template(scope)
            self.metrics.http_requests.labels(route, method, str(status)).inc()
            self.metrics.http_duration.labels(route, method).observe(
                time.perf_counter() - started)


def route_template(scope: Scope) -> str:
    """The matched route's path template (`/tickets/{number}`), never the raw path: label
    values stay few whatever the callers send."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED


metrics_router = APIRouter()


@metrics_router.get(METRICS_PATH, include_in_schema=False)
async def metrics_endpoint(request: Request) -> Response:
    """Prometheus text format; no token (scraped inside the cluster, never via the gateway)."""
    metrics: Metrics = request.app.state.metrics
    return Response(await metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
