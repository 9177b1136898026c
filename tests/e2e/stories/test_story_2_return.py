"""Story 2 (issue 10): the return flow, end to end (L1, L5-L7, T3, T4, T14).

An after-sales complaint asks for a return and an RMA opens; the customer's tracking number is
recorded; the warehouse simulator (run as the README says, the receipt sent twice) publishes
the receipt and inspection passes; exactly one refund is issued; the refund rectifies the
ticket and starts its callback clock, which falls due (the shared clock moves forward to the
callback's warning); the customer confirms the callback; the agent's satisfaction figures in hr
include it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from stories_a_steps import consumed, figures, month_of, open_ticket, warehouse_sim

from support.wait import eventually

pytestmark = pytest.mark.integration
RECEIPT = "warehouse.receipt.recorded"
PAID_FEN = 45900


async def test_story_2_l7_t4_return_refunded_once_then_confirmed_callback_counts_in_hr(
        whole) -> None:
    # A customer's boots came apart after a week: a major complaint, for after-sales.
    ticket = await open_ticket(whole, "aftersales1", kind="complaint", grade="major",
                               description="羊毛靴穿一周开胶，要求退货退款")
    number = ticket["number"]
    assert ticket["role"] == "aftersales" and ticket["needs_callback"] is True
    # The supervisor hands it to aftersales1, who handles this customer's returns.
    await whole.ok("supervisor1", "POST", f"/api/tickets/tickets/{number}/reassign",
                   {"to_staff_id": "aftersales1", "reason": "退货由 aftersales1 跟进"},
                   status=200)

    # T2: the agent answers the customer, then (L1) the ticket asks logistics for a return;
    # an RMA opens for it.
    await whole.ok("aftersales1", "POST", f"/api/tickets/tickets/{number}/responses",
                   {"message": "您好，给您办理退货退款，请将商品寄回，并告知快递单号。"})
    order_id = f"TB-{uuid.uuid4().int % 10**12:012d}"
    await whole.ok("aftersales1", "POST", f"/api/tickets/tickets/{number}/return-requests", {
        "kind": "return", "order_id": order_id, "reason": "质量问题：开胶",
        "items": [{"sku": "WOOL-38", "quantity": 1, "unit_paid_fen": PAID_FEN}]})
    opened = await whole.until_published("logistics.rma.opened", ticket_number=number)
    rma = opened["rma_number"]
    assert opened["order_id"] == order_id

    # L5: the customer sends the parcel back; after-sales records the tracking number.
    tracking = f"SF{uuid.uuid4().hex[:10].upper()}"
    await whole.ok("aftersales1", "POST", f"/api/logistics/rmas/{rma}/tracking",
                   {"tracking_number": tracking, "courier": "顺丰", "return_postage_fen": 1200},
                   status=200)

    # L6/L4: the warehouse system publishes the receipt (re-sent once), inspection passes.
    receipts_before = _receipts_consumed(whole)
    sent = await warehouse_sim(whole, "--rma", rma, "--tracking", tracking,
                               "--sku", "WOOL-38", "--times", "2")
    assert len(sent) == 2
    await eventually(lambda: _receipts_consumed(whole) >= receipts_before + 2, timeout=30,
                     what="logistics took both copies of the receipt")

    # L7: exactly one refund, of what was paid (no quality claim: the customer's postage).
    refund = await whole.until_published("logistics.refund.issued", rma_number=rma)
    assert refund["amount_fen"] == PAID_FEN and refund["ticket_number"] == number
    stored = await whole.ok("aftersales1", "GET", f"/api/logistics/rmas/{rma}/refund")
    assert stored["refund_id"] == refund["refund_id"] and stored["amount_fen"] == PAID_FEN
    again = await whole.post("aftersales1", f"/api/logistics/rmas/{rma}/refund", {})
    assert again.status_code == 409, again.text  # a double click issues nothing more
    assert (await whole.ok("aftersales1", "GET", f"/api/logistics/rmas/{rma}"))["state"] == (
        "refunded")
    assert len(whole.published("logistics.refund.issued", rma_number=rma)) == 1

    # T4: the refund rectifies the complaint; its callback clock starts (1 week, major).
    async def awaiting_callback() -> dict | None:
        found = await whole.ok("aftersales1", "GET", f"/api/tickets/tickets/{number}")
        return found if found["state"] == "awaiting_callback" else None

    rectified = await eventually(awaiting_callback, timeout=30, what="ticket rectified")
    assert refund["refund_id"] in rectified["links"]
    callback = next(t for t in rectified["sla"] if t["metric"] == "callback")
    assert callback["met_at"] is None and callback["responsible_id"] == "aftersales1"
    assert (datetime.fromisoformat(callback["due_at"])
            - datetime.fromisoformat(rectified["rectified_at"])) == timedelta(weeks=1)

    # The callback falls due: days pass (the shared clock moves forward, never back) to its
    # warning, and the agent is warned.
    warn_at = datetime.fromisoformat(callback["warn_at"])
    assert whole.clock.now() < warn_at
    whole.clock.set(warn_at + timedelta(minutes=1))
    warned = await whole.until_published("tickets.sla.warned", ticket_number=number,
                                         metric="callback")
    assert warned["responsible_id"] == "aftersales1"

    # The agent calls back; the customer is satisfied and confirms with a code (签字认可).
    month = month_of(whole.clock.now())
    before = await figures(whole, "supervisor1", month, "aftersales1")
    done = await whole.ok("aftersales1", "POST", f"/api/tickets/tickets/{number}/callbacks", {
        "question": "退款是否已到账？对处理结果是否满意？", "satisfaction": 4,
        "confirmation": {"kind": "code", "value": "839201"}}, status=(200, 201))
    assert done["state"] == "closed", done
    completed = await whole.until_published("tickets.callback.completed", ticket_number=number)
    assert completed["agent_id"] == "aftersales1" and completed["satisfaction"] == 4

    # T14: the agent's satisfaction figures in hr include it.
    async def counted() -> dict | None:
        now = await figures(whole, "supervisor1", month, "aftersales1")
        return now if now["callbacks"] == before["callbacks"] + 1 else None

    after = await eventually(counted, timeout=30, what="the callback in aftersales1's figures")
    total_before = (before["satisfaction_avg"] or 0) * before["callbacks"]
    assert after["satisfaction_avg"] == pytest.approx(
        (total_before + 4) / after["callbacks"], abs=0.01)


def _receipts_consumed(whole) -> float:
    return sum(consumed(whole, "logistics", "events_consumed_total", type=RECEIPT,
                        outcome=outcome) for outcome in ("applied", "duplicate"))
