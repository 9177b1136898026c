"""Observability: Prometheus metrics (one registry per app), OpenTelemetry traces carried
through the outbox and the broker, and trace ids in the logs."""

from ops_shared.observability.domain import (
    SlaMetrics,
    ledger_entries,
    refunds_issued,
    sla_metrics,
)
from ops_shared.observability.http import (
    METRICS_PATH,
    HttpObservation,
    metrics_router,
    route_template,
)
from ops_shared.observability.metrics import OTHER, Metrics, sample
from ops_shared.observability.tracing import (
    add_trace_ids,
    current_ids,
    extract,
    inject,
    inject_httpx,
    outbox_trace_headers,
    setup_tracing,
    tracer,
)

__all__ = [
    "METRICS_PATH",
    "OTHER",
    "HttpObservation",
    "Metrics",
    "SlaMetrics",
    "add_trace_ids",
    "current_ids",
    "extract",
    "inject",
    "inject_httpx",
    "ledger_entries",
    "metrics_router",
    "outbox_trace_headers",
    "refunds_issued",
    "route_template",
    "sample",
    "setup_tracing",
    "sla_metrics",
    "tracer",
]
