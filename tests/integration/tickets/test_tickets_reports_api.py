"""T14 per-agent report through the API, from ticket documents seeded in the core's own shape."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tickets.domain.callbacks import Callback, Confirmation
from tickets.domain.sla import SlaClock
from tickets.domain.ticket import OpenTicket, Ticket

pytestmark = pytest.mark.integration
SH = ZoneInfo("Asia/Shanghai")
PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}


def sh(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


def _open(clock: SlaClock, number: str, agent: str, at: datetime, **fields) -> Ticket:
    values = {"id": uuid.uuid4().hex, "number": number, "customer_id": "c-1", "channel": "im",
              "kind": "consultation", "description": "尺码问题", "importance": "low",
              "urgency": "low", "at": at, "assignee_id": agent, **fields}
    ticket, _ = Ticket.open(OpenTicket(**values), clock=clock)
    return ticket


def _tickets(clock: SlaClock, a: str, b: str) -> list[Ticket]:
    on_time = _open(clock, "TK-20260302-7001", a, sh(3, 2, 10), kind="complaint", grade="major")
    on_time.respond(a, sh(3, 2, 10, 2), "收到", clock)
    on_time.mark_rectified(a, sh(3, 2, 17), "已退款", clock)
    on_time.record_callback(Callback(question="满意吗", satisfaction=4, at=sh(3, 3, 10), by=a,
                                     confirmation=Confirmation("verbal_consent", "rec-1")), clock)
    late = _open(clock, "TK-20260302-7002", a, sh(3, 2, 10), kind="complaint", grade="major")
    late.respond(a, sh(3, 2, 10, 10), "收到", clock)  # 10 minutes: T2 breached
    late.check_sla(sh(3, 4, 12))  # rectification (1 working day) breached, still open
    consult = _open(clock, "TK-20260305-7003", b, sh(3, 5, 10))
    consult.respond(b, sh(3, 5, 10, 1), "偏大半码", clock)
    consult.mark_rectified(b, sh(3, 5, 10, 5), "已解答", clock)
    outside = _open(clock, "TK-20260401-7004", a, sh(4, 1, 10))
    return [on_time, late, consult, outside]


async def _seed(service, a: str, b: str, c: str) -> None:
    clock = SlaClock(service.runtime.calendar)
    tickets = _tickets(clock, a, b)

    async def work(uow) -> None:
        for ticket in tickets:
            await uow.tickets.add(ticket)

    await service.runtime.deps.transaction(work)
    # A document the core's mapping cannot read is skipped, not fatal.
    await service.db["tickets"].insert_one({"_id": "TK-20260310-7999", "assignee_id": a,
                                            "created_at": sh(3, 10, 9), "state": "???"})
    round_id = (await service.client.post(
        "/surveys", headers=service.as_("supervisor"),
        json={"title": "三月", "starts_on": "2026-03-01", "ends_on": "2026-03-31"})).json()["id"]
    for agent, score, answered in ((a, 2, sh(3, 20, 15)), (a, 5, sh(4, 2, 9)),
                                   (c, 3, sh(3, 21, 11))):
        answer = await service.client.post(
            f"/surveys/{round_id}/responses", headers=service.as_("aftersales"),
            json={"customer_id": f"c-{uuid.uuid4().hex[:6]}", "agent_id": agent, "score": score,
                  "answered_at": answered.isoformat()})
        assert answer.status_code == 201, answer.text


@pytest.fixture(scope="module")
async def agents(service) -> tuple[str, str, str]:
    names = tuple(f"{n}-{uuid.uuid4().hex[:6]}" for n in ("agent-a", "agent-b", "agent-c"))
    await _seed(service, *names)
    return names


async def test_t14_agent_figures_for_a_period(service, agents) -> None:
    a, b, c = agents
    answer = await service.client.get("/reports/agents", params=PERIOD,
                                      headers=service.as_("manager"))
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert datetime.fromisoformat(report["period_start"]) == sh(3, 1)
    assert datetime.fromisoformat(report["period_end"]) == sh(4, 1)
    rows = {row["agent_id"]: row for row in report["agents"]}

    assert rows[a] == {"agent_id": a, "tickets_handled": 2, "first_response_hit_rate": 0.5,
                       "resolution_sla_hit_rate": 0.5, "resolution_rate": 0.5,
                       "average_satisfaction": 3.0, "satisfaction_count": 2}  # callback 4, survey 2
    assert rows[b] == {"agent_id": b, "tickets_handled": 1, "first_response_hit_rate": 1.0,
                       "resolution_sla_hit_rate": None, "resolution_rate": 1.0,
                       "average_satisfaction": None, "satisfaction_count": 0}
    assert rows[c]["tickets_handled"] == 0 and rows[c]["average_satisfaction"] == 3.0


async def test_t14_agent_figures_as_csv(service, agents) -> None:
    a, b, _ = agents
    answer = await service.client.get("/reports/agents.csv", params=PERIOD,
                                      headers=service.as_("hr_admin"))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert "agents-20260301-20260331.csv" in answer.headers["content-disposition"]
    rows = {r["agent_id"]: r for r in csv.DictReader(io.StringIO(answer.text))}
    assert rows[a]["tickets_handled"] == "2" and rows[a]["average_satisfaction"] == "3.0"
    assert rows[b]["resolution_sla_hit_rate"] == "" and rows[b]["first_response_hit_rate"] == "1.0"


async def test_t14_a_day_outside_has_nothing(service, agents) -> None:
    answer = await service.client.get("/reports/agents", params={"from": "2026-02-01",
                                                                  "to": "2026-02-28"},
                                      headers=service.as_("supervisor"))
    assert answer.status_code == 200 and agents[0] not in {
        r["agent_id"] for r in answer.json()["agents"]}


async def test_t14_report_roles(service) -> None:
    for role in ("presales", "aftersales", "order_desk", "warehouse"):
        for path in ("/reports/agents", "/reports/agents.csv"):
            answer = await service.client.get(path, params=PERIOD, headers=service.as_(role))
            assert answer.status_code == 403, (role, path)
    assert (await service.client.get("/reports/agents", params=PERIOD)).status_code == 401


@pytest.mark.parametrize("query", [
    "from=2026-03-31&to=2026-03-01",
    "from=2026-01-01&to=2027-06-01",
    "to=2026-03-31",
    "from[$ne]=x&to=2026-03-31",
    "from=march&to=2026-03-31",
    "from=2026-03-01&to[$gt]=",
])
async def test_t14_bad_report_queries_are_422(service, query) -> None:
    for path in ("/reports/agents", "/reports/agents.csv"):
        answer = await service.client.get(f"{path}?{query}", headers=service.as_("manager"))
        assert answer.status_code == 422, (path, query, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
