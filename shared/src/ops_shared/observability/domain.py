"""The services' own metrics, named once here: the alert rules and dashboards read these names.

A service takes them from `runtime.metrics` in its `bootstrap.wire` (or a scheduler's start)
and counts where the fact happens:

| metric | type | labels | who counts |
|---|---|---|---|
| `sla_warnings_total` | counter | `target` | tickets: SLA warnings raised (T2-T6) |
| `sla_breaches_total` | counter | `target` | tickets: SLA breaches raised |
| `sla_scan_last_success_timestamp_seconds` | gauge | | tickets: end of the last sweep that worked |
| `refunds_issued_total` | counter | | logistics: refunds issued (L7) |
| `ledger_entries_total` | counter | `rule` | hr: points ledger entries, by rule (H-rule id) |
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import Counter, Gauge

from ops_shared.observability.metrics import Metrics


@dataclass(frozen=True)
class SlaMetrics:
    """What the SLA scheduler reports; `last_success` is what the scheduler-silence alert
    watches (`time() - sla_scan_last_success_timestamp_seconds`)."""

    warnings: Counter
    breaches: Counter
    last_success: Gauge


def sla_metrics(metrics: Metrics) -> SlaMetrics:
    return SlaMetrics(
        warnings=metrics.counter("sla_warnings_total",
                                 "SLA warnings raised before a deadline, by target.", ("target",)),
        breaches=metrics.counter("sla_breaches_total",
                                 "SLA breaches raised at a deadline, by target.", ("target",)),
        last_success=metrics.gauge(
            "sla_scan_last_success_timestamp_seconds",
            "Unix time at which this replica's SLA scan last completed without error."),
    )


def refunds_issued(metrics: Metrics) -> Counter:
    """logistics: `refunds_issued(runtime.metrics).inc()` once a refund is committed."""
    return metrics.counter("refunds_issued_total", "Refunds issued (L7).")


def ledger_entries(metrics: Metrics) -> Counter:
    """hr: `ledger_entries(runtime.metrics).labels(rule="H12").inc()` per entry committed."""
    return metrics.counter("ledger_entries_total", "Points ledger entries written, by rule.",
                           ("rule",))
