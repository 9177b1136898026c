"""Customer profiles (T9) and who sees their personal data in full (T15)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


async def _get(service, customer_id: str, role: str, staff_id: str | None = None) -> dict:
    answer = await service.client.get(f"/customers/{customer_id}",
                                      headers=service.as_(role, staff_id))
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_t15_supervisors_see_the_profile_in_full_agents_masked(service) -> None:
    customer = await service.customer()
    for role in ("supervisor", "manager"):
        full = await _get(service, customer, role)
        assert full["masked"] is False and full["phone"] == "13812345678"
        assert full["email"] == "zhang@example.com"
    masked = await _get(service, customer, "aftersales")
    assert masked["masked"] is True
    assert masked["phone"] == "138****5678" and masked["name"] == "张**"
    assert masked["email"] == "z***@example.com" and masked["address"] == "浙江省杭州市****"
    assert masked["tier"] == "new"


async def test_t15_assignee_of_an_open_ticket_sees_full_until_it_closes(service) -> None:
    customer = await service.customer()
    number = (await service.ticket(customer_id=customer))["number"]
    await service.client.post(f"/tickets/{number}/reassign", headers=service.as_("supervisor"),
                              json={"to_staff_id": "as-cust", "reason": "test"})
    assert (await _get(service, customer, "aftersales", "as-cust"))["masked"] is False
    assert (await _get(service, customer, "aftersales", "as-else"))["masked"] is True
    headers = service.as_("aftersales", "as-cust")
    await service.client.post(f"/tickets/{number}/responses", json={"message": "好"},
                              headers=headers)
    closed = await service.client.post(f"/tickets/{number}/close", headers=headers)
    assert closed.status_code == 200
    assert (await _get(service, customer, "aftersales", "as-cust"))["masked"] is True


async def test_t9_profile_changes_orders_and_past_tickets(service) -> None:
    customer = await service.customer()
    headers = service.as_("supervisor")
    changed = await service.client.patch(f"/customers/{customer}", headers=headers,
                                         json={"phone": "13900002222"})
    assert changed.status_code == 200 and changed.json()["phone"] == "13900002222"
    order = {"order_id": "TB-1", "platform": "taobao", "placed_on": "2026-11-20"}
    for _ in range(2):
        added = await service.client.post(f"/customers/{customer}/orders", json=order,
                                          headers=headers)
        assert added.status_code == 200, added.text
    assert added.json()["orders"] == [order]
    numbers = {(await service.ticket(customer_id=customer))["number"] for _ in range(2)}
    listed = await service.client.get(f"/customers/{customer}/tickets", headers=headers)
    assert listed.status_code == 200
    assert {t["number"] for t in listed.json()["items"]} == numbers
    missing = await service.client.get("/customers/CUNOSUCH/tickets", headers=headers)
    assert missing.status_code == 404


async def test_t9_only_supervisors_change_the_tier_and_only_to_a_known_one(service) -> None:
    customer = await service.customer()
    agent = await service.client.patch(f"/customers/{customer}", json={"tier": "key"},
                                       headers=service.as_("aftersales"))
    assert agent.status_code == 403
    unknown = await service.client.patch(f"/customers/{customer}", json={"tier": "vip"},
                                         headers=service.as_("supervisor"))
    assert unknown.status_code == 422
    ok = await service.client.patch(f"/customers/{customer}", json={"tier": "key"},
                                    headers=service.as_("supervisor"))
    assert ok.status_code == 200 and ok.json()["tier"] == "key"
    ticket = await service.ticket(customer_id=customer, importance="low", urgency="low")
    assert ticket["priority"] == "P3" and ticket["tier"] == "key"


async def test_t9_tiers_are_data_a_manager_edits(service) -> None:
    listed = await service.client.get("/customer-tiers", headers=service.as_("presales"))
    assert {t["name"] for t in listed.json()} >= {"key", "regular", "new"}
    refused = await service.client.put("/customer-tiers/vip", json={"boost_priority": True},
                                       headers=service.as_("supervisor"))
    assert refused.status_code == 403
    put = await service.client.put("/customer-tiers/vip", headers=service.as_("manager"),
                                   json={"description": "VIP", "boost_priority": True})
    assert put.status_code == 200 and put.json()["boost_priority"] is True
    customer = await service.customer(tier="vip")
    ticket = await service.ticket(customer_id=customer, importance="high", urgency="high")
    assert ticket["priority"] == "P1"
    gone = await service.client.delete("/customer-tiers/vip", headers=service.as_("manager"))
    assert gone.status_code == 204
    again = await service.client.delete("/customer-tiers/vip", headers=service.as_("manager"))
    assert again.status_code == 404
    bad = await service.client.put("/customer-tiers/VIP!", json={},
                                   headers=service.as_("manager"))
    assert bad.status_code == 422


@pytest.mark.parametrize("body", [
    {"name": {"$ne": ""}},
    {"name": "王五", "phone": {"$regex": ".*"}},
    {"name": "王五", "is_admin": True},
    {"name": "王五", "email": "not-an-email"},
    {"name": "王五", "platform_ids": "tb_x"},
    {"name": "王五", "tier": "no such tier"},
])
async def test_customer_input_is_typed_and_closed(service, body) -> None:
    answer = await service.client.post("/customers", json=body,
                                       headers=service.as_("aftersales"))
    assert answer.status_code == 422, answer.text


async def test_customers_need_a_token_and_role_and_unknown_is_404(service) -> None:
    customer = await service.customer()
    assert (await service.client.get(f"/customers/{customer}")).status_code == 401
    answer = await service.client.get(f"/customers/{customer}", headers=service.as_("warehouse"))
    assert answer.status_code == 403
    missing = await service.client.get("/customers/CUNOSUCH", headers=service.as_("manager"))
    assert missing.status_code == 404
    bad = await service.client.get("/customers/a$b", headers=service.as_("manager"))
    assert bad.status_code == 422
    unknown_tier = await service.client.post("/customers", headers=service.as_("manager"),
                                             json={"name": "王五", "tier": "gold"})
    assert unknown_tier.status_code == 422
