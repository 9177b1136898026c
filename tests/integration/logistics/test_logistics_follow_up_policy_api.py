"""Follow-up delays (T13 next-action times, L8 and L12 follow-up) are policy the manager edits
at run time: read by all staff, edited by the manager only, bounded, and used by the next move
of any case."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from logistics_support import order_id, receipt_event

pytestmark = pytest.mark.integration


def _hours_between(start: str, end: str) -> float:
    """Whole hours (staff-facing times are shown to the millisecond)."""
    return round((datetime.fromisoformat(end) - datetime.fromisoformat(start))
                 / timedelta(hours=1), 3)


async def test_t13_follow_up_policy_is_read_by_staff_and_edited_by_the_manager(service) -> None:
    policy = (await service.get("/policies/follow-up", role="warehouse")).json()
    assert policy["rma_opened_hours"] == 168 and policy["exchange_delivery_hours"] == 120
    assert policy["reshipment_hours"] == 48
    refused = await service.client.put("/policies/follow-up", json=policy,
                                       headers=service.as_("supervisor"))
    assert refused.status_code == 403
    for bad in ({**policy, "rma_opened_hours": 0}, {**policy, "reshipment_hours": 1441},
                {**policy, "rma_disputed_hours": 1.5}, {**policy, "unknown_hours": 3},
                {k: v for k, v in policy.items() if k != "recall_returning_hours"}):
        invalid = await service.client.put("/policies/follow-up", json=bad,
                                           headers=service.as_("manager"))
        assert invalid.status_code == 422, bad
        assert invalid.headers["content-type"].startswith("application/problem+json")
    assert (await service.get("/policies/follow-up")).json() == policy


async def test_l8_l12_edited_follow_up_delays_set_the_next_action_times(service) -> None:
    defaults = (await service.get("/policies/follow-up")).json()
    edited = {**defaults, "rma_opened_hours": 2, "exchange_delivery_hours": 30,
              "reshipment_hours": 6}
    changed = await service.client.put("/policies/follow-up", json=edited,
                                       headers=service.as_("manager"))
    assert changed.status_code == 200, changed.text
    try:
        rma = await service.rma(kind="exchange", wanted_replacement="WOOL-37")
        assert _hours_between(rma["opened_at"], rma["next_action_at"]) == 2
        await service.post("/receipts", receipt_event(rma_number=rma["number"]).model_dump(
            mode="json"), role="warehouse")
        shipped = await service.post(f"/rmas/{rma['number']}/exchange/shipment",
                                     {"tracking_number": "SF-FU"}, role="warehouse")
        assert shipped.status_code == 200, shipped.text
        body = shipped.json()
        assert _hours_between(body["exchange"]["shipped_at"], body["next_action_at"]) == 30
        case = await service.post("/reshipments", {
            "order_id": order_id(), "original_tracking": "SF-OLD", "reason": "破损需重发"},
            role="order_desk")
        assert _hours_between(case.json()["opened_at"], case.json()["next_action_at"]) == 6
    finally:
        await service.client.put("/policies/follow-up", json=defaults,
                                 headers=service.as_("manager"))
