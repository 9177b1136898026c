"""Every hot query is served by an index (issue 7, item 9), proved by the server's query plans.

The repositories run their hot queries on a client that records every command it sends; each
recorded read is then `explain`ed, and no winning plan may scan the whole collection. SecantusDB
answers `explain` like mongod (`queryPlanner.winningPlan`, stages COLLSCAN / IXSCAN / FETCH...),
so the same check holds on either server. A query added to these paths without an index that
serves it, or an index dropped or changed under one, fails here instead of slowing the service
down as its collections grow (the unidentified-parcel lookup fell from 37 to 5 events/s).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pymongo import AsyncMongoClient, monitoring

from tickets.domain.model import Kind, Period
from tickets.domain.ports import TicketFilter
from tickets.storage.unit_of_work import MongoTicketsRepositories

READS = {"find", "aggregate", "count", "findAndModify", "distinct"}
_SESSION_FIELDS = {"lsid", "txnNumber", "autocommit", "startTransaction", "readConcern"}


class Recorder(monitoring.CommandListener):
    """Keeps every read command a client sends."""

    def __init__(self) -> None:
        self.commands: list[dict[str, Any]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in READS:
            self.commands.append(dict(event.command))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None: ...

    def failed(self, event: monitoring.CommandFailedEvent) -> None: ...


def _stages(plan: dict[str, Any]) -> list[str]:
    stages = [plan.get("stage", "?")]
    for key in ("inputStage", "queryPlan"):
        if isinstance(plan.get(key), dict):
            stages += _stages(plan[key])
    for child in plan.get("inputStages", []):
        stages += _stages(child)
    return stages


def _winning_plan(explained: dict[str, Any]) -> dict[str, Any]:
    if "queryPlanner" in explained:
        return explained["queryPlanner"]["winningPlan"]
    for stage in explained.get("stages", []):  # an aggregation explained stage by stage
        cursor = stage.get("$cursor")
        if cursor:
            return cursor["queryPlanner"]["winningPlan"]
    raise AssertionError(f"no query plan in {explained}")


async def _run_hot_queries(repos: MongoTicketsRepositories, number: str, customer_id: str,
                           platform_id: str) -> None:
    now = datetime.now(UTC)
    await repos.tickets.find_by_source("parcel:task-does-not-exist")  # L6 duplicate lookup
    await repos.tickets.claim_due(number, now)  # T2-T6 sweep, per ticket
    await repos.ticket_queries.due_numbers(now, 50)  # T2-T6 sweep
    await repos.ticket_queries.has_open_ticket(customer_id, "as-plan")  # open tickets of one
    await repos.ticket_queries.get(number)
    await repos.ticket_queries.timeline(number)
    for where in (TicketFilter(), TicketFilter(state="new"), TicketFilter(kind="complaint"),
                  TicketFilter(assignee_id="as-plan"), TicketFilter(unassigned=True),
                  TicketFilter(customer_id=customer_id),
                  TicketFilter(assignee_id="as-plan", state="open"),
                  TicketFilter(customer_id=customer_id, state="new", kind="aftersales")):
        await repos.ticket_queries.search(where, 1, 20)
    period = Period(now - timedelta(days=1), now + timedelta(days=1))
    await repos.ticket_queries.opened_between(period)
    await repos.ticket_queries.opened_between(period, Kind.COMPLAINT)
    await repos.staff.on_duty("aftersales", date(2026, 11, 26), time(10, 0))  # T1 assignment
    await repos.staff.open_loads(["as-plan", "as-plan-2"])
    await repos.staff.take_turn("aftersales", "TK-20261126-9999", lambda _last: "as-plan", now)
    await repos.customers.by_platform_id(platform_id)
    await repos.review.open_items()  # T13 review list
    await repos.numbers.next(date(2031, 1, 2))  # T1: the released pool, then the counter
    await repos.numbers.reserve(date(2031, 1, 2), "parcel:plan")  # T1: a task's number


async def test_hot_queries_are_served_by_indexes(service, mongo_url) -> None:
    ticket = await service.ticket()
    customer = await service.db["customers"].find_one({"_id": ticket["customer"]["id"]})
    await service.db["duty"].insert_one({  # someone on duty, so the directory is asked too
        "_id": "2026-11-26:as-plan:early", "day": "2026-11-26", "month": "2026-11",
        "team": None, "staff_id": "as-plan", "role": "aftersales", "shift": "early",
        "periods": [{"start": "09:00:00", "end": "11:30:00"}]})
    recorder = Recorder()
    client: AsyncMongoClient = AsyncMongoClient(mongo_url, tz_aware=True,
                                                event_listeners=[recorder])
    try:
        db = client[service.settings.database]
        await _run_hot_queries(MongoTicketsRepositories(db), ticket["number"], customer["_id"],
                               customer["platform_ids"][0])
        assert len(recorder.commands) >= 25, recorder.commands
        scans = []
        for command in recorder.commands:
            asked = {k: v for k, v in command.items()
                     if not k.startswith("$") and k not in _SESSION_FIELDS}
            explained = await db.command("explain", asked)
            stages = _stages(_winning_plan(explained))
            if "COLLSCAN" in stages:
                scans.append((asked, stages))
        assert not scans, "\n".join(f"{stages}: {asked}" for asked, stages in scans)
    finally:
        await client.close()
