"""Conventions every tickets route keeps: staff-facing times in the shop's offset (+08:00), and
only the query parameters a route declares (an undeclared one is a 422, never ignored)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.integration
SHOP = ZoneInfo("Asia/Shanghai")
MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _times(value: Any, path: str = "") -> list[tuple[str, str]]:
    """Every (path, string) in a JSON answer that is a date and time."""
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _times(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [t for i, v in enumerate(value) for t in _times(v, f"{path}[{i}]")]
    return [(path, value)] if isinstance(value, str) and MOMENT.match(value) else []


def _all_in_shop_offset(answer: Any) -> list[tuple[str, str]]:
    found = _times(answer)
    assert found, "the answer carries no time"
    wrong = [(p, v) for p, v in found if not v.endswith("+08:00")]
    assert not wrong, wrong
    return found


async def test_times_in_answers_carry_the_shop_offset(service) -> None:
    """Issue #7 item 10: stored (UTC), computed (shop zone) and given (Z) times all leave as
    +08:00, the same instants."""
    number = (await service.ticket(kind="complaint", grade="major"))["number"]
    headers = service.as_("aftersales")
    deadline = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    answer = await service.client.post(
        f"/tickets/{number}/escalations", headers=headers,
        json={"to_level": "supervisor", "to_staff_id": "sup-1", "reason": "超出权限",
              "deadline": deadline.isoformat().replace("+00:00", "Z")})
    assert answer.status_code == 200, answer.text
    ticket = answer.json()["ticket"]
    _all_in_shop_offset(ticket)
    assert datetime.fromisoformat(ticket["deadline"]) == deadline  # same instant, shop offset
    assert datetime.fromisoformat(ticket["deadline"]).utcoffset() == timedelta(hours=8)

    read = (await service.client.get(f"/tickets/{number}", headers=headers)).json()
    _all_in_shop_offset(read)
    timeline = await service.client.get(f"/tickets/{number}/timeline", headers=headers)
    found = dict(_all_in_shop_offset(timeline.json()))
    escalated = [v for p, v in found.items() if p.endswith(".details.deadline")]
    assert [datetime.fromisoformat(v) for v in escalated] == [deadline]

    article = await service.client.post("/articles", headers=headers,
                                        json={"title": "尺码", "body": "偏大半码。"})
    _all_in_shop_offset(article.json())
    listed = await service.client.get(f"/customers/{ticket['customer_id']}/tickets",
                                      headers=headers)
    _all_in_shop_offset(listed.json())


async def test_survey_and_review_times_carry_the_shop_offset(service) -> None:
    headers = service.as_("supervisor")
    answer = await service.client.post("/surveys", headers=headers, json={
        "title": "时间格式", "starts_on": "2026-11-01", "ends_on": "2026-11-30"})
    assert answer.status_code == 201, answer.text
    found = dict(_all_in_shop_offset(answer.json()))
    assert datetime.fromisoformat(found[".period_start"]) == datetime(2026, 11, 1, tzinfo=SHOP)
    review = await service.client.get("/review/daily", headers=headers)
    _all_in_shop_offset(review.json())


@pytest.mark.parametrize(("role", "path"), [
    ("presales", "/articles?tags=x"),
    ("presales", "/articles?tag[$ne]=x"),
    ("presales", "/articles/search?q=运费&sort=score"),
    ("presales", "/articles/search?q=运费&tag[$ne]=x"),
    ("presales", "/customers/CU0000000000/tickets?status[$ne]=x"),
    ("presales", "/customers/CU0000000000/tickets?page=1&size=5"),
    ("supervisor", "/review/daily?owner=as-1"),
    ("supervisor", "/review/daily?day[$ne]=x"),
    ("supervisor", "/survey-dispatches?status[$ne]=x"),
    ("supervisor", "/survey-dispatches?overdue=true&dept=logistics"),
])
async def test_issue7_undeclared_query_parameters_are_422(service, role, path) -> None:
    answer = await service.client.get(path, headers=service.as_(role))
    assert answer.status_code == 422, (path, answer.text)
    assert answer.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(("role", "path"), [
    ("presales", "/articles?tag=尺码&include_archived=true&limit=5"),
    ("presales", "/articles/search?q=运费&tag=尺码&limit=5"),
    ("supervisor", "/survey-dispatches?overdue=true&department=logistics&round_id=sr-x&limit=5"),
])
async def test_declared_query_parameters_are_accepted(service, role, path) -> None:
    answer = await service.client.get(path, headers=service.as_(role))
    assert answer.status_code == 200, (path, answer.text)


async def test_t13_daily_review_serves_today_and_refuses_another_day(service) -> None:
    headers = service.as_("supervisor")
    today = datetime.now(SHOP).date()
    answer = await service.client.get("/review/daily", params={"day": today.isoformat()},
                                      headers=headers)
    if answer.status_code == 422 and answer.json().get("field") == "day":  # midnight passed
        today = datetime.now(SHOP).date()
        answer = await service.client.get("/review/daily", params={"day": today.isoformat()},
                                          headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["day"] == today.isoformat()
    for day in (today - timedelta(days=1), today + timedelta(days=1)):
        refused = await service.client.get("/review/daily", params={"day": day.isoformat()},
                                           headers=headers)
        assert refused.status_code == 422, refused.text
        assert refused.json()["field"] == "day"
    for bad in ("yesterday", "2026-13-01", "1999-12-31"):
        refused = await service.client.get("/review/daily", params={"day": bad}, headers=headers)
        assert refused.status_code == 422, (bad, refused.text)
