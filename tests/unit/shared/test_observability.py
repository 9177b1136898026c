"""Metrics (one registry per app, RED per route template), trace context helpers, trace ids in
logs, and the draining readiness answer."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry import trace
from prometheus_client.parser import text_string_to_metric_families

from ops_shared.logging import configure_logging, get_logger
from ops_shared.observability import (
    HttpObservation,
    Metrics,
    extract,
    inject,
    inject_httpx,
    ledger_entries,
    metrics_router,
    outbox_trace_headers,
    refunds_issued,
    sample,
    setup_tracing,
    sla_metrics,
    tracer,
)
from ops_shared.serving import Draining

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


@pytest.fixture(scope="module", autouse=True)
def _tracing() -> None:
    setup_tracing("unit")


def test_each_metrics_has_its_own_registry() -> None:
    one, two = Metrics(), Metrics()
    one.outbox_published.inc(3)
    assert sample(one, "outbox_published_total") == 3
    assert sample(two, "outbox_published_total") == 0


def test_the_names_the_alert_rules_read() -> None:
    metrics = Metrics()
    sla = sla_metrics(metrics)
    sla.last_success.set(1700000000)
    text = _exposition(metrics)
    for name in ("outbox_pending", "outbox_oldest_age_seconds",
                 "sla_scan_last_success_timestamp_seconds", "outbox_published_total",
                 "events_consumed_total", "event_handler_duration_seconds",
                 "events_redelivered_total", "inbox_duplicates_total", "dead_letters_total",
                 "event_latency_seconds", "http_requests_total",
                 "http_request_duration_seconds"):
        assert f"# TYPE {name.removesuffix('_total')} " in text or f"# TYPE {name} " in text, name


def test_domain_metrics_are_made_once_per_registry() -> None:
    metrics = Metrics()
    refunds_issued(metrics).inc()
    refunds_issued(metrics).inc()
    ledger_entries(metrics).labels(rule="H12").inc()
    sla_metrics(metrics).breaches.labels("first_response").inc()
    assert sample(metrics, "refunds_issued_total") == 2
    assert sample(metrics, "ledger_entries_total", {"rule": "H12"}) == 1
    assert sample(metrics, "sla_breaches_total", {"target": "first_response"}) == 1
    with pytest.raises(ValueError, match="already exists"):
        metrics.gauge("refunds_issued_total", "not a gauge")


def _app() -> tuple[FastAPI, Metrics]:
    app = FastAPI()
    metrics = Metrics()
    app.state.metrics = metrics
    app.add_middleware(HttpObservation, metrics=metrics)
    app.include_router(metrics_router)

    @app.get("/things/{thing_id}")
    async def get_thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id, **(dict(zip(("trace", "span"), _ids(), strict=True)))}

    @app.get("/broken")
    async def broken() -> None:
        raise RuntimeError("boom")

    return app, metrics


def _ids() -> tuple[str, str]:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x"), format(ctx.span_id, "016x")


async def test_red_metrics_by_route_template_method_and_status() -> None:
    app, metrics = _app()
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for n in range(3):
            assert (await client.get(f"/things/t{n}")).status_code == 200
        assert (await client.get("/nowhere/at/all")).status_code == 404
        assert (await client.get("/broken")).status_code == 500
        answer = await client.get("/metrics")
    assert answer.headers["content-type"].startswith("text/plain")
    assert sample(metrics, "http_requests_total",
                  {"route": "/things/{thing_id}", "method": "GET", "status": "200"}) == 3
    assert sample(metrics, "http_requests_total",
                  {"route": "unmatched", "method": "GET", "status": "404"}) == 1
    assert sample(metrics, "http_requests_total",
                  {"route": "/broken", "method": "GET", "status": "500"}) == 1
    assert sample(metrics, "http_request_duration_seconds_count",
                  {"route": "/things/{thing_id}", "method": "GET"}) == 3
    families = {f.name for f in text_string_to_metric_families(answer.text)}
    assert {"http_requests", "outbox_pending"} <= families


async def test_a_request_continues_the_callers_trace() -> None:
    app, _ = _app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        answer = (await client.get("/things/a", headers={"traceparent": TRACEPARENT})).json()
        fresh = (await client.get("/things/b")).json()
    assert answer["trace"] == TRACEPARENT.split("-")[1]
    assert answer["span"] != TRACEPARENT.split("-")[2]  # the server's own span
    assert fresh["trace"] != answer["trace"] and int(fresh["trace"], 16) != 0


def test_trace_context_round_trips_through_headers() -> None:
    with tracer().start_as_current_span("work"):
        trace_id, span_id = _ids()
        stored = outbox_trace_headers()
    assert stored["traceparent"].startswith(f"00-{trace_id}-{span_id}-")
    amqp_headers = {"traceparent": stored["traceparent"].encode(), "x-attempt": 1}
    with tracer().start_as_current_span("consume", context=extract(amqp_headers)):
        assert _ids()[0] == trace_id
        assert inject({})["traceparent"].split("-")[1] == trace_id


async def test_upstream_calls_carry_the_current_trace() -> None:
    seen: list[str] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("traceparent", ""))
        return httpx.Response(200)

    client = httpx.AsyncClient(transport=httpx.MockTransport(upstream),
                               event_hooks={"request": [inject_httpx]})
    async with client:
        with tracer().start_as_current_span("gateway"):
            trace_id, span_id = _ids()
            await client.get("http://upstream/x", headers={"traceparent": TRACEPARENT})
    assert len(seen) == 1  # the caller's value is replaced by the current span's
    assert seen[0].startswith(f"00-{trace_id}-{span_id}-")


def test_log_lines_carry_trace_and_span_ids() -> None:
    stream = io.StringIO()
    configure_logging("unit", json=True, stream=stream)
    log = get_logger("test")
    with tracer().start_as_current_span("work"):
        trace_id, span_id = _ids()
        log.info("inside")
    log.info("outside")
    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert (inside["trace_id"], inside["span_id"]) == (trace_id, span_id)
    assert "trace_id" not in outside


async def test_draining_fails_readiness_and_keeps_the_rest() -> None:
    app = FastAPI()

    @app.get("/readyz")
    async def readyz() -> dict[str, str]:
        return {"status": "ready"}

    @app.get("/work")
    async def work() -> dict[str, str]:
        return {"done": "yes"}

    gate = Draining(app)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gate),
                                 base_url="http://t") as client:
        assert (await client.get("/readyz")).status_code == 200
        gate.draining = True
        answer = await client.get("/readyz")
        assert (answer.status_code, answer.json()) == (503, {"status": "draining"})
        assert (await client.get("/work")).status_code == 200


def _exposition(metrics: Metrics) -> str:
    from prometheus_client import generate_latest

    return generate_latest(metrics.registry).decode()
