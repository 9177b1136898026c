"""An event logistics got wrong ends in the tickets service's dead letters, where an operator
finds it through the gateway with its error and routing key; the ticket is untouched."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from ops_shared.contracts import new_envelope
from ops_shared.contracts.logistics import RefundIssued
from support.wait import eventually

pytestmark = pytest.mark.integration
ROUTING_KEY = "logistics.refund.issued"


async def test_e2e_dead_letter_through_gateway(system) -> None:
    opened = await system.post("aftersales1", "/tickets", {
        "customer": {"name": "孙八"}, "channel": "im", "kind": "complaint", "grade": "general",
        "description": "退款迟迟不到账", "importance": "high", "urgency": "low"})
    assert opened.status_code == 201, opened.text
    number = opened.json()["number"]

    # logistics forgets the refund id, amount and time: the data misses required fields.
    valid = new_envelope(RefundIssued(
        refund_id="RF-x", rma_number=f"RMA-{uuid.uuid4().hex[:8]}", order_id="TB-1",
        ticket_number=number, amount_fen=100, issued_at=datetime.now(UTC)))
    data = {k: v for k, v in valid.data.items()
            if k not in ("refund_id", "amount_fen", "issued_at")}
    broken = valid.model_copy(update={"data": data})
    await system.publish(broken)

    async def dead_letter() -> dict | None:
        answer = await system.get("opsadmin1", "/admin/dead-letters")
        assert answer.status_code == 200, answer.text
        return next((d for d in answer.json() if d["message_id"] == broken.id), None)

    dead = await eventually(dead_letter, timeout=30, what="the refund in the dead letters")
    assert dead["routing_key"] == ROUTING_KEY and dead["type"] == ROUTING_KEY
    assert dead["status"] == "dead" and dead["permanent"] is True
    for missing in ("refund_id", "amount_fen", "issued_at"):
        assert missing in dead["error"], dead["error"]
    detail = await system.get("opsadmin1", f"/admin/dead-letters/{dead['id']}")
    assert detail.status_code == 200, detail.text
    assert detail.json()["body"]["id"] == broken.id
    assert detail.json()["body"]["data"]["ticket_number"] == number

    # Operators only; and the broken event changed nothing on the ticket.
    system.problem(await system.get("presales1", "/admin/dead-letters"), 403, "forbidden")
    ticket = await system.ticket("aftersales1", number)
    assert ticket["state"] == "new" and ticket["links"] == [] and ticket["rectified_at"] is None
