"""Story 4 (issue 10): the recall flow through the gateway (L10, L11, L7, L14).

A shipped order is cancelled: the order desk opens a recall, the courier accepts, the parcel is
on its way back, comes back and is signed for (by the order desk with name and date, or matched
from the warehouse system's receipt by tracking number), and after-sales refunds it, once:
a second signature, a second refund, a redelivered receipt give no second refund.
"""

from __future__ import annotations

import pytest
from stories_b_steps import (
    handled,
    order_id,
    redeliver,
    shop_day,
    tracking_number,
    warehouse_receipt,
)

pytestmark = pytest.mark.integration
LG = "/api/logistics"
PAID_FEN = 45_900


async def _shipped_order_recalled(whole, courier_signed_by: str = "顺丰 王师傅") -> dict:
    """L11/L10: the order desk cancels a printed order (a recall); the courier accepts, the
    order desk keeps the courier-signed part of the slip, the parcel is returning."""
    order, tracking = order_id(), tracking_number()
    cancelled = await whole.ok("orderdesk1", "POST", f"{LG}/orders/{order}/cancellation", {
        "printed": True, "paid_fen": PAID_FEN, "reason": "顾客付款后取消订单",
        "tracking_number": tracking, "courier": "SF", "owner_id": "aftersales1"})
    assert cancelled["outcome"] == "recall"
    recall = cancelled["recall"]
    number = recall["number"]
    assert (recall["state"], recall["order_id"], recall["owner_id"]) == (
        "requested", order, "aftersales1")
    assert recall["paid_fen"] == PAID_FEN

    # L7 before the parcel is back: no refund.
    early = await whole.post("aftersales1", f"{LG}/recalls/{number}/refund")
    whole.problem(early, 409)

    accepted = await whole.ok("aftersales1", "POST", f"{LG}/recalls/{number}/courier-answer",
                              {"accepted": True, "note": "快递员同意拦截退回"})
    assert accepted["state"] == "courier_accepted"
    slip = await whole.ok("orderdesk1", "POST", f"{LG}/recalls/{number}/slip", {
        "slip_number": f"SLIP-{number}", "courier_signed_by": courier_signed_by})
    assert slip["slip"]["kept_by"] == "orderdesk1"
    assert slip["slip"]["courier_signed_by"] == courier_signed_by
    returning = await whole.ok("orderdesk1", "POST", f"{LG}/recalls/{number}/returning")
    assert returning["state"] == "returning"
    assert sorted(returning["allowed_next"]) == ["failed", "parcel_received"]
    return {**returning, "tracking_number": tracking}


async def _refunded_once(whole, number: str, order: str) -> dict:
    """After-sales refunds the recall; a second request (a double click) is refused and the
    one refund stays: one `logistics.refund.issued`, the recall's case closed."""
    refund = await whole.ok("aftersales1", "POST", f"{LG}/recalls/{number}/refund",
                            status=201)
    assert (refund["order_id"], refund["amount_fen"], refund["postage_fen"]) == (
        order, PAID_FEN, 0)
    again = await whole.post("aftersales1", f"{LG}/recalls/{number}/refund")
    whole.problem(again, 409)
    recall = await whole.ok("aftersales1", "GET", f"{LG}/recalls/{number}")
    assert (recall["state"], recall["refund_id"]) == ("refunded", refund["refund_id"])
    assert recall["allowed_next"] == []
    kept = await whole.ok("aftersales1", "GET", f"{LG}/recalls/{number}/refund")
    assert kept["refund_id"] == refund["refund_id"]
    issued = await whole.until_published("logistics.refund.issued", rma_number=number)
    assert (issued["amount_fen"], issued["issued_by"]) == (PAID_FEN, "aftersales1")
    closed = await whole.until_published("logistics.case.updated", case_id=number,
                                         status="refunded")
    assert closed["open"] is False and closed["case_type"] == "recall"
    return refund


