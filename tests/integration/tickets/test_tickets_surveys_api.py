"""T5/T14 surveys through the API: rounds, responses, summary, dispatch deadlines on the real
working-day calendar (National Day 2026 and the adjusted working Saturday 10 Oct)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from support.ticketing import SettableClock

pytestmark = pytest.mark.integration
SH = ZoneInfo("Asia/Shanghai")
ROUTES = [{"keyword": "快递", "department": "logistics"},
          {"keyword": "开胶", "department": "quality"}]


def sh(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


@pytest.fixture
def clock(service) -> Iterator[SettableClock]:
    """The service's clock, set by the test; the previous one comes back afterwards."""
    previous = service.runtime.deps.clock
    clock = SettableClock(sh(11, 26, 10))
    service.runtime.deps.clock = clock
    yield clock
    service.runtime.deps.clock = previous


async def _round(service, starts_on: str = "2026-09-01", ends_on: str = "2026-09-30") -> str:
    answer = await service.client.post(
        "/surveys", headers=service.as_("supervisor"),
        json={"title": "九月满意度", "starts_on": starts_on, "ends_on": ends_on})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


async def _respond(service, round_id: str, **body) -> dict:
    body = {"customer_id": f"c-{uuid.uuid4().hex[:8]}", **body}
    answer = await service.client.post(f"/surveys/{round_id}/responses", json=body,
                                       headers=service.as_("aftersales"))
    assert answer.status_code == 201, answer.text
    return answer.json()


async def _summarise(service, round_id: str) -> dict:
    answer = await service.client.post(f"/surveys/{round_id}/summary",
                                       headers=service.as_("supervisor", "sup-1"),
                                       json={"routes": ROUTES})
    assert answer.status_code == 200, answer.text
    return answer.json()


async def _step(service, dispatch_id: str, step: str, body: dict | None = None):
    return await service.client.post(f"/survey-dispatches/{dispatch_id}/{step}",
                                     headers=service.as_("manager", "mgr-1"), json=body)


async def _overdue(service, round_id: str) -> dict[str, list[str]]:
    answer = await service.client.get("/survey-dispatches",
                                      params={"overdue": "true", "round_id": round_id},
                                      headers=service.as_("supervisor"))
    assert answer.status_code == 200, answer.text
    return {d["department"]: d["late"] for d in answer.json()}


async def test_t5_deadlines_follow_the_working_day_calendar(service, clock) -> None:
    clock.set(sh(9, 20, 12))
    round_id = await _round(service)
    await _respond(service, round_id, agent_id="agent-a", score=2, opinion="快递太慢了")
    await _respond(service, round_id, agent_id="agent-a", score=4, opinion="鞋子开胶")
    await _respond(service, round_id, agent_id="agent-b", score=5, opinion="客服很耐心")
    await _respond(service, round_id, score=3)

    clock.set(sh(9, 30, 10))  # Wed; 1-7 Oct are holidays
    summary = await _summarise(service, round_id)

    assert (summary["count"], summary["average"]) == (4, 3.5)
    assert summary["per_agent"] == {"agent-a": 3.0, "agent-b": 5.0}
    assert {o["department"]: o["opinions"] for o in summary["opinions"]} == {
        "logistics": ["快递太慢了"], "quality": ["鞋子开胶"], "customer_service": ["客服很耐心"]}
    dispatches = {d["department"]: d for d in summary["dispatches"]}
    assert {at(d["dispatch_due"]) for d in dispatches.values()} == {sh(10, 9, 10)}  # Fri 9 Oct
    assert summary["round"]["status"] == "summarised"

    clock.set(sh(10, 9, 15))
    sent = await _step(service, dispatches["logistics"]["id"], "dispatch")
    assert sent.status_code == 200, sent.text
    assert at(sent.json()["measures_due"]) == sh(10, 13, 15)  # Sat 10 (worked), Mon 12, Tue 13
    assert sent.json()["steps_by"] == {"dispatch": "mgr-1"}
    assert await _overdue(service, round_id) == {
        "quality": ["dispatch"], "customer_service": ["dispatch"]}

    clock.set(sh(10, 14, 9))
    assert (await _overdue(service, round_id))["logistics"] == ["measures"]
    measures = await _step(service, dispatches["logistics"]["id"], "measures",
                           {"measures": "更换快递合作方"})
    assert measures.status_code == 200 and measures.json()["status"] == "measures_returned"
    clock.set(sh(10, 14, 10))
    fixed = await _step(service, dispatches["logistics"]["id"], "fix", {"note": "新合同生效"})
    assert at(fixed.json()["callback_due"]) == sh(10, 28, 10)  # two calendar weeks
    too_late = await _step(service, dispatches["logistics"]["id"], "callback",
                           {"scheduled_for": "2026-10-29T10:00:00+08:00"})
    assert too_late.status_code == 422, too_late.text
    booked = await _step(service, dispatches["logistics"]["id"], "callback",
                         {"scheduled_for": "2026-10-20T10:00:00+08:00", "note": "电话回访"})
    assert booked.status_code == 200 and booked.json()["status"] == "callback_scheduled"

    clock.set(sh(10, 29, 10))
    assert "logistics" not in await _overdue(service, round_id)
    read = await service.client.get(f"/surveys/{round_id}/summary",
                                    headers=service.as_("manager"))
    assert read.status_code == 200
    assert {d["department"]: d["status"] for d in read.json()["dispatches"]} == {
        "logistics": "callback_scheduled", "quality": "planned", "customer_service": "planned"}


