"""The gateway's `/metrics` and traces: metrics are scraped from each app directly, so the proxy
never serves an upstream's `/metrics`; upstream calls carry the request's trace."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, FastAPI

from ops_shared.observability import (
    HttpObservation,
    Metrics,
    inject_httpx,
    metrics_router,
    setup_tracing,
)
from ops_shared.web import Problem

not_proxied = APIRouter()


@not_proxied.api_route("/api/{service}/metrics", methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                       include_in_schema=False)
async def upstream_metrics(service: str) -> None:
    raise Problem(404, "not-found", "Not found",
                  "metrics are scraped from each service inside the cluster, not through the "
                  "gateway")


def install_observability(app: FastAPI, service: str) -> Metrics:
    """RED metrics and server spans on every request, `/metrics`, and the proxy's refusal of
    upstream metrics (included before the proxy's catch-all route)."""
    setup_tracing(service)
    metrics = Metrics()
    app.state.metrics = metrics
    app.add_middleware(HttpObservation, metrics=metrics)
    app.include_router(metrics_router)
    app.include_router(not_proxied)
    return metrics


def trace_upstream_calls(http: httpx.AsyncClient) -> None:
    """Upstream requests carry `traceparent`: the service's spans join the gateway's trace."""
    http.event_hooks["request"].append(inject_httpx)
