"""The gateway's `/metrics` (RED per route, no token), never an upstream's through the proxy;
upstream calls continue the caller's trace."""

from __future__ import annotations

import secrets

from ops_shared.observability import sample


async def test_metrics_count_requests_by_route_and_are_not_proxied(gateway) -> None:
    await gateway.seed()
    headers = await gateway.headers("aftersales1")
    for _ in range(2):
        assert (await gateway.client.get("/api/tickets/echo/x", headers=headers)
                ).status_code == 200
    refused = await gateway.client.get("/api/tickets/metrics", headers=headers)
    assert refused.status_code == 404
    assert gateway.upstreams.seen["tickets"].requests[-1]["path"] == "/echo/x"

    answer = await gateway.client.get("/metrics")  # no token
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    metrics = gateway.app.state.metrics
    assert sample(metrics, "http_requests_total", {
        "route": "/api/{service}/{path:path}", "method": "GET", "status": "200"}) == 2
    assert sample(metrics, "http_requests_total", {
        "route": "/auth/token", "method": "POST", "status": "200"}) == 1
    assert "http_request_duration_seconds_bucket" in answer.text


async def test_an_upstream_call_continues_the_callers_trace(gateway) -> None:
    await gateway.seed()
    trace_id = secrets.token_hex(16)
    headers = {**await gateway.headers("aftersales1"),
               "traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"}
    answer = await gateway.client.get("/api/hr/echo/y", headers=headers)
    assert answer.status_code == 200, answer.text
    forwarded = answer.json()["headers"]["traceparent"]
    assert forwarded.split("-")[1] == trace_id  # same trace ...
    assert forwarded != headers["traceparent"]  # ... from the gateway's own span
