"""Receipts by warehouse staff (L4, L6) and refunds (L7, L3) through the API: matching order,
unidentified parcels, the same receipt id twice, disputes, overrides, exactly once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

pytestmark = pytest.mark.integration


def receipt(**fields: Any) -> dict[str, Any]:
    return {"receipt_id": f"WR-{uuid.uuid4().hex[:10]}",
            "received_at": datetime.now(UTC).isoformat(), "inspector": "warehouse-07",
            "signed_by": "张三",
            "items": [{"sku": "WOOL-38", "quantity": 1, "intact": True, "box_complete": True,
                       "resellable": True}], **fields}


async def record(service, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
    answer = await service.post("/receipts", body, role="warehouse", staff_id="wh-1")
    assert answer.status_code == status, answer.text
    return answer.json()


async def test_l6_l7_receipt_by_rma_number_refunds_at_once(service) -> None:
    rma = await service.rma(quality_claim=True, photos=["p/1.jpg"])
    number = rma["number"]
    await service.post(f"/rmas/{number}/tracking", {"tracking_number": f"SF{uuid.uuid4().hex[:8]}",
                                                    "return_postage_fen": 1000})
    await service.post(f"/rmas/{number}/quality-decision", {"verdict": "confirmed"})
    recorded = await record(service, receipt(rma_number=number))
    assert recorded["matched_number"] == number and recorded["matched_by"] == "rma_number"
    after = (await service.get(f"/rmas/{number}")).json()
    assert after["state"] == "refunded" and after["inspection"]["passed"] is True
    refund = (await service.get(f"/rmas/{number}/refund")).json()
    assert refund["items_fen"] == 29900 and refund["postage_fen"] == 1000
    assert refund["amount_fen"] == 30900 and refund["issued_by"] == "logistics"


async def test_l6_match_order_rma_number_then_tracking_then_customer(service) -> None:
    by_tracking = await service.rma()
    tracking = f"YT{uuid.uuid4().hex[:8]}"
    await service.post(f"/rmas/{by_tracking['number']}/tracking", {"tracking_number": tracking})
    wrong_number = await record(service, receipt(rma_number="RMA-20000101-0001",
                                                 tracking_number=tracking))
    assert wrong_number["matched_number"] == by_tracking["number"]
    assert wrong_number["matched_by"] == "tracking_number"
    by_customer = await service.rma()
    customer = by_customer["card"]["customer_id"]
    found = await record(service, receipt(customer_ref=customer, tracking_number="UNKNOWN1"))
    assert found["matched_number"] == by_customer["number"]
    assert found["matched_by"] == "customer_ref"


async def test_l6_unidentified_parcel_becomes_a_task_then_applies(service) -> None:
    body = receipt(customer_ref=f"tb_nobody_{uuid.uuid4().hex[:6]}")
    recorded = await record(service, body)
    assert recorded["matched_number"] is None and recorded["task_id"] == f"PT-{body['receipt_id']}"
    tasks = (await service.get("/parcel-tasks")).json()
    assert recorded["task_id"] in [t["task_id"] for t in tasks]
    masked = (await service.get(f"/receipts/{body['receipt_id']}", role="order_desk")).json()
    assert masked["customer_ref"] != body["customer_ref"]
    rma = await service.rma()
    wrong = await service.post(f"/parcel-tasks/{recorded['task_id']}/resolution",
                               {"number": "RMA-20000101-0001"})
    assert wrong.status_code == 404
    resolved = await service.post(f"/parcel-tasks/{recorded['task_id']}/resolution",
                                  {"number": rma["number"], "note": "客户来电确认"})
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["state"] == "resolved"
    assert (await service.get(f"/rmas/{rma['number']}")).json()["state"] == "refunded"
    again = await service.post(f"/parcel-tasks/{recorded['task_id']}/resolution",
                               {"number": rma["number"]})
    assert again.status_code == 409 and again.json()["current_state"] == "resolved"


async def test_l6_same_receipt_id_twice_is_one_receipt(service) -> None:
    rma = await service.rma()
    body = receipt(rma_number=rma["number"])
    first = await record(service, body)
    second = await record(service, {**body, "signed_by": "李四"}, status=200)
    assert second["signed_by"] == first["signed_by"] == "张三"
    assert len(await service.refunds(rma["number"])) == 1


async def test_l4_failed_inspection_opens_a_dispute_then_settles(service) -> None:
    rma = await service.rma(items=[{"sku": "WOOL-38", "quantity": 1, "unit_paid_fen": 20000},
                                   {"sku": "RUBBER-40", "quantity": 1, "unit_paid_fen": 10000}],
                            staff_id="as-owner")
    number = rma["number"]
    body = receipt(rma_number=number, items=[
        {"sku": "WOOL-38", "quantity": 1, "intact": True, "box_complete": True,
         "resellable": True},
        {"sku": "RUBBER-40", "quantity": 1, "intact": True, "box_complete": False,
         "resellable": True, "note": "鞋盒缺失"}])
    await record(service, body)
    disputed = (await service.get(f"/rmas/{number}")).json()
    assert disputed["state"] == "disputed"
    assert disputed["dispute"]["owner_id"] == "as-owner"
    assert disputed["next_action_at"] is not None
    refused = await service.post(f"/rmas/{number}/refund", {})
    assert refused.status_code == 409 and refused.json()["current_state"] == "disputed"
    settled = await service.post(f"/rmas/{number}/dispute/settlement",
                                 {"accept_rejected": False, "note": "只退合格的"})
    assert settled.status_code == 200, settled.text
    assert settled.json()["state"] == "refunded"
    refund = (await service.get(f"/rmas/{number}/refund")).json()
    assert refund["amount_fen"] == 20000


async def test_l7_unsigned_receipt_is_not_refunded(service) -> None:
    rma = await service.rma()
    await record(service, receipt(rma_number=rma["number"], signed_by=None))
    after = (await service.get(f"/rmas/{rma['number']}")).json()
    assert after["state"] == "disputed" and "receipt not signed" in after["dispute"]["reason"]
    assert await service.refunds(rma["number"]) == []


async def test_l7_amounts_missing_then_entered_then_refunded_once(service) -> None:
    rma = await service.rma(items=[{"sku": "WOOL-38", "quantity": 1}])
    number = rma["number"]
    await record(service, receipt(rma_number=number))
    received = (await service.get(f"/rmas/{number}")).json()
    assert received["state"] == "received"
    refused = await service.post(f"/rmas/{number}/refund", {})
    assert refused.status_code == 409 and refused.json()["type"].endswith("amounts-missing")
    await service.client.put(f"/rmas/{number}/amounts", json={"amounts": {"WOOL-38": 18800}},
                             headers=service.as_("aftersales"))
    issued = await service.post(f"/rmas/{number}/refund", {})
    assert issued.status_code == 201, issued.text
    assert issued.json()["amount_fen"] == 18800
    twice = await service.post(f"/rmas/{number}/refund", {})
    assert twice.status_code == 409
    assert len(await service.refunds(number)) == 1


async def test_l7_override_needs_a_supervisor_and_a_reason(service) -> None:
    rma = await service.rma()
    number = rma["number"]
    not_received = await service.post(f"/rmas/{number}/refund", {})
    assert not_received.status_code == 409
    assert not_received.json()["type"].endswith("inspection-required")
    agent = await service.post(f"/rmas/{number}/refund", {"override_reason": "老客户"})
    assert agent.status_code == 403
    empty = await service.post(f"/rmas/{number}/refund", {"override_reason": ""},
                               role="supervisor")
    assert empty.status_code == 422
    done = await service.post(f"/rmas/{number}/refund", {"override_reason": "快递丢件"},
                              role="supervisor", staff_id="sup-1")
    assert done.status_code == 201, done.text
    assert done.json()["override_reason"] == "快递丢件"


async def test_receipt_bad_input_and_roles(service) -> None:
    assert (await service.post("/receipts", receipt(), role="aftersales")).status_code == 403
    for bad in (receipt(items=[]), receipt(received_at="2026-11-26T10:00:00"),
                {**receipt(), "receipt_id": ""}, {**receipt(), "extra": 1}):
        answer = await service.post("/receipts", bad, role="warehouse")
        assert answer.status_code == 422, answer.text
    assert (await service.get("/receipts/WR-nope")).status_code == 404
    assert (await service.post("/parcel-tasks/PT-nope/resolution",
                               {"number": "bad"})).status_code == 422
