"""(f) The working-day calendar inside a running service: admin days and uncovered years."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from hr.main import create_app
from hr.settings import Settings
from support.harness import running
from support.wait import eventually

pytestmark = pytest.mark.integration
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def test_calendar_admin_day_changes_deadlines_and_is_kept(isolation, keys) -> None:
    settings = isolation.settings("hr", Settings)
    manager = keys.headers("m1", "manager")
    friday = datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)
    async with running(create_app(settings)) as client:
        calendar = client._transport.app.state.runtime.calendar
        assert calendar.add_working_days(friday, 1) == datetime(2026, 11, 30, 10, 0,
                                                                tzinfo=SHANGHAI)
        answer = await client.put("/admin/calendar/days/2026-11-30", headers=manager,
                                  json={"date": "2026-11-30", "kind": "holiday", "note": "stock"})
        assert answer.status_code == 200, answer.text
        assert calendar.add_working_days(friday, 1) == datetime(2026, 12, 1, 10, 0,
                                                                tzinfo=SHANGHAI)
    # A restarted service reads the admin's days back from its database.
    async with running(create_app(settings)) as client:
        calendar = client._transport.app.state.runtime.calendar
        assert not calendar.is_working_day(friday.date().replace(day=30))
        days = (await client.get("/admin/calendar/days", headers=manager)).json()
        assert [(d["date"], d["kind"]) for d in days] == [("2026-11-30", "holiday")]


async def test_calendar_admin_routes_refuse_agents_and_bad_dates(isolation, keys) -> None:
    async with running(create_app(isolation.settings("hr", Settings))) as client:
        agent = await client.put("/admin/calendar/days/2026-12-01", headers=keys.headers(
            "a1", "aftersales"), json={"date": "2026-12-01", "kind": "holiday"})
        assert agent.status_code == 403
        assert agent.headers["content-type"] == "application/problem+json"
        bad = await client.put("/admin/calendar/days/2026-12-01", headers=keys.headers(
            "m1", "manager"), json={"date": "2026-12-01", "kind": "sometimes"})
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["field"] == "kind"


async def test_calendar_missing_year_is_reported_on_readyz(isolation, keys) -> None:
    async with running(create_app(isolation.settings("hr", Settings))) as client:
        await client.put("/admin/calendar/days/2027-01-04", headers=keys.headers("m1", "manager"),
                         json={"date": "2027-01-04", "kind": "holiday"})
        calendar = client._transport.app.state.runtime.calendar
        due = calendar.add_working_days(datetime(2026, 12, 31, 10, 0, tzinfo=SHANGHAI), 2)
        # Fri 1 Jan 2027 counts by the weekly pattern (no admin entry); Mon 4th is an admin
        # holiday, so the second working day is Tue 5th.
        assert due == datetime(2027, 1, 5, 10, 0, tzinfo=SHANGHAI)
        ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["checks"]["calendar"]["missing_years"] == [2027]


async def test_calendar_admin_day_reaches_the_other_replicas(isolation, keys) -> None:
    settings = isolation.settings("hr", Settings, calendar_refresh_s=0.2)
    async with running(create_app(settings)) as first, running(create_app(settings)) as second:
        answer = await first.put("/admin/calendar/days/2026-12-02", headers=keys.headers(
            "m1", "manager"), json={"date": "2026-12-02", "kind": "holiday"})
        assert answer.status_code == 200
        other = second._transport.app.state.runtime.calendar
        await eventually(lambda: not other.is_working_day(date(2026, 12, 2)), timeout=10,
                         what="the second replica sees the admin holiday")
