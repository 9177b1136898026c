"""Prometheus metrics: one registry per app, the metrics every service shares, and a small API
for a service's own (domain) metrics.

Names follow Prometheus conventions: base units (`_seconds`), counters end in `_total`. Some
names are read by the Kubernetes alert rules and must not change: `outbox_pending`,
`outbox_oldest_age_seconds`, `sla_scan_last_success_timestamp_seconds`.

Every app has its own `CollectorRegistry` (never the process-wide default): tests run several
apps in one process, and each `/metrics` shows only its own app. Values that live in the
database (the outbox gauges) are read when `/metrics` is scraped, by `Metrics.on_scrape`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import structlog
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

log = structlog.get_logger(__name__)
M = TypeVar("M", Counter, Gauge, Histogram)
SCRAPE_REFRESH_TIMEOUT_S = 2.0
"""A database read for `/metrics` that takes longer is skipped (the old value is shown)."""
FAST_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
                   1800.0)
"""End-to-end event latency: includes retry delays (seconds to minutes)."""
OTHER = "other"
"""The label value for an event type no contract knows (bounded label values)."""


class Metrics:
    """The registry of one app and the foundation's metrics in it.

    A service adds its own with `counter`, `gauge` and `histogram` (asking twice for the same
    name returns the same metric), e.g. in its `bootstrap.wire` through `runtime.metrics`.
    """

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._made: dict[str, Any] = {}
        self._on_scrape: list[Callable[[], Awaitable[None]]] = []
        # RED per route: requests (rate, errors by status) and their duration.
        self.http_requests = self.counter(
            "http_requests_total", "HTTP requests answered, by route template, method and status.",
            ("route", "method", "status"))
        self.http_duration = self.histogram(
            "http_request_duration_seconds", "Time to answer an HTTP request, by route template.",
            ("route", "method"), buckets=FAST_BUCKETS)
        # The outbox: read from the database at scrape time (every replica sees the same rows).
        self.outbox_pending = self.gauge(
            "outbox_pending", "Outbox rows not yet published (all replicas).")
        self.outbox_oldest_age = self.gauge(
            "outbox_oldest_age_seconds",
            "Age of the oldest outbox row not yet published; 0 when none waits.")
        self.outbox_published = self.counter(
            "outbox_published_total", "Outbox rows this replica published (broker confirmed).")
        # Consumed events.
        self.events_consumed = self.counter(
            "events_consumed_total",
            "Events consumed, by type and outcome (applied, duplicate, retried, dead_lettered).",
            ("type", "outcome"))
        self.handler_duration = self.histogram(
            "event_handler_duration_seconds", "Time one event's handler took, by type.",
            ("type",), buckets=FAST_BUCKETS)
        self.redeliveries = self.counter(
            "events_redelivered_total",
            "Deliveries the broker marked as redelivered (a consumer stopped or failed).",
            ("type",))
        self.inbox_duplicates = self.counter(
            "inbox_duplicates_total", "Events ignored because the inbox already held them.",
            ("type",))
        self.dead_letters = self.counter(
            "dead_letters_total",
            "Events sent to the dead-letter queue, by type and reason (invalid, exhausted).",
            ("type", "reason"))
        self.event_latency = self.histogram(
            "event_latency_seconds",
            "From an event's occurred_at to its effect committed here, by type.",
            ("type",), buckets=LATENCY_BUCKETS)

    def counter(self, name: str, documentation: str, labels: Sequence[str] = ()) -> Counter:
        """A counter (name it `<what>_total`)."""
        return self._make(Counter, name, documentation, labels)

    def gauge(self, name: str, documentation: str, labels: Sequence[str] = ()) -> Gauge:
        return self._make(Gauge, name, documentation, labels)

    def histogram(self, name: str, documentation: str, labels: Sequence[str] = (),
                  buckets: Sequence[float] = FAST_BUCKETS) -> Histogram:
        return self._make(Histogram, name, documentation, labels, buckets=tuple(buckets))

    def _make(self, kind: type[M], name: str, documentation: str, labels: Sequence[str],
              **options: Any) -> M:
        existing = self._made.get(name)
        if existing is not None:
            if not isinstance(existing, kind):
                raise ValueError(f"metric {name} already exists as a {type(existing).__name__}")
            return existing
        metric = kind(name, documentation, tuple(labels), registry=self.registry, **options)
        self._made[name] = metric
        return metric

    def on_scrape(self, refresh: Callable[[], Awaitable[None]]) -> None:
        """Run `refresh` (e.g. read a gauge's value from the database) before each scrape."""
        self._on_scrape.append(refresh)

    async def exposition(self) -> bytes:
        """The text format of every metric, after the scrape-time refreshes."""
        for refresh in self._on_scrape:
            try:
                await asyncio.wait_for(refresh(), timeout=SCRAPE_REFRESH_TIMEOUT_S)
            except Exception as exc:  # the database is away: show the last known values
                log.warning("metrics.refresh_failed", error=f"{type(exc).__name__}: {exc}"[:200])
        return generate_latest(self.registry)


def sample(metrics: Metrics, name: str, labels: dict[str, str] | None = None) -> float | None:
    """The current value of one sample (tests and benchmarks)."""
    return metrics.registry.get_sample_value(name, labels or {})
