"""A major complaint from intake to confirmed callback, as staff work it through the gateway,
with hr's roster and logistics' refund arriving as events (T1, T2, T3, T4, T8, L1, L7)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from ops_shared.contracts.logistics import RefundIssued
from support.wait import eventually

pytestmark = pytest.mark.integration
AGENT, SUPERVISOR = "aftersales1", "supervisor1"


async def test_e2e_t1_t2_t3_t4_major_complaint_lifecycle(system) -> None:
    # hr: the supervisor's roster puts the after-sales agent on duty before the ticket arrives.
    await system.roster({AGENT: "aftersales", "presales1": "presales"})
    await system.await_on_duty(AGENT)

    # T1: the agent files the customer and opens a major complaint; it goes to the agent on duty.
    created = await system.post(AGENT, "/customers", {
        "name": "李四", "phone": "13912345678", "platform_ids": [f"tb_{uuid.uuid4().hex[:8]}"]})
    assert created.status_code == 201, created.text
    customer_id = created.json()["id"]
    opened = await system.post(AGENT, "/tickets", {
        "customer_id": customer_id, "channel": "phone", "kind": "complaint", "grade": "major",
        "description": "新买的鞋子开胶了，要求处理", "importance": "high", "urgency": "high"})
    assert opened.status_code == 201, opened.text
    ticket = opened.json()
    number = ticket["number"]
    assert re.fullmatch(r"TK-\d{8}-\d{4,}", number)
    assert ticket["assignee_id"] == AGENT and ticket["state"] == "new"
    assert ticket["kind"] == "complaint" and ticket["grade"] == "major"
    assert ticket["needs_callback"] is True and ticket["priority"] == "P1"
    assert ticket["customer"]["phone"] == "13912345678"  # the assignee sees it in full (T15)
    policies = {t["metric"]: t["policy_name"] for t in ticket["sla"]}
    assert policies == {"first_response": "first_response", "rectification": "rectify_major"}
    await eventually(lambda: system.published("tickets.ticket.opened", ticket_number=number),
                     timeout=20, what="tickets.ticket.opened")

    # T2: the agent answers; the first-response target is met, not breached.
    answered = await system.post(AGENT, f"/tickets/{number}/responses",
                                 {"message": "您好，非常抱歉，我们马上为您处理。"})
    assert answered.status_code == 200, answered.text
    assert answered.json()["state"] == "open"
    first = _target(answered.json(), "first_response")
    assert first["met_at"] is not None and first["breached_at"] is None
    assert first["margin_seconds"] >= 0 and first["responsible_id"] == AGENT

    # L1: the agent asks logistics for a return; logistics hears tickets.return.requested.
    order_id = f"TB-{uuid.uuid4().int % 10**10:010d}"
    returned = await system.post(AGENT, f"/tickets/{number}/return-requests", {
        "kind": "return", "order_id": order_id, "reason": "鞋底开胶，质量问题",
        "quality_claim": True, "items": [{"sku": "WOOL-HANDMADE-38", "quantity": 1}]})
    assert returned.status_code == 200, returned.text
    request = (await eventually(
        lambda: system.published("tickets.return.requested", ticket_number=number),
        timeout=20, what="tickets.return.requested"))[0]
    assert request["order_id"] == order_id and request["customer_id"] == customer_id
    assert request["requested_by"] == AGENT and request["quality_claim"] is True
    assert request["items"] == [{"sku": "WOOL-HANDMADE-38", "quantity": 1}]

    # L7 → T3/T4: logistics' refund rectifies the complaint; the callback is due a week later.
    now = datetime.now(UTC)
    issued_at = now.replace(microsecond=now.microsecond // 1000 * 1000)  # as MongoDB keeps it
    refund = RefundIssued(refund_id=f"RF-{uuid.uuid4().hex[:8]}",
                          rma_number=f"RMA-{uuid.uuid4().hex[:8]}", order_id=order_id,
                          ticket_number=number, amount_fen=39900, postage_fen=1200,
                          issued_at=issued_at, issued_by=AGENT)
    await system.publish(refund)
    rectified = await eventually(lambda: _in_state(system, number, "awaiting_callback"),
                                 timeout=20, what="refund applied")
    assert datetime.fromisoformat(rectified["rectified_at"]) == issued_at
    assert refund.refund_id in rectified["links"]
    assert _target(rectified, "rectification")["met_at"] is not None
    callback_due = _target(rectified, "callback")
    assert callback_due["policy_name"] == "callback_major"
    assert datetime.fromisoformat(callback_due["due_at"]) == issued_at + timedelta(weeks=1)

    # T4: no closing without a confirmed callback; the ticket stays where it stands.
    refused = await system.post(AGENT, f"/tickets/{number}/close")
    problem = system.problem(refused, 409, "callback-required")
    assert "callback" in problem["detail"]
    assert problem["current_state"] == "awaiting_callback"
    assert "closed" not in problem["allowed"]
    assert (await system.ticket(AGENT, number))["state"] == "awaiting_callback"

    # T4: a callback the customer did not confirm is recorded but does not close the ticket.
    unconfirmed = await system.post(AGENT, f"/tickets/{number}/callbacks",
                                    {"question": "问题解决了吗？", "satisfaction": 3})
    assert unconfirmed.status_code == 200, unconfirmed.text
    assert unconfirmed.json()["state"] == "awaiting_callback"
    assert [c["confirmed"] for c in unconfirmed.json()["callbacks"]] == [False]

    # T4: the supervisor's callback, confirmed by the customer, closes it and is published.
    confirmed = await system.post(SUPERVISOR, f"/tickets/{number}/callbacks", {
        "question": "退款已收到，问题解决了吗？", "satisfaction": 5,
        "confirmation": {"kind": "verbal_consent", "value": "rec-e2e-0001"}})
    assert confirmed.status_code == 200, confirmed.text
    closed = confirmed.json()
    assert closed["state"] == "closed" and closed["closed_at"] is not None
    assert _target(closed, "callback")["met_at"] is not None
    completed = await eventually(
        lambda: system.published("tickets.callback.completed", ticket_number=number),
        timeout=20, what="tickets.callback.completed")
    assert len(completed) == 1  # the unconfirmed callback completed nothing
    assert completed[0]["satisfaction"] == 5 and completed[0]["agent_id"] == AGENT

    # T8: every step on the timeline, in order, with who did it.
    timeline = await system.get(AGENT, f"/tickets/{number}/timeline")
    assert timeline.status_code == 200, timeline.text
    entries = timeline.json()["entries"]
    assert [(e["action"], e["actor_id"]) for e in entries] == [
        ("opened", AGENT),
        ("first_responded", AGENT),
        ("return_requested", AGENT),
        ("linked", AGENT),  # the refund, issued by the agent in logistics
        ("refund_issued", AGENT),
        ("rectified", AGENT),
        ("callback_recorded", AGENT),
        ("callback_recorded", SUPERVISOR),
        ("closed", SUPERVISOR),
    ]
    moments = [datetime.fromisoformat(e["at"]) for e in entries]
    assert moments == sorted(moments)
    by_action = {e["action"]: e["details"] for e in entries}
    assert by_action["refund_issued"]["refund_id"] == refund.refund_id
    assert by_action["refund_issued"]["amount_fen"] == 39900
    assert by_action["rectified"]["to_state"] == "awaiting_callback"
    assert [e["details"]["confirmed"] for e in entries
            if e["action"] == "callback_recorded"] == [False, True]


def _target(ticket: dict, metric: str) -> dict:
    return next(t for t in reversed(ticket["sla"]) if t["metric"] == metric)


async def _in_state(system, number: str, state: str) -> dict | None:
    ticket = await system.ticket(AGENT, number)
    return ticket if ticket["state"] == state else None
