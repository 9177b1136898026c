"""SLA policies (T2-T6, T9) and the assignment policy: data in Mongo, edited by a manager."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tickets.domain.sla import DEFAULT_POLICIES

pytestmark = pytest.mark.integration


async def test_t2_default_policies_are_seeded_once(service) -> None:
    answer = await service.client.get("/sla-policies", headers=service.as_("aftersales"))
    assert answer.status_code == 200
    names = {p["name"] for p in answer.json()}
    assert names >= {p.name for p in DEFAULT_POLICIES}
    one = await service.client.get("/sla-policies/rectify_major",
                                   headers=service.as_("aftersales"))
    assert one.json()["amount"] == 1 and one.json()["unit"] == "working_days"
    assert one.json()["applies_to"]["grade"] == "major"


async def test_t3_policy_edited_at_run_time_applies_to_new_tickets(service) -> None:
    manager = service.as_("manager")
    body = {"applies_to": {"kind": "suggestion"}, "metric": "rectification", "amount": 5,
            "unit": "calendar_days"}
    put = await service.client.put("/sla-policies/suggestion_answer", json=body,
                                   headers=manager)
    assert put.status_code == 200, put.text
    ticket = await service.ticket(kind="suggestion")
    target = next(t for t in ticket["sla"] if t["metric"] == "rectification")
    assert target["policy_name"] == "suggestion_answer"
    started = datetime.fromisoformat(target["started_at"])
    assert datetime.fromisoformat(target["due_at"]) - started == timedelta(days=5)
    deleted = await service.client.delete("/sla-policies/suggestion_answer", headers=manager)
    assert deleted.status_code == 204
    after = await service.ticket(kind="suggestion")
    assert all(t["metric"] != "rectification" for t in after["sla"])
    missing = await service.client.get("/sla-policies/suggestion_answer", headers=manager)
    assert missing.status_code == 404


@pytest.mark.parametrize("body", [
    {"metric": "rectification", "amount": 1, "unit": "fortnights"},
    {"metric": "rectification", "amount": 0, "unit": "working_days"},
    {"metric": "coffee", "amount": 1, "unit": "working_days"},
    {"metric": "rectification", "amount": 1, "unit": "working_days", "code": "import os"},
    {"metric": "rectification", "amount": 1, "unit": "working_days",
     "applies_to": {"kind": {"$ne": ""}}},
    {"metric": "rectification", "amount": 1, "unit": "working_days",
     "warn_before_ratio": 1.5},
])
async def test_policy_input_is_typed_and_closed(service, body) -> None:
    answer = await service.client.put("/sla-policies/x_policy", json=body,
                                      headers=service.as_("manager"))
    assert answer.status_code == 422, answer.text


async def test_only_a_manager_edits_policies(service) -> None:
    body = {"metric": "rectification", "amount": 1, "unit": "working_days"}
    for role in ("supervisor", "aftersales"):
        answer = await service.client.put("/sla-policies/x_policy", json=body,
                                          headers=service.as_(role))
        assert answer.status_code == 403
    assert (await service.client.delete("/sla-policies/rectify_major",
                                        headers=service.as_("supervisor"))).status_code == 403
    assert (await service.client.get("/sla-policies")).status_code == 401
    assert (await service.client.put("/assignment-policy", json={"strategy": "least_loaded"},
                                     headers=service.as_("supervisor"))).status_code == 403


async def test_assignment_policy_is_read_and_changed_by_a_manager(service) -> None:
    current = await service.client.get("/assignment-policy", headers=service.as_("presales"))
    assert current.status_code == 200 and current.json()["strategy"] in ("round_robin",
                                                                          "least_loaded")
    bad = await service.client.put("/assignment-policy", json={"strategy": "random"},
                                   headers=service.as_("manager"))
    assert bad.status_code == 422
    for strategy in ("least_loaded", "round_robin"):
        put = await service.client.put("/assignment-policy", json={"strategy": strategy},
                                       headers=service.as_("manager", "mgr-1"))
        assert put.status_code == 200
        assert put.json()["strategy"] == strategy and put.json()["updated_by"] == "mgr-1"
