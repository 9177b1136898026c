"""When the customer asked (T2; issue 7 item 8): a ticket logged after the fact starts its clocks
at `asked_at`, bounded by the intake policy; the deadline preview computes the same targets as
an opening, without opening anything."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from support.ticketing import SettableClock

pytestmark = pytest.mark.integration
SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)  # a Thursday, inside staffed hours


@pytest.fixture(scope="module")
async def logged(start_tickets):
    async with start_tickets(clock=SettableClock(T0), sla_scan_interval_s=3600) as svc:
        yield svc


def _target(ticket_or_preview: dict, metric: str) -> dict:
    key = "sla" if "sla" in ticket_or_preview else "targets"
    return next(t for t in ticket_or_preview[key] if t["metric"] == metric)


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _deadlines(targets: list[dict]) -> list[tuple]:
    return sorted((t["metric"], t["policy_name"], _at(t["started_at"]), _at(t["due_at"]),
                   _at(t["warn_at"])) for t in targets)


async def _open(svc, **fields):
    body = {"channel": "phone", "kind": "complaint", "grade": "major",
            "description": "电话投诉：鞋底开胶", "importance": "high", "urgency": "high",
            "customer_id": await svc.customer(), **fields}
    return await svc.client.post("/tickets", json=body, headers=svc.as_("aftersales"))


async def _preview(svc, role: str = "presales", **params):
    return await svc.client.get("/deadline-preview", params=params, headers=svc.as_(role))


async def test_t2_ticket_asked_20_minutes_ago_is_due_20_minutes_sooner(logged) -> None:
    now = await _open(logged)
    asked = T0 - timedelta(minutes=20)
    late = await _open(logged, asked_at=asked.isoformat())
    assert now.status_code == late.status_code == 201, late.text
    now_due = _at(_target(now.json(), "first_response")["due_at"])
    late_target = _target(late.json(), "first_response")
    assert now_due - _at(late_target["due_at"]) == timedelta(minutes=20)
    assert _at(late_target["started_at"]) == asked == _at(late.json()["asked_at"])
    assert _at(late.json()["created_at"]) == T0  # logged now, asked earlier
    assert _at(_target(late.json(), "rectification")["started_at"]) == asked
    assert _at(now.json()["asked_at"]) == T0  # not given: asked when logged


async def test_t2_asked_at_in_the_future_or_too_old_is_422_naming_asked_at(logged) -> None:
    for asked in (T0 + timedelta(minutes=10), T0 - timedelta(hours=73)):
        answer = await _open(logged, asked_at=asked.isoformat())
        assert answer.status_code == 422, answer.text
        assert answer.json()["field"] == "asked_at"
    skewed = await _open(logged, asked_at=(T0 + timedelta(seconds=30)).isoformat())
    assert skewed.status_code == 201, skewed.text  # a caller's clock a little ahead: now
    assert _at(_target(skewed.json(), "first_response")["started_at"]) == T0
    old = await _open(logged, asked_at=(T0 - timedelta(hours=71)).isoformat())
    assert old.status_code == 201, old.text
    naive = await _open(logged, asked_at="2026-11-26T09:00:00")
    assert naive.status_code == 422


async def test_t2_the_age_bound_is_a_policy_a_manager_edits(logged) -> None:
    assert (await logged.client.get("/intake-policy", headers=logged.as_("presales"))).json() \
        == {"max_asked_age_hours": 72}
    refused = await logged.client.put("/intake-policy", json={"max_asked_age_hours": 1},
                                      headers=logged.as_("supervisor"))
    assert refused.status_code == 403
    changed = await logged.client.put("/intake-policy", json={"max_asked_age_hours": 1},
                                      headers=logged.as_("manager"))
    assert changed.status_code == 200 and changed.json() == {"max_asked_age_hours": 1}
    try:
        answer = await _open(logged, asked_at=(T0 - timedelta(hours=2)).isoformat())
        assert answer.status_code == 422 and answer.json()["field"] == "asked_at"
        assert "1 h" in answer.json()["detail"]
    finally:
        await logged.client.put("/intake-policy", json={"max_asked_age_hours": 72},
                                headers=logged.as_("manager"))
    bad = await logged.client.put("/intake-policy", json={"max_asked_age_hours": 0},
                                  headers=logged.as_("manager"))
    assert bad.status_code == 422


async def test_t2_deadline_preview_equals_the_deadlines_of_a_ticket_opened_then(logged) -> None:
    asked = T0 - timedelta(minutes=20)
    preview = await _preview(logged, at=asked.isoformat(), kind="complaint", grade="major",
                             channel="phone")
    assert preview.status_code == 200, preview.text
    opened = await _open(logged, asked_at=asked.isoformat())
    assert {t["metric"] for t in preview.json()["targets"]} == {"first_response",
                                                                "rectification"}
    assert _deadlines(preview.json()["targets"]) == _deadlines(opened.json()["sla"])
    key = await _preview(logged, at=T0.isoformat(), kind="consultation", tier="key")
    first = _target(key.json(), "first_response")
    assert first["policy_name"] == "first_response_key"  # T9: the key tier's shorter target
    assert _at(first["due_at"]) == T0 + timedelta(minutes=2)


async def test_t2_deadline_preview_creates_nothing_and_checks_its_inputs(logged) -> None:
    before = await logged.db["tickets"].count_documents({})
    now = await _preview(logged, kind="aftersales")  # at: default now
    assert now.status_code == 200, now.text
    assert _at(now.json()["at"]) == T0
    assert _at(_target(now.json(), "first_response")["due_at"]) == T0 + timedelta(minutes=3)
    assert await logged.db["tickets"].count_documents({}) == before
    ungraded = await _preview(logged, kind="complaint")
    assert ungraded.status_code == 422 and ungraded.json()["field"] == "grade"
    tier = await _preview(logged, kind="aftersales", tier="platinum")
    assert tier.status_code == 422 and tier.json()["field"] == "tier"
    assert (await _preview(logged, kind="aftersales", **{"state[$ne]": "x"})).status_code == 422
    assert (await _preview(logged, "order_desk", kind="aftersales")).status_code == 403
