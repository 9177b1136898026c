"""Story 5 (issue 10): an unidentified parcel (L6, L7, T1).

A return parcel arrives without its service card, under a tracking number nobody recorded:
it matches nothing, so logistics keeps it as an unidentified-parcel task and tickets opens an
after-sales ticket to contact the customer. After-sales finds the customer's RMA and names it
(in logistics); the receipt then applies to that RMA, whose inspection passed, and the RMA is
refunded, once: naming it again, asking for the refund again or the warehouse re-sending the
receipt add nothing.
"""

from __future__ import annotations

import uuid

import pytest
from stories_b_steps import handled, order_id, redeliver, tracking_number, warehouse_receipt

from support.wait import eventually

pytestmark = pytest.mark.integration
LG, TK = "/api/logistics", "/api/tickets"
UNIT_PAID_FEN = 32_900


async def _ticket_about(whole, receipt_id: str) -> dict | None:
    """The after-sales ticket tickets opened for the parcel (its description names it)."""
    for opened in whole.published("tickets.ticket.opened", kind="aftersales"):
        ticket = await whole.ok("aftersales1", "GET",
                                f"{TK}/tickets/{opened['ticket_number']}")
        if receipt_id in ticket["description"]:
            return ticket
    return None


async def test_story_5_l6_l7_unidentified_parcel_resolved_to_its_rma_is_refunded_once(
        whole) -> None:
    # L1: after-sales opened the customer's return; the customer never sent the tracking number.
    order, customer = order_id(), f"tb_{uuid.uuid4().hex[:8]}"
    rma = await whole.ok("aftersales1", "POST", f"{LG}/rmas", {
        "kind": "return", "order_id": order, "reason": "尺码不合适",
        "customer_id": customer, "contact_name": "王五",
        "items": [{"sku": "WOOL-39", "quantity": 1, "unit_paid_fen": UNIT_PAID_FEN}]},
        status=201)
    number = rma["number"]
    assert rma["state"] == "opened"

    # L6: the parcel arrives with no service card, an unknown tracking number and another
    # platform account than the RMA's: nothing matches, and it is never dropped.
    receipt, envelopes = await warehouse_receipt(
        whole, "--tracking", tracking_number(), "--courier", "YTO",
        "--customer", f"nick_{uuid.uuid4().hex[:6]}", "--sku", "WOOL-39")
    await handled(whole, "logistics", envelopes[0])
    announced = await whole.until_published("logistics.parcel.unidentified",
                                            receipt_id=receipt["receipt_id"])
    task_id = announced["task_id"]
    recorded = await whole.ok("warehouse1", "GET", f"{LG}/receipts/{receipt['receipt_id']}")
    assert (recorded["matched_number"], recorded["task_id"]) == (None, task_id)
    assert (await whole.ok("aftersales1", "GET", f"{LG}/rmas/{number}"))["state"] == "opened"

    # T1: in tickets it is an after-sales ticket to contact the customer.
    ticket = await eventually(lambda: _ticket_about(whole, receipt["receipt_id"]), timeout=30,
                              what="the unidentified parcel's ticket")
    assert (ticket["kind"], ticket["role"], ticket["state"]) == ("aftersales", "aftersales",
                                                                "new")
    assert ticket["assignee_id"] in (None, "aftersales1", "aftersales2")
    tasks = await whole.ok("aftersales1", "GET", f"{LG}/parcel-tasks")
    task = next(t for t in tasks if t["task_id"] == task_id)
    assert (task["state"], task["receipt_id"]) == ("open", receipt["receipt_id"])

    # The warehouse staff may not resolve it; after-sales names the customer's RMA.
    resolution = {"number": number, "note": "已联系顾客：包裹属于该退货单"}
    by_warehouse = await whole.post("warehouse1", f"{LG}/parcel-tasks/{task_id}/resolution",
                                    resolution)
    whole.problem(by_warehouse, 403)
    resolved = await whole.ok("aftersales1", "POST",
                              f"{LG}/parcel-tasks/{task_id}/resolution", resolution)
    assert (resolved["state"], resolved["resolved_to"], resolved["resolved_by"]) == (
        "resolved", number, "aftersales1")

    # L7: the inspection passed and the amounts are known: refunded at once, once.
    refunded = await whole.ok("aftersales1", "GET", f"{LG}/rmas/{number}")
    assert refunded["state"] == "refunded"
    refund = await whole.ok("aftersales1", "GET", f"{LG}/rmas/{number}/refund")
    assert (refund["order_id"], refund["amount_fen"]) == (order, UNIT_PAID_FEN)
    issued = await whole.until_published("logistics.refund.issued", rma_number=number)
    assert (issued["refund_id"], issued["amount_fen"]) == (refund["refund_id"], UNIT_PAID_FEN)

    again = await whole.post("aftersales1", f"{LG}/parcel-tasks/{task_id}/resolution",
                             resolution)
    whole.problem(again, 409)
    whole.problem(await whole.post("aftersales1", f"{LG}/rmas/{number}/refund", {}), 409)
    await handled(whole, "logistics", await redeliver(whole, receipt))
    after = await whole.ok("aftersales1", "GET", f"{LG}/rmas/{number}/refund")
    assert after["refund_id"] == refund["refund_id"]
    assert (await whole.ok("aftersales1", "GET", f"{LG}/rmas/{number}"))["state"] == "refunded"
    assert len(whole.published("logistics.refund.issued", rma_number=number)) == 1
    assert not [t for t in await whole.ok("aftersales1", "GET", f"{LG}/parcel-tasks")
                if t["task_id"] == task_id]  # no longer open
    timeline = [e["action"] for e in await whole.ok("aftersales1", "GET",
                                                    f"{LG}/rmas/{number}/timeline")]
    assert timeline.count("refunded") == 1

    # The parcel's ticket hears which RMA it was (linked, on its timeline), then the agent
    # tells the customer and closes it.
    parcel_ticket = f"{TK}/tickets/{ticket['number']}"
    identified = await whole.until_published("logistics.parcel.identified", task_id=task_id)
    assert (identified["resolved_to"], identified["resolved_by"]) == (number, "aftersales1")

    async def linked() -> dict | None:
        seen = await whole.ok("aftersales1", "GET", parcel_ticket)
        return seen if number in seen["links"] else None

    await eventually(linked, timeout=30, what="the parcel's ticket linked to its RMA")
    timeline = await whole.ok("aftersales1", "GET", f"{parcel_ticket}/timeline")
    notes = [e for e in timeline["entries"] if e["action"] == "parcel_identified"]
    assert len(notes) == 1, notes
    answered = await whole.ok("aftersales1", "POST", f"{parcel_ticket}/responses",
                              {"message": f"您的包裹已对应退货单 {number}，退款已发放。"})
    assert answered["state"] in ("open", "new")
    closed = await whole.ok("aftersales1", "POST", f"{parcel_ticket}/close")
    assert closed["state"] == "closed"
