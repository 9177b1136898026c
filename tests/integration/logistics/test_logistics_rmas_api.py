"""RMA routes (L1, L2, L3, L5, L14): opening, numbering, duplicates, the after-sales steps,
masking, and refusals as problem details."""

from __future__ import annotations

import asyncio
import re

import pytest

pytestmark = pytest.mark.integration


async def test_l1_open_rma_is_numbered_and_on_the_timeline(service) -> None:
    rma = await service.rma(staff_id="as-1")
    assert re.fullmatch(r"RMA-\d{8}-\d{4}", rma["number"])
    assert rma["state"] == "opened" and rma["owner_id"] == "as-1"
    assert "in_transit" in rma["allowed_next"]
    timeline = (await service.get(f"/rmas/{rma['number']}/timeline")).json()
    assert [e["action"] for e in timeline] == ["opened"]
    assert timeline[0]["actor_id"] == "as-1"


async def test_l1_numbers_are_unique_under_concurrent_openings(service) -> None:
    rmas = await asyncio.gather(*(service.rma() for _ in range(6)))
    numbers = [r["number"] for r in rmas]
    assert len(set(numbers)) == 6


async def test_l1_second_open_rma_for_same_items_is_refused_naming_it(service) -> None:
    first = await service.rma()
    again = await service.post("/rmas", {
        "kind": "return", "order_id": first["order_id"], "reason": "again",
        "customer_id": "c1", "items": [{"sku": "WOOL-38", "quantity": 1}]})
    assert again.status_code == 409, again.text
    assert again.json()["existing"] == first["number"]
    assert first["number"] in again.json()["detail"]
    other_item = await service.post("/rmas", {
        "kind": "return", "order_id": first["order_id"], "reason": "other item",
        "customer_id": "c1", "items": [{"sku": "RUBBER-40", "quantity": 1}]})
    assert other_item.status_code == 201, other_item.text


async def test_l2_l3_quality_decision_needs_photos_and_moves_postage(service) -> None:
    rma = await service.rma(quality_claim=True)
    number = rma["number"]
    assert rma["postage"]["return_leg_payer"] == "customer"
    refused = await service.post(f"/rmas/{number}/quality-decision", {"verdict": "confirmed"})
    assert refused.status_code == 409 and refused.json()["type"].endswith("photos-required")
    assert (await service.post(f"/rmas/{number}/photos", {"photos": ["img/1.jpg"]})
            ).status_code == 200
    tracked = await service.post(f"/rmas/{number}/tracking", {
        "tracking_number": "SF100", "courier": "SF", "return_postage_fen": 1200})
    assert tracked.json()["state"] == "in_transit"
    decided = await service.post(f"/rmas/{number}/quality-decision",
                                 {"verdict": "confirmed", "note": "开胶"})
    assert decided.status_code == 200, decided.text
    postage = decided.json()["postage"]
    assert postage == {"return_leg_payer": "shop", "outgoing_leg_payer": None,
                       "return_postage_fen": 1200, "outgoing_postage_fen": 0,
                       "customer_advanced_fen": 1200, "owed_to_customer_fen": 1200,
                       "shop_pays_fen": 1200}


async def test_l14_refused_transition_names_current_and_allowed(service) -> None:
    rma = await service.rma()
    number = rma["number"]
    assert (await service.post(f"/rmas/{number}/cancel", {"reason": "客户撤回"})
            ).status_code == 200
    again = await service.post(f"/rmas/{number}/tracking", {"tracking_number": "SF1"})
    assert again.status_code == 409
    body = again.json()
    assert body["type"].endswith("transition-refused")
    assert body["current_state"] == "cancelled" and body["allowed"] == []
    closed = await service.post(f"/rmas/{number}/close", {"note": ""})
    assert closed.status_code == 409 and closed.json()["current_state"] == "cancelled"


async def test_l1_platform_status_amounts_and_owner(service) -> None:
    rma = await service.rma(items=[{"sku": "WOOL-38", "quantity": 2}])
    number = rma["number"]
    answer = await service.client.put(f"/rmas/{number}/platform-status",
                                      json={"status": "waiting_buyer_return"},
                                      headers=service.as_("aftersales"))
    assert answer.json()["platform_status"] == "waiting_buyer_return"
    amounts = await service.client.put(f"/rmas/{number}/amounts",
                                       json={"amounts": {"WOOL-38": 15000}},
                                       headers=service.as_("aftersales"))
    assert amounts.json()["items"] == [{"sku": "WOOL-38", "quantity": 2,
                                        "unit_paid_fen": 15000}]
    unknown = await service.client.put(f"/rmas/{number}/amounts",
                                       json={"amounts": {"NOPE": 1}},
                                       headers=service.as_("aftersales"))
    assert unknown.status_code == 422 and unknown.json()["field"] == "amounts"
    owner = await service.client.put(f"/rmas/{number}/owner", json={"owner_id": "as-9"},
                                     headers=service.as_("supervisor"))
    assert owner.json()["owner_id"] == "as-9"


async def test_roles_and_masking(service) -> None:
    rma = await service.rma()
    number = rma["number"]
    assert rma["card"]["contact_phone"] == "13812345678"
    seen = (await service.get(f"/rmas/{number}", role="warehouse")).json()
    assert seen["card"]["contact_phone"] == "138****5678"
    assert seen["card"]["contact_name"] == "张**"
    assert "文三路" not in seen["card"]["address"]
    forbidden = await service.post("/rmas", {"kind": "return"}, role="warehouse")
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"].startswith("application/problem+json")
    unauthenticated = await service.client.get(f"/rmas/{number}")
    assert unauthenticated.status_code == 401


async def test_bad_input_is_a_problem_not_a_500(service) -> None:
    for body in ({}, {"kind": "swap"}, {"kind": "return", "order_id": "x", "reason": "r",
                                        "customer_id": "c", "items": []},
                 {"kind": "exchange", "order_id": "x", "reason": "r", "customer_id": "c",
                  "items": [{"sku": "A", "quantity": 1}]},
                 {"kind": "return", "order_id": "x" * 500, "reason": "r", "customer_id": "c",
                  "items": [{"sku": "A", "quantity": 1, "unit_paid_fen": -1}]}):
        answer = await service.post("/rmas", body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
    missing = await service.get("/rmas/RMA-20200101-9999")
    assert missing.status_code == 404
    malformed = await service.get("/rmas/not-a-number")
    assert malformed.status_code == 422
    listing = await service.get("/rmas", open_only="true", limit=5)
    assert listing.status_code == 200 and len(listing.json()) <= 5
