"""The SLA scheduler with two replicas on one database and one queue (T2-T6): every warning
and every breach is raised exactly once, naming the responsible staff member."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from support.harness import Isolation
from support.servers import secantus_server
from support.ticketing import SettableClock, tap
from support.wait import eventually
from tickets.main import create_app
from tickets.scheduler import KEY
from tickets.settings import Settings

pytestmark = pytest.mark.integration
SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)  # staffed hours on a working day


@pytest.fixture(scope="module")
async def replicas(isolation, start_tickets):
    settings = isolation.settings("tickets", Settings, sla_scan_interval_s=0.05)
    clock = SettableClock(T0)
    async with start_tickets(settings, clock) as one, start_tickets(settings, clock) as two:
        yield one, two, clock


async def _scans_after(replicas, rounds: int) -> None:
    """Let both schedulers sweep `rounds` more times (polled, never slept)."""
    one, two, _ = replicas
    marks = [r.runtime.jobs["sla_scheduler"].scans for r in (one, two)]

    def done() -> bool:
        return all(r.runtime.jobs["sla_scheduler"].scans >= m + rounds
                   for r, m in zip((one, two), marks, strict=True))

    await eventually(done, timeout=30, what=f"{rounds} more scans on both replicas")


async def _outbox(service, type_: str, numbers: list[str]) -> list[dict]:
    rows = await service.db["outbox"].find({"type": type_}).to_list()
    data = [json.loads(row["body"])["data"] for row in rows]
    return [d for d in data if d["ticket_number"] in numbers]


async def test_t2_each_breach_is_raised_once_by_two_replicas(replicas, amqp_url) -> None:
    one, two, clock = replicas
    async with tap(amqp_url, one.settings.exchange, "tickets.sla.*") as seen:
        numbers = []
        for i in range(6):
            replica = one if i % 2 else two
            ticket = await replica.ticket(kind="complaint", grade="major")
            numbers.append(ticket["number"])
        await one.hire("as-late", "aftersales")
        moved = await one.client.post(f"/tickets/{numbers[0]}/reassign",
                                      json={"to_staff_id": "as-late"},
                                      headers=one.as_("supervisor"))
        assert moved.status_code == 200, moved.text
        clock.set(T0 + timedelta(days=3))  # past first response and rectification (1 wd)
        mine = lambda: [d for d in seen.data("tickets.sla.breached")  # noqa: E731
                        if d["ticket_number"] in numbers]
        await eventually(lambda: len(mine()) >= 12, timeout=60, what="12 breaches")
        await _scans_after(replicas, 5)
        breaches = Counter((d["ticket_number"], d["metric"]) for d in mine())
        assert len(breaches) == 12 and set(breaches.values()) == {1}, breaches
        written = Counter((d["ticket_number"], d["metric"])
                          for d in await _outbox(one, "tickets.sla.breached", numbers))
        assert written == breaches  # one outbox row per breach: nothing more will be sent
        first = [d for d in mine() if d["ticket_number"] == numbers[0]]
        assert {d["responsible_id"] for d in first} == {"as-late"}
        assert not [d for d in seen.data("tickets.sla.warned") if d["ticket_number"] in numbers]
    for number in numbers:
        doc = await one.db["tickets"].find_one({"_id": number})
        actions = [e["action"] for e in doc["timeline"]]
        assert actions.count("sla_breached") == 2
        assert all(t["breached_at"] is not None for t in doc["sla"])
        assert doc["next_sla_check_at"] is None


async def test_t2_warning_goes_to_timeline_and_is_published_once(replicas, amqp_url) -> None:
    one, two, clock = replicas
    clock.set(T0)
    async with tap(amqp_url, one.settings.exchange, "tickets.sla.*") as seen:
        ticket = await one.ticket(kind="consultation")
        number = ticket["number"]
        target = next(t for t in ticket["sla"] if t["metric"] == "first_response")
        warn_at = datetime.fromisoformat(target["warn_at"])
        clock.set(warn_at + timedelta(seconds=1))
        warned = await eventually(
            lambda: [d for d in seen.data("tickets.sla.warned") if d["ticket_number"] == number],
            timeout=30, what="warning published")
        await _scans_after(replicas, 5)
        assert len(await _outbox(one, "tickets.sla.warned", [number])) == 1
        assert len([d for d in seen.data("tickets.sla.warned")
                    if d["ticket_number"] == number]) == 1
        assert warned[0]["metric"] == "first_response"
        assert not [d for d in seen.data("tickets.sla.breached") if d["ticket_number"] == number]
    timeline = await two.client.get(f"/tickets/{number}/timeline",
                                    headers=two.as_("supervisor"))
    assert [e["action"] for e in timeline.json()["entries"]] == ["opened", "sla_warned"]
    view = await two.client.get(f"/tickets/{number}", headers=two.as_("supervisor"))
    first = next(t for t in view.json()["sla"] if t["metric"] == "first_response")
    assert first["warned_at"] is not None and first["breached_at"] is None


async def test_t2_response_in_time_records_margin_and_no_breach(replicas, amqp_url) -> None:
    one, _, clock = replicas
    clock.set(T0)
    ticket = await one.ticket(kind="consultation")
    clock.set(T0 + timedelta(minutes=1))
    answer = await one.client.post(f"/tickets/{ticket['number']}/responses",
                                   json={"message": "您好"}, headers=one.as_("presales"))
    first = next(t for t in answer.json()["sla"] if t["metric"] == "first_response")
    assert first["met_at"] is not None and first["margin_seconds"] == 120
    doc = await one.db["tickets"].find_one({"_id": ticket["number"]})
    assert doc["next_sla_check_at"] is None


async def test_t3_an_unreadable_ticket_does_not_starve_the_sweep(replicas, amqp_url) -> None:
    one, _, clock = replicas
    start = clock.now()
    broken = (await one.ticket(kind="complaint", grade="general"))["number"]
    good = (await one.ticket(kind="complaint", grade="major"))["number"]
    # A document the domain cannot read, due before every other ticket.
    await one.db["tickets"].update_one({"_id": broken}, {"$set": {
        "sla": "not a list", "next_sla_check_at": start - timedelta(days=365)}})
    async with tap(amqp_url, one.settings.exchange, "tickets.sla.breached") as seen:
        clock.set(start + timedelta(days=3))
        await eventually(lambda: {d["metric"] for d in seen.data("tickets.sla.breached")
                                  if d["ticket_number"] == good} == {"first_response",
                                                                     "rectification"},
                         timeout=60, what="the good ticket's breaches")
    doc = await one.db["tickets"].find_one({"_id": broken})
    assert doc["next_sla_check_at"] > start  # put behind the others, to be tried again


async def test_a_service_whose_database_went_away_still_stops(amqp_url, keys) -> None:
    """The SLA scheduler keeps trying while the database is away; a SIGTERM then still stops
    the service (its cancellation is not lost in the driver's server selection), within the
    drain budget rather than never."""
    with secantus_server() as mongo_url:
        isolation = Isolation(mongo_url, amqp_url, keys)
        app = create_app(isolation.settings("tickets", Settings, sla_scan_interval_s=0.2))
        lifespan = app.router.lifespan_context(app)
        await lifespan.__aenter__()
        scheduler = app.state.runtime.jobs[KEY]
        await eventually(lambda: scheduler.scans >= 2, timeout=30, what="the scheduler running")
    # The database server is gone; the scheduler fails round after round.
    try:
        stopping = asyncio.create_task(lifespan.__aexit__(None, None, None))
        done, _ = await asyncio.wait({stopping}, timeout=120)
        assert stopping in done, "the service did not stop without its database"
        assert stopping.exception() is None
        assert scheduler.task.done()
    finally:
        await isolation.cleanup(databases=False)  # the database went with its server
