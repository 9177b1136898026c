"""T1 with `Idempotency-Key`: a client that retries an opening after a timeout gets the first
ticket, not a duplicate (issue 7, item 3)."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.integration


def _body(customer_id: str) -> dict:
    return {"customer_id": customer_id, "channel": "im", "kind": "aftersales",
            "description": "鞋子开胶了", "importance": "low", "urgency": "low"}


async def test_t1_a_retried_opening_with_the_same_key_gives_the_first_ticket(service) -> None:
    customer = await service.customer()
    headers = {**service.as_("aftersales", "as-idem-1"), "Idempotency-Key": uuid.uuid4().hex}
    first = await service.client.post("/tickets", json=_body(customer), headers=headers)
    again = await service.client.post("/tickets", json=_body(customer), headers=headers)
    assert first.status_code == 201, first.text
    assert again.status_code == 201, again.text
    assert again.json()["number"] == first.json()["number"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    listed = await service.client.get("/tickets", params={"customer_id": customer},
                                      headers=service.as_("manager"))
    assert [t["number"] for t in listed.json()["items"]] == [first.json()["number"]]


async def test_t1_the_same_key_with_another_body_is_refused(service) -> None:
    customer = await service.customer()
    headers = {**service.as_("aftersales", "as-idem-2"), "Idempotency-Key": uuid.uuid4().hex}
    first = await service.client.post("/tickets", json=_body(customer), headers=headers)
    other = await service.client.post(
        "/tickets", json={**_body(customer), "description": "另一件事"}, headers=headers)
    assert first.status_code == 201, first.text
    assert other.status_code == 422, other.text
    assert other.headers["content-type"].startswith("application/problem+json")
    assert "Idempotency-Key" in other.text or "idempotency" in other.text.lower()


async def test_t1_openings_without_a_key_are_not_deduplicated(service) -> None:
    customer = await service.customer()
    headers = service.as_("aftersales", "as-idem-3")
    one = await service.client.post("/tickets", json=_body(customer), headers=headers)
    two = await service.client.post("/tickets", json=_body(customer), headers=headers)
    assert one.status_code == two.status_code == 201
    assert one.json()["number"] != two.json()["number"]
