"""The remaining routes: lists and reads of recalls, problem parcels and re-shipments, a failed
recall, closing an RMA, a missing refund; every answer is JSON or problem details."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from logistics_support import order_id, receipt_event

pytestmark = pytest.mark.integration


async def test_l10_failed_recall_and_recall_lists(service) -> None:
    answer = await service.post(f"/orders/{order_id()}/cancellation", {
        "printed": True, "paid_fen": 100, "reason": "r", "tracking_number": "T-F"},
        role="order_desk")
    number = answer.json()["recall"]["number"]
    failed = await service.post(f"/recalls/{number}/failure", {"reason": "快递已签收"})
    assert failed.status_code == 200 and failed.json()["state"] == "failed"
    again = await service.post(f"/recalls/{number}/failure", {"reason": "x"})
    assert again.status_code == 409 and again.json()["current_state"] == "failed"
    listed = (await service.get("/recalls", state="failed")).json()
    assert number in [r["number"] for r in listed]
    assert (await service.get("/recalls/RC-20000101-0001")).status_code == 404
    assert (await service.get("/recalls/bad")).status_code == 422
    assert (await service.post(f"/recalls/{number}/failure", {"reason": "x"},
                               role="warehouse")).status_code == 403


async def test_l14_close_after_refund_and_refund_reads(service) -> None:
    rma = await service.rma()
    number = rma["number"]
    assert (await service.get(f"/rmas/{number}/refund")).status_code == 404
    await service.post("/receipts", receipt_event(rma_number=number).model_dump(mode="json"),
                       role="warehouse")
    closed = await service.post(f"/rmas/{number}/close", {"note": "完成"})
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert closed.json()["allowed_next"] == []
    assert (await service.get(f"/rmas/{number}/refund")).json()["subject"] == number


async def test_l12_case_lists_and_reads(service) -> None:
    due = (datetime.now(UTC) + timedelta(hours=3)).isoformat()
    made = await service.post("/problem-parcels", {
        "kind": "problem", "order_id": order_id(), "tracking_number": "P-1",
        "description": "疑难件", "next_action_at": due})
    case_id = made.json()["case_id"]
    listed = (await service.get("/problem-parcels", open_only="true")).json()
    assert case_id in [c["case_id"] for c in listed]
    reship = await service.post("/reshipments", {
        "order_id": made.json()["order_id"], "original_tracking": "P-1", "reason": "重发",
        "problem_case_id": case_id})
    assert reship.status_code == 201, reship.text
    read = (await service.get(f"/reshipments/{reship.json()['case_id']}")).json()
    assert read["problem_case_id"] == case_id
    unknown = await service.post("/reshipments", {
        "order_id": "o", "original_tracking": "t", "reason": "r",
        "problem_case_id": "PP-20000101-0001"})
    assert unknown.status_code == 404
    assert (await service.get("/reshipments/RS-20000101-0001")).status_code == 404
    bad = await service.client.patch(f"/problem-parcels/{case_id}", json={"state": "lost"},
                                     headers=service.as_("aftersales"))
    assert bad.status_code == 422


async def test_idempotency_key_and_staff_times(service) -> None:
    body = {"kind": "return", "order_id": order_id(), "reason": "r", "customer_id": "c",
            "items": [{"sku": "A", "quantity": 1}]}
    headers = {**service.as_("aftersales", "as-idem"), "Idempotency-Key": "open-1"}
    first = await service.client.post("/rmas", json=body, headers=headers)
    again = await service.client.post("/rmas", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["number"] == first.json()["number"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert first.json()["opened_at"].endswith("+08:00")
    timeline = (await service.get(f"/rmas/{first.json()['number']}/timeline")).json()
    assert timeline[0]["at"].endswith("+08:00")
    unknown = await service.get("/rmas", colour="red")
    assert unknown.status_code == 422
