"""The console's /metrics (issue 11, item 5): RED per route template, in Prometheus format."""

from __future__ import annotations

import httpx
from console.main import create_app
from console.settings import ConsoleSettings
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families


def gateway(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"status": "ok"})


def samples(client: TestClient, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    text = client.get("/metrics").text
    return {tuple(sorted(s.labels.items())): s.value
            for family in text_string_to_metric_families(text)
            for s in family.samples if s.name == name}


def test_requests_are_counted_by_route_template_method_and_status() -> None:
    app = create_app(ConsoleSettings(), transport=httpx.MockTransport(gateway))
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200
        assert client.get("/no/such/page").status_code == 404
        counted = samples(client, "http_requests_total")
        durations = samples(client, "http_request_duration_seconds_count")
    assert counted[(("method", "GET"), ("route", "/readyz"), ("status", "200"))] == 1
    assert counted[(("method", "GET"), ("route", "unmatched"), ("status", "404"))] == 1
    assert durations[(("method", "GET"), ("route", "/readyz"))] == 1
    assert not any(dict(labels)["route"] == "/no/such/page" for labels in counted)
