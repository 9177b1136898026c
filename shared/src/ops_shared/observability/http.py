"""HTTP observation: RED metrics per route template and a server span per request; `/metrics`.

A small pure-ASGI middleware rather than `opentelemetry-instrumentation-fastapi`: one place
reads the route template for both the metrics and the span name, it adds no dependency beyond
the OpenTelemetry SDK, and it sees the status actually sent (the size refusals included).
"""

from __future__ import annotations

import time

from fastapi import APIRouter, Request, Response
from opentelemetry.trace import SpanKind, Status, StatusCode
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ops_shared.observability.metrics import Metrics
from ops_shared.observability.tracing import extract, tracer

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
"""The route label of a request no route matched (a 404, or refused before routing)."""
METRICS_PATH = "/metrics"


class HttpObservation:
    """Counts each request by route template, method and status, times it, and runs it in a
    server span that continues the caller's `traceparent`."""

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

        parent = extract(dict(Headers(scope=scope)))
        with tracer().start_as_current_span(method, context=parent, kind=SpanKind.SERVER) as span:
            try:
                await self.app(scope, receive, observed)
            finally:
                route = route_template(scope)
                span.update_name(f"{method} {route}")
                span.set_attribute("http.request.method", method)
                span.set_attribute("http.route", route)
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(Status(StatusCode.ERROR))
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
