"""Outcomes that feed hr's points, through the gateway: a verified staff complaint (T12 → H17)
and an adopted suggestion (T11 → H18), each published for hr; only management may adopt."""

from __future__ import annotations

import pytest

from support.wait import eventually

pytestmark = pytest.mark.integration


async def _open(system, staff_id: str, **fields: object) -> str:
    answer = await system.post(staff_id, "/tickets", {
        "customer": {"name": "赵六", "phone": "13600002222"}, "channel": "phone",
        "importance": "high", "urgency": "low", **fields})
    assert answer.status_code == 201, answer.text
    return answer.json()["number"]


async def test_e2e_t12_t11_points_events(system) -> None:
    # T12: a customer complains about the pre-sales agent; the supervisor verifies it.
    complaint = await _open(system, "aftersales1", kind="complaint", grade="general",
                            description="客服 presales1 态度恶劣，不回复消息")
    body = {"staff_id": "presales1", "note": "查看聊天记录，投诉属实"}
    by_agent = await system.post("aftersales1",
                                 f"/tickets/{complaint}/staff-complaint-verification", body)
    system.problem(by_agent, 403, "forbidden")
    verified = await system.post("supervisor1",
                                 f"/tickets/{complaint}/staff-complaint-verification", body)
    assert verified.status_code == 200, verified.text
    found = await eventually(
        lambda: system.published("tickets.complaint.verified", ticket_number=complaint),
        timeout=20, what="tickets.complaint.verified")
    assert len(found) == 1
    assert found[0]["staff_id"] == "presales1" and found[0]["verified_by"] == "supervisor1"
    assert found[0]["note"] == body["note"]

    # T11: an agent's suggestion; the manager adopts it for 10 points, a pre-sales agent may not.
    suggestion = await _open(system, "presales1", kind="suggestion",
                             description="建议在商品页增加手工鞋尺码对照表")
    adoption = {"author_staff_id": "presales1", "points": 10}
    refused = await system.post("presales1", f"/tickets/{suggestion}/suggestion-adoption",
                                adoption)
    problem = system.problem(refused, 403, "forbidden")
    assert "presales" in problem["detail"]
    adopted = await system.post("manager1", f"/tickets/{suggestion}/suggestion-adoption",
                                adoption)
    assert adopted.status_code == 200, adopted.text
    found = await eventually(
        lambda: system.published("tickets.suggestion.adopted", ticket_number=suggestion),
        timeout=20, what="tickets.suggestion.adopted")
    assert len(found) == 1
    assert found[0]["author_staff_id"] == "presales1" and found[0]["points"] == 10
    assert found[0]["adopted_by"] == "manager1"
    timeline = (await system.get("manager1", f"/tickets/{suggestion}/timeline")).json()
    assert [(e["action"], e["actor_id"]) for e in timeline["entries"]][-1] == (
        "suggestion_adopted", "manager1")
