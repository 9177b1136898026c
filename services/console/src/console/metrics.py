"""RED metrics per route at `/metrics`, with prometheus-client (the same names and labels as
the services': `http_requests_total`, `http_request_duration_seconds`).

A small pure-ASGI middleware that sees the status actually sent; the route label is the matched
route's template (`/tickets/{number}`), never the raw path, so label values stay few.
"""

from __future__ import annotations

import time

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ConsoleMetrics:
    """The console's own registry (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.http_requests = Counter(
            "http_requests_total", "HTTP requests answered, by route template, method and status.",
            ("route", "method", "status"), registry=self.registry)
        self.http_duration = Histogram(
            "http_request_duration_seconds", "Time to answer an HTTP request, by route template.",
            ("route", "method"), buckets=BUCKETS, registry=self.registry)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class HttpObservation:
    """Counts each request by route template, method and status, and times it."""

    def __init__(self, app: ASGIApp, *, metrics: ConsoleMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"] if scope["method"] in METHODS else "other"
        status = 500  # unless an answer starts
        started = time.perf_counter()

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            path = getattr(scope.get("route"), "path", None)
            route = path if isinstance(path, str) else UNMATCHED
            self.metrics.http_requests.labels(route, method, str(status)).inc()
            self.metrics.http_duration.labels(route, method).observe(
                time.perf_counter() - started)


router = APIRouter()


@router.get("/metrics", include_in_schema=False)
async def metrics_endpoint(request: Request) -> Response:
    """Prometheus text format; scraped inside the cluster (the ingress does not route it)."""
    metrics: ConsoleMetrics = request.app.state.metrics
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
