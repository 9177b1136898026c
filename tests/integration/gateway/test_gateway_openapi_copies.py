"""The merged OpenAPI keeps each service's last good document (issue 7, item 9): a stalled or
unreachable service's routes stay, and the document says which services are stale."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


async def _merged(gateway) -> dict:
    answer = await gateway.client.get("/openapi.json")
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_a_stalled_or_unreachable_service_keeps_its_routes_marked_stale(
        make_gateway) -> None:
    async with make_gateway(openapi_cache_s=0) as gateway:
        first = await _merged(gateway)
        assert "/api/hr/items" in first["paths"]
        assert first["info"]["x-stale-services"] == []
        assert set(first["info"]["x-fetched-at"]) == {"tickets", "logistics", "hr"}

        for failure in (gateway.upstreams.slow, gateway.upstreams.down):
            failure.add("hr")
            merged = await _merged(gateway)
            assert merged["paths"]["/api/hr/items"] == first["paths"]["/api/hr/items"]
            assert merged["info"]["x-stale-services"] == ["hr"]
            assert merged["info"]["x-unavailable"] == []
            assert merged["info"]["x-fetched-at"]["hr"] == first["info"]["x-fetched-at"]["hr"]
            failure.discard("hr")
        assert gateway.upstreams.seen["tickets"].openapi_fetches == 3  # the others read afresh

        back = await _merged(gateway)
        assert back["info"]["x-stale-services"] == []
        assert gateway.upstreams.seen["hr"].openapi_fetches == 2


async def test_a_gateway_started_while_a_service_is_down_serves_the_stored_copy(
        make_gateway) -> None:
    async with make_gateway() as earlier:
        assert "/api/logistics/items" in (await _merged(earlier))["paths"]
        database = earlier.settings.mongo_db
    async with make_gateway(mongo_db=database) as restarted:
        restarted.upstreams.down.add("logistics")
        merged = await _merged(restarted)
        assert "/api/logistics/items" in merged["paths"]
        assert merged["info"]["x-stale-services"] == ["logistics"]
        assert merged["info"]["x-unavailable"] == []


async def test_a_service_never_read_is_reported_unavailable(gateway) -> None:
    gateway.upstreams.down.add("tickets")
    merged = await _merged(gateway)
    assert not any(path.startswith("/api/tickets/") for path in merged["paths"])
    assert merged["info"]["x-unavailable"] == ["tickets"]
    assert merged["info"]["x-stale-services"] == []
