"""Customer personal data through the gateway: in full for the ticket's agent and supervisors,
masked for every other agent (T15)."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.integration
AGENT, OTHER, SUPERVISOR = "aftersales1", "presales1", "supervisor1"
PHONE, MASKED_PHONE = "13700001234", "137****1234"


async def test_e2e_t15_personal_data_masked_for_other_agents(system) -> None:
    await system.roster({AGENT: "aftersales", OTHER: "presales"})
    await system.await_on_duty(AGENT)
    platform_id = f"tb_{uuid.uuid4().hex[:8]}"
    opened = await system.post(AGENT, "/tickets", {
        "customer": {"name": "王小明", "phone": PHONE, "address": "浙江省杭州市西湖区文三路100号",
                     "platform_ids": [platform_id]},
        "channel": "im", "kind": "aftersales", "description": "鞋子尺码不合适，想换小一码",
        "importance": "low", "urgency": "high"})
    assert opened.status_code == 201, opened.text
    number, customer_id = opened.json()["number"], opened.json()["customer_id"]
    assert opened.json()["assignee_id"] == AGENT

    # The assignee and a supervisor see the customer in full, on the ticket and the profile.
    for viewer in (AGENT, SUPERVISOR):
        customer = (await system.ticket(viewer, number))["customer"]
        assert customer["masked"] is False, viewer
        assert customer["phone"] == PHONE and customer["platform_ids"] == [platform_id]
        assert customer["name"] == "王小明"
        profile = await system.get(viewer, f"/customers/{customer_id}")
        assert profile.status_code == 200 and profile.json()["phone"] == PHONE, viewer

    # Another agent, not working the ticket, sees masks everywhere the customer appears.
    customer = (await system.ticket(OTHER, number))["customer"]
    assert customer["masked"] is True
    assert customer["phone"] == MASKED_PHONE and customer["name"] == "王**"
    assert customer["address"] == "浙江省杭州市****"
    assert customer["platform_ids"] == [f"tb****{platform_id[-2:]}"]
    profile = await system.get(OTHER, f"/customers/{customer_id}")
    assert profile.status_code == 200, profile.text
    assert profile.json()["phone"] == MASKED_PHONE and profile.json()["masked"] is True
    listed = await system.get(OTHER, "/tickets", params={"customer_id": customer_id})
    assert listed.status_code == 200, listed.text
    assert [t["customer"]["phone"] for t in listed.json()["items"]] == [MASKED_PHONE]
    assert PHONE not in listed.text and platform_id not in listed.text