async def test_t5_steps_out_of_order_are_refused(service, clock) -> None:
    round_id = await _round(service)
    await _respond(service, round_id, score=1, opinion="快递丢件")
    summary = await _summarise(service, round_id)
    dispatch_id = summary["dispatches"][0]["id"]

    early = await _step(service, dispatch_id, "measures", {"measures": "整改"})
    assert early.status_code == 409, early.text
    assert early.json()["current_state"] == "planned" and early.json()["allowed"] == ["dispatch"]
    assert (await _step(service, dispatch_id, "fix", {})).status_code == 409
    assert (await _step(service, dispatch_id, "dispatch")).status_code == 200
    assert (await _step(service, dispatch_id, "dispatch")).status_code == 409
    assert (await _step(service, dispatch_id, "callback",
                        {"scheduled_for": "2026-12-01T10:00:00+08:00"})).status_code == 409


async def test_t14_summary_closes_the_round(service, clock) -> None:
    round_id = await _round(service)
    first = await _respond(service, round_id, customer_id="c-dup", ticket_number="TK-20260901-0001",
                           score=5)
    assert first["at"]
    duplicate = await service.client.post(
        f"/surveys/{round_id}/responses", headers=service.as_("presales"),
        json={"customer_id": "c-dup", "ticket_number": "TK-20260901-0001", "score": 4})
    assert duplicate.status_code == 409, duplicate.text

    before = await service.client.get(f"/surveys/{round_id}/summary",
                                      headers=service.as_("supervisor"))
    assert before.json()["round"]["status"] == "open" and before.json()["dispatches"] == []
    await _summarise(service, round_id)
    again = await service.client.post(f"/surveys/{round_id}/summary",
                                      headers=service.as_("supervisor"), json={})
    assert again.status_code == 409
    late = await service.client.post(f"/surveys/{round_id}/responses",
                                     headers=service.as_("presales"),
                                     json={"customer_id": "c-late", "score": 3})
    assert late.status_code == 409


async def test_t14_roles(service) -> None:
    body = {"title": "r", "starts_on": "2026-11-01", "ends_on": "2026-11-30"}
    for role in ("presales", "aftersales", "order_desk", "hr_admin"):
        answer = await service.client.post("/surveys", json=body, headers=service.as_(role))
        assert answer.status_code == 403, role
    round_id = await _round(service)
    for role in ("order_desk", "warehouse"):
        answer = await service.client.post(f"/surveys/{round_id}/responses",
                                           json={"customer_id": "c-1", "score": 3},
                                           headers=service.as_(role))
        assert answer.status_code == 403, role
    for path in (f"/surveys/{round_id}/summary", "/survey-dispatches", "/surveys"):
        assert (await service.client.get(path, headers=service.as_("aftersales"))
                ).status_code == 403
        assert (await service.client.get(path)).status_code == 401


@pytest.mark.parametrize("body", [
    {"customer_id": "c-1", "score": 3, "extra": True},
    {"customer_id": "c-1", "score": "5"},
    {"customer_id": "c-1", "score": 6},
    {"customer_id": "c-1", "score": 0},
    {"customer_id": "c-1", "score": True},
    {"customer_id": "c-1", "score": 4.5},
    {"customer_id": {"$ne": ""}, "score": 3},
    {"customer_id": "c-1", "agent_id": {"$gt": ""}, "score": 3},
    {"customer_id": "c-1", "score": 3, "opinion": ["x"]},
    {"customer_id": "c-1", "score": 3, "answered_at": "2026-11-01T10:00:00"},  # no zone
    {"customer_id": "c-1", "score": 3, "answered_at": "2099-01-01T10:00:00+08:00"},
    {"score": 3},
])
async def test_t14_bad_responses_are_422(service, body) -> None:
    round_id = await _round(service)
    answer = await service.client.post(f"/surveys/{round_id}/responses", json=body,
                                       headers=service.as_("aftersales"))
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", "/surveys", {"title": "r", "starts_on": "2026-11-30", "ends_on": "2026-11-01"}),
    ("post", "/surveys", {"title": "r", "starts_on": "2026-11-01", "ends_on": "2026-11-30",
                          "owner": "x"}),
    ("post", "/surveys", {"title": {"$ne": ""}, "starts_on": "2026-11-01",
                          "ends_on": "2026-11-30"}),
    ("post", "/surveys/sr-x/summary", {"routes": [{"keyword": "快递", "department": "物流"}]}),
    ("post", "/surveys/sr-x/summary", {"routes": {"快递": "logistics"}}),
    ("post", "/surveys/sr-x/summary", {"default_department": {"$ne": ""}}),
    ("get", "/survey-dispatches?department[$ne]=x&department=Bad!", None),
    ("get", "/survey-dispatches?overdue=maybe", None),
    ("get", "/surveys/$where", None),
    ("post", "/survey-dispatches/x.y/measures", {"measures": ""}),
    ("post", "/survey-dispatches/x.y/callback", {"scheduled_for": "tomorrow"}),
])
async def test_t5_bad_input_is_422(service, method, path, body) -> None:
    answer = await service.client.request(method.upper(), path, json=body,
                                          headers=service.as_("supervisor"))
    assert answer.status_code == 422, (path, answer.text)


async def test_t5_unknown_ids_are_404(service) -> None:
    headers = service.as_("supervisor")
    for method, path, body in [
        ("get", "/surveys/sr-nothing", None), ("get", "/surveys/sr-nothing/summary", None),
        ("post", "/surveys/sr-nothing/summary", {}),
        ("post", "/surveys/sr-nothing/responses", {"customer_id": "c", "score": 3}),
        ("get", "/survey-dispatches/sr-nothing.logistics", None),
        ("post", "/survey-dispatches/sr-nothing.logistics/dispatch", None),
    ]:
        answer = await service.client.request(method.upper(), path, json=body, headers=headers)
        assert answer.status_code == 404, (path, answer.text)