async def test_story_4_l10_recall_signed_by_the_order_desk_is_refunded_once(whole) -> None:
    # L11: an order cancelled before printing is voided, not recalled.
    unprinted = order_id()
    voided = await whole.ok("orderdesk1", "POST", f"{LG}/orders/{unprinted}/cancellation", {
        "printed": False, "paid_fen": PAID_FEN, "reason": "未打单即取消"}, status=201)
    assert voided["outcome"] == "voided" and voided["recall"] is None

    recall = await _shipped_order_recalled(whole)
    number, order = recall["number"], recall["order_id"]

    # L10: the original parcel is back: the order desk signs with name and date; after-sales
    # may not sign for the order desk.
    today = shop_day(whole).isoformat()
    signature = {"signed_by": "Demo order desk", "on": today}
    not_theirs = await whole.post("aftersales1", f"{LG}/recalls/{number}/parcel-received",
                                  signature)
    whole.problem(not_theirs, 403)
    signed = await whole.ok("orderdesk1", "POST", f"{LG}/recalls/{number}/parcel-received",
                            signature)
    assert signed["state"] == "parcel_received"
    assert signed["received"] == {"signed_by": "Demo order desk", "on": today,
                                  "receipt_id": None}
    twice = await whole.post("orderdesk1", f"{LG}/recalls/{number}/parcel-received",
                             signature)
    body = whole.problem(twice, 409)
    assert body["current_state"] == "parcel_received"

    await _refunded_once(whole, number, order)

    # L14: every step on the recall's timeline, by whom.
    timeline = await whole.ok("orderdesk1", "GET", f"{LG}/recalls/{number}/timeline")
    assert [(e["action"], e["actor_id"]) for e in timeline] == [
        ("requested", "orderdesk1"), ("courier_answered", "aftersales1"),
        ("slip_recorded", "orderdesk1"), ("returning", "orderdesk1"),
        ("parcel_received", "orderdesk1"), ("refunded", "aftersales1")]
    assert len(whole.published("logistics.refund.issued", rma_number=number)) == 1


async def test_story_4_l10_l6_recall_matched_from_a_warehouse_receipt_is_refunded_once(
        whole) -> None:
    recall = await _shipped_order_recalled(whole)
    number, order, tracking = recall["number"], recall["order_id"], recall["tracking_number"]

    # L6/L10: the warehouse system's receipt (sent twice) names the tracking number only; it
    # signs "original parcel received" for the recall, once.
    receipt, envelopes = await warehouse_receipt(
        whole, "--tracking", tracking, "--courier", "SF", "--sku", "WOOL-40", "--times", "2")
    for envelope in envelopes:
        await handled(whole, "logistics", envelope)
    back = await whole.ok("orderdesk1", "GET", f"{LG}/recalls/{number}")
    assert back["state"] == "parcel_received"
    assert back["received"]["receipt_id"] == receipt["receipt_id"]
    assert back["received"]["signed_by"] == receipt["signed_by"]
    recorded = await whole.ok("warehouse1", "GET", f"{LG}/receipts/{receipt['receipt_id']}")
    assert (recorded["matched_kind"], recorded["matched_number"]) == ("recall", number)
    assert recorded["matched_by"] == "tracking_number"

    # The order desk's signature is no longer needed: refused, nothing changes.
    late_signature = await whole.post("orderdesk1", f"{LG}/recalls/{number}/parcel-received",
                                      {"signed_by": "Demo order desk",
                                       "on": shop_day(whole).isoformat()})
    whole.problem(late_signature, 409)

    refund = await _refunded_once(whole, number, order)

    # L7: the warehouse re-sends the receipt after the refund: no second refund.
    await handled(whole, "logistics", await redeliver(whole, receipt))
    after = await whole.ok("aftersales1", "GET", f"{LG}/recalls/{number}")
    assert (after["state"], after["refund_id"]) == ("refunded", refund["refund_id"])
    assert len(whole.published("logistics.refund.issued", rma_number=number)) == 1
    assert [e["action"] for e in await whole.ok(
        "aftersales1", "GET", f"{LG}/recalls/{number}/timeline")].count("refunded") == 1
