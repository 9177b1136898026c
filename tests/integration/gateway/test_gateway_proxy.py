"""Routing to the services: authentication first, faithful forwarding, problems when down."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.integration
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "request_id", "service"}


async def test_unauthenticated_calls_are_refused_before_forwarding(gateway, keys) -> None:
    for headers in ({}, {"Authorization": "Bearer not-a-token"},
                    {"Authorization": f"Bearer {keys.token('x', 'presales', ttl=-60)}"}):
        answer = await gateway.client.get("/api/tickets/echo/anything", headers=headers)
        assert answer.status_code == 401
        assert answer.headers["content-type"] == "application/problem+json"
    assert gateway.upstreams.seen["tickets"].requests == []


async def test_a_call_reaches_the_upstream_as_sent(gateway) -> None:
    await gateway.seed()
    headers = {**await gateway.headers("aftersales1"), "X-Request-ID": "req-123",
               "X-Correlation-ID": "corr-456", "Content-Type": "application/json",
               "Connection": "keep-alive, X-Hop", "X-Hop": "secret", "Keep-Alive": "timeout=5"}
    body = json.dumps({"reason": "破损", "amount_fen": 1200})
    answer = await gateway.client.post("/api/logistics/echo/rmas/R-1/refund?dry=1&q=%E9%9E%8B",
                                       content=body.encode(), headers=headers)
    assert answer.status_code == 200, answer.text
    echoed = answer.json()
    assert echoed["service"] == "logistics"
    assert echoed["method"] == "POST"
    assert echoed["path"] == "/echo/rmas/R-1/refund"
    assert echoed["query"] == "dry=1&q=%E9%9E%8B"
    assert json.loads(echoed["body"]) == {"reason": "破损", "amount_fen": 1200}
    seen = echoed["headers"]
    assert seen["authorization"] == headers["Authorization"]
    assert seen["x-request-id"] == "req-123"
    assert seen["x-correlation-id"] == "corr-456"
    assert not {"x-hop", "keep-alive"} & seen.keys()
    assert answer.headers["x-upstream"] == "logistics"
    assert answer.headers["x-request-id"] == "req-123"


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
async def test_the_upstreams_status_and_body_come_back(gateway, method: str) -> None:
    await gateway.seed()
    answer = await gateway.client.request(method, "/api/hr/echo/leave?status=409",
                                          headers=await gateway.headers("supervisor1"))
    assert answer.status_code == 409
    assert answer.json()["method"] == method
    assert answer.json()["service"] == "hr"


async def test_unknown_services_are_404(gateway) -> None:
    await gateway.seed()
    answer = await gateway.client.get("/api/payroll/x", headers=await gateway.headers("manager1"))
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


async def test_an_upstream_that_is_down_gives_a_502_problem(gateway) -> None:
    await gateway.seed()
    gateway.upstreams.down.add("tickets")
    answer = await gateway.client.get("/api/tickets/echo/t",
                                      headers=await gateway.headers("presales1"))
    assert answer.status_code == 502
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"].endswith("/upstream-unavailable")
    assert set(answer.json()) <= PROBLEM_KEYS


async def test_an_upstream_that_times_out_gives_a_504_problem(gateway) -> None:
    await gateway.seed()
    gateway.upstreams.slow.add("logistics")
    answer = await gateway.client.get("/api/logistics/echo/t",
                                      headers=await gateway.headers("warehouse1"))
    assert answer.status_code == 504
    assert answer.json()["type"].endswith("/upstream-timeout")
    assert set(answer.json()) <= PROBLEM_KEYS


async def test_one_openapi_merges_the_upstreams_under_their_prefix(gateway) -> None:
    gateway.upstreams.down.add("hr")
    document = (await gateway.client.get("/openapi.json")).json()
    paths = document["paths"]
    assert {"/auth/token", "/admin/accounts", "/api/tickets/items",
            "/api/logistics/items", "/api/tickets/healthz"} <= paths.keys()
    assert not any(p.startswith("/api/hr/") for p in paths)
    assert document["info"]["x-unavailable"] == ["hr"]
    schemas = document["components"]["schemas"]
    assert {"Item", "logistics_Item", "HTTPValidationError"} <= schemas.keys()
    logistics_ref = (paths["/api/logistics/items"]["post"]["requestBody"]["content"]
                     ["application/json"]["schema"]["$ref"])
    assert logistics_ref == "#/components/schemas/logistics_Item"
    operation_ids = [op["operationId"] for item in paths.values() for op in item.values()
                     if isinstance(op, dict) and "operationId" in op]
    assert len(operation_ids) == len(set(operation_ids))


async def test_upstream_schemas_are_cached_and_docs_serve_the_merged_one(gateway) -> None:
    for _ in range(3):
        assert (await gateway.client.get("/openapi.json")).status_code == 200
    assert gateway.upstreams.seen["tickets"].openapi_fetches == 1
    docs = await gateway.client.get("/docs")
    assert docs.status_code == 200
    assert "/openapi.json" in docs.text


async def test_readiness_lists_each_service_and_stays_ready_when_one_is_down(gateway) -> None:
    ready = await gateway.client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready"
    assert set(ready.json()["checks"]) == {"mongo", "rabbitmq"}
    assert ready.json()["services"] == {name: {"ok": True, "status": 200}
                                        for name in ("tickets", "logistics", "hr")}
    gateway.upstreams.down.add("hr")
    degraded = await gateway.client.get("/readyz")
    assert degraded.status_code == 200  # the gateway still serves the other services
    assert degraded.json()["status"] == "degraded"
    assert degraded.json()["services"]["hr"] == {"ok": False, "error": "ConnectError"}
    assert degraded.json()["services"]["tickets"]["ok"] is True
    assert (await gateway.client.get("/healthz")).json() == {"status": "alive"}
