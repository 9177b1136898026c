"""Exchange routes (L8, L9), problem parcels and re-shipments (L12), the ship-date promise
(L13) and the returns report, with their refusals as problem details."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from logistics_support import order_id, receipt_event
from openpyxl import load_workbook

from support.ticketing import tap
from support.wait import eventually

pytestmark = pytest.mark.integration


async def _exchange(service) -> dict:
    return await service.rma(kind="exchange", wanted_replacement="WOOL-37")


async def test_l8_exchange_order_appears_after_inspection_then_ships(service, amqp_url) -> None:
    rma = await _exchange(service)
    number = rma["number"]
    early = await service.post(f"/rmas/{number}/exchange/shipment",
                               {"tracking_number": "SF-X"}, role="warehouse")
    assert early.status_code == 409 and early.json()["type"].endswith("return-not-received")
    await service.post("/receipts", {**receipt_event(rma_number=number).model_dump(
        mode="json")}, role="warehouse")
    pending = (await service.get("/exchange-orders", role="order_desk")).json()
    assert number in [r["number"] for r in pending]
    async with tap(amqp_url, service.settings.exchange, "logistics.exchange.shipped") as seen:
        shipped = await service.post(f"/rmas/{number}/exchange/shipment",
                                     {"tracking_number": "SF-NEW", "courier": "SF"},
                                     role="warehouse")
        assert shipped.status_code == 200, shipped.text
        assert shipped.json()["exchange"]["status"] == "shipped"
        found = await eventually(lambda: [d for d in seen.data("logistics.exchange.shipped")
                                          if d["rma_number"] == number], timeout=30)
        assert found[0]["tracking_number"] == "SF-NEW"
    delivered = await service.post(f"/rmas/{number}/exchange/delivery")
    assert delivered.json()["state"] == "exchange_delivered"
    refund = await service.post(f"/rmas/{number}/refund", {})  # no quality problem: L3
    assert refund.status_code == 409 and refund.json()["type"].endswith("no-postage-owed")


async def test_l9_advance_replacement_needs_a_supervisor(service) -> None:
    rma = await _exchange(service)
    number = rma["number"]
    agent = await service.post(f"/rmas/{number}/exchange/advance-approval",
                               {"reason": "老客户"})
    assert agent.status_code == 403
    approved = await service.post(f"/rmas/{number}/exchange/advance-approval",
                                  {"reason": "婚礼急用"}, role="supervisor")
    assert approved.status_code == 200 and approved.json()["advance"]["reason"] == "婚礼急用"
    shipped = await service.post(f"/rmas/{number}/exchange/shipment",
                                 {"tracking_number": "SF-ADV"}, role="warehouse")
    assert shipped.status_code == 200 and shipped.json()["state"] == "exchange_shipped"
    on_return = await service.post("/receipts", receipt_event(
        rma_number=number).model_dump(mode="json"), role="warehouse")
    assert on_return.json()["matched_number"] == number
    returned = (await service.get(f"/rmas/{number}")).json()
    assert returned["inspection"]["passed"] is True
    a_return = await service.rma()
    refused = await service.post(f"/rmas/{a_return['number']}/exchange/advance-approval",
                                 {"reason": "x"}, role="supervisor")
    assert refused.status_code == 409 and refused.json()["type"].endswith("not-an-exchange")


async def test_l12_problem_parcel_forwarded_then_delivered(service, amqp_url) -> None:
    due = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    async with tap(amqp_url, service.settings.exchange, "logistics.case.updated") as seen:
        answer = await service.post("/problem-parcels", {
            "kind": "forwarded", "order_id": order_id(), "tracking_number": "YT-1",
            "description": "地址错误需转件", "next_action_at": due}, staff_id="as-pp")
        assert answer.status_code == 201, answer.text
        case = answer.json()
        case_id = case["case_id"]
        found = await eventually(lambda: [d for d in seen.data("logistics.case.updated")
                                          if d["case_id"] == case_id], timeout=30)
        assert found[0]["case_type"] == "problem_parcel" and found[0]["owner_id"] == "as-pp"
        assert found[0]["next_action_at"] is not None and found[0]["open"] is True
        forwarded = await service.client.patch(
            f"/problem-parcels/{case_id}", json={"forwarding_number": "YT-2"},
            headers=service.as_("order_desk"))
        assert forwarded.json()["state"] == "forwarded"
        done = await service.client.patch(
            f"/problem-parcels/{case_id}", json={"state": "delivered",
                                                 "forwarding_succeeded": True,
                                                 "delivered_safely": True, "outcome": "签收"},
            headers=service.as_("aftersales"))
        assert done.status_code == 200 and done.json()["delivered_safely"] is True
        closed = await eventually(lambda: [d for d in seen.data("logistics.case.updated")
                                           if d["case_id"] == case_id and not d["open"]],
                                  timeout=30)
        assert closed[0]["next_action_at"] is None
    back = await service.client.patch(f"/problem-parcels/{case_id}", json={"state": "open"},
                                      headers=service.as_("aftersales"))
    assert back.status_code == 409 and back.json()["current_state"] == "delivered"
    past = await service.post("/problem-parcels", {
        "kind": "problem", "order_id": order_id(), "tracking_number": "Y",
        "description": "d", "next_action_at": "2000-01-01T00:00:00+08:00"})
    assert past.status_code == 422
    assert (await service.get(f"/problem-parcels/{case_id}/timeline")).status_code == 200
    assert (await service.get("/problem-parcels/PP-20000101-0001")).status_code == 404


async def test_l12_reshipment_return_is_followed(service) -> None:
    answer = await service.post("/reshipments", {
        "order_id": order_id(), "original_tracking": "SF-OLD", "reason": "破损需重发"},
        role="order_desk")
    assert answer.status_code == 201, answer.text
    case_id = answer.json()["case_id"]
    assert answer.json()["next_action_at"] is not None
    no_tracking = await service.post(f"/reshipments/{case_id}/moves", {"state": "reshipped"})
    assert no_tracking.status_code == 422
    for state, extra in (("returned", {}), ("reshipped", {"tracking_number": "SF-NEW"}),
                         ("delivered", {})):
        moved = await service.post(f"/reshipments/{case_id}/moves", {"state": state, **extra})
        assert moved.status_code == 200, moved.text
    final = moved.json()
    assert final["state"] == "delivered" and final["next_action_at"] is None
    refused = await service.post(f"/reshipments/{case_id}/moves", {"state": "returned"})
    assert refused.status_code == 409 and refused.json()["allowed"] == []
    assert len((await service.get(f"/reshipments/{case_id}/timeline")).json()) == 4
    assert (await service.get("/reshipments", open_only="true")).status_code == 200
    assert (await service.post("/reshipments", {"order_id": "o", "original_tracking": "t",
                                                "reason": "r"}, role="warehouse")
            ).status_code == 403


async def test_l13_promise_and_policy_edited_by_the_manager(service) -> None:
    # Thu 2026-11-26 15:00 Shanghai, in stock: ships that day.
    ask = {"paid_at": "2026-11-26T15:00:00+08:00", "skus": [{"sku": "RUBBER-40",
                                                             "in_stock": True}]}
    answer = await service.post("/ship-date-promise", ask, role="presales")
    assert answer.status_code == 200, answer.text
    assert answer.json()["ship_date"] == "2026-11-26"
    assert answer.json()["rule"] == "in_stock_before_cutoff"
    policy = (await service.get("/policies/promise", role="presales")).json()
    assert policy["cutoff"] == "16:00:00" and policy["ships_on_non_working_days"] is False
    refused = await service.client.put("/policies/promise", json={**policy, "cutoff": "14:00"},
                                       headers=service.as_("supervisor"))
    assert refused.status_code == 403
    changed = await service.client.put("/policies/promise", json={**policy, "cutoff": "14:00"},
                                       headers=service.as_("manager"))
    assert changed.status_code == 200, changed.text
    later = await service.post("/ship-date-promise", ask, role="presales")
    assert later.json()["ship_date"] == "2026-11-27"
    assert later.json()["rule"] == "in_stock_after_cutoff"
    await service.client.put("/policies/promise", json=policy, headers=service.as_("manager"))
    for bad in ({"paid_at": "2026-11-26T15:00:00", "skus": [{"sku": "A", "in_stock": True}]},
                {"paid_at": "2026-11-26T15:00:00+08:00", "skus": []}):
        assert (await service.post("/ship-date-promise", bad)).status_code == 422
    invalid = await service.client.put("/policies/promise", json={**policy, "handmade_hours": 0},
                                       headers=service.as_("manager"))
    assert invalid.status_code == 422


async def test_returns_report_json_csv_xlsx(service) -> None:
    start = datetime.now(UTC) - timedelta(minutes=1)
    sku = f"BAD-BATCH-{uuid.uuid4().hex[:4]}"
    quality = await service.rma(quality_claim=True, photos=["p.jpg"],
                                items=[{"sku": sku, "quantity": 1, "unit_paid_fen": 10000}])
    await service.post(f"/rmas/{quality['number']}/quality-decision", {"verdict": "confirmed"})
    await service.post("/receipts", receipt_event(
        rma_number=quality["number"], items=[{"sku": sku, "quantity": 1, "intact": True,
                                              "box_complete": True, "resellable": True}]
    ).model_dump(mode="json"), role="warehouse")
    end = (datetime.now(UTC) + timedelta(minutes=1))
    params = {"start": start.isoformat(), "end": end.isoformat()}
    report = await service.get("/reports/returns", role="manager", **params)
    assert report.status_code == 200, report.text
    body = report.json()
    line = next(x for x in body["by_sku"] if x["key"] == sku)
    assert line["quality_confirmed"] == 1 and line["returns"] == 1
    assert body["refunds_count"] >= 1 and body["by_verdict"]["confirmed"] >= 1
    csv = await service.get("/reports/returns", role="manager", format="csv", **params)
    assert csv.headers["content-type"].startswith("text/csv") and sku in csv.text
    xlsx = await service.get("/reports/returns", role="supervisor", format="xlsx", **params)
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert any(row[1] == sku for row in sheet.iter_rows(values_only=True))
    assert (await service.get("/reports/returns", role="aftersales", **params)
            ).status_code == 403
    backwards = await service.get("/reports/returns", role="manager",
                                  start=end.isoformat(), end=start.isoformat())
    assert backwards.status_code == 422
    assert (await service.get("/reports/returns", role="manager", start="x",
                              end="y")).status_code == 422
