"""Bad input found by fuzzing the tickets API: each gets a 4xx problem naming the field, not a
500 (dates out of range overflowed the shop-zone/BSON arithmetic, an SLA policy beyond the
calendar's reach broke ticket intake) and not a bare 422 that names nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

pytestmark = pytest.mark.integration

TOO_EARLY = "0001-01-01T00:00:00+08:00"  # before year 1 in UTC
TOO_LATE = "9999-12-31T23:59:59-08:00"  # after year 9999 in UTC
PERIOD_ROUTES = ("/reports/agents", "/reports/agents.csv", "/suggestions/summary",
                 "/complaints/summary")


def _problem(answer, status: int, field: str) -> dict:
    """The answer is a problem with `status` that names `field`."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    named = {body.get("field"), *(e["field"] for e in body.get("errors", []))}
    assert field in named, body
    return body


def _deadline(hours: int = 24) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


async def _post(service, path: str, body: dict, role: str = "aftersales"):
    return await service.client.post(path, json=body, headers=service.as_(role))


@pytest.mark.parametrize("path", PERIOD_ROUTES)
@pytest.mark.parametrize("period,field", [
    ({"from": "9999-12-31", "to": "9999-12-31"}, "from"),
    ({"from": "0001-01-01", "to": "0001-01-02"}, "from"),
    ({"from": "2026-11-02", "to": "2026-11-01"}, "to"),
])
async def test_report_periods_out_of_range_are_422(service, path, period, field) -> None:
    answer = await service.client.get(path, params=period, headers=service.as_("supervisor"))
    _problem(answer, 422, field)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
async def test_survey_round_days_out_of_range_are_422(service, day) -> None:
    answer = await _post(service, "/surveys", {"title": "t", "starts_on": day, "ends_on": day},
                         role="supervisor")
    _problem(answer, 422, "starts_on")


async def test_survey_answer_time_out_of_range_is_422(service) -> None:
    opened = await _post(service, "/surveys", {"title": "t", "starts_on": "2026-10-01",
                                               "ends_on": "2026-10-31"}, role="supervisor")
    assert opened.status_code == 201, opened.text
    answer = await _post(service, f"/surveys/{opened.json()['id']}/responses",
                         {"customer_id": "c-1", "score": 3, "answered_at": TOO_EARLY})
    _problem(answer, 422, "answered_at")


@pytest.mark.parametrize("deadline", [TOO_EARLY, TOO_LATE])
@pytest.mark.parametrize("action,body", [
    ("escalations", {"to_level": "supervisor", "to_staff_id": "sup-1", "reason": "r"}),
    ("transfers", {"department": "仓库", "owner_id": "wh-1", "reason": "r"}),
])
async def test_handover_deadline_out_of_range_is_422(service, action, body, deadline) -> None:
    number = (await service.ticket())["number"]
    answer = await _post(service, f"/tickets/{number}/{action}", {**body, "deadline": deadline})
    _problem(answer, 422, "deadline")


async def test_sla_policy_beyond_the_calendar_is_422_and_intake_keeps_working(service) -> None:
    body = {"applies_to": {"kind": "consultation", "channel": "visit"},
            "metric": "first_response", "amount": 10_000, "unit": "working_days"}
    answer = await service.client.put("/sla-policies/robust_far", json=body,
                                      headers=service.as_("manager"))
    _problem(answer, 422, "amount")
    ticket = await service.ticket(kind="consultation", channel="visit")
    assert all(t["policy_name"] != "robust_far" for t in ticket["sla"])


async def test_article_version_beyond_any_article_is_422(service) -> None:
    number = (await service.ticket())["number"]
    answer = await _post(service, f"/tickets/{number}/articles-used",
                         {"article_id": "kb-size", "version": 2**64})
    _problem(answer, 422, "version")


async def test_rule_refusals_about_one_input_name_it(service) -> None:
    number = (await service.ticket())["number"]
    _problem(await _post(service, f"/tickets/{number}/links", {"other_number": number}),
             422, "other_number")
    _problem(await _post(service, f"/tickets/{number}/merge", {"into_number": number}),
             422, "into_number")
    _problem(await _post(service, f"/tickets/{number}/escalations", {
        "to_level": "supervisor", "to_staff_id": "sup-1", "reason": "r",
        "deadline": "2001-01-01T00:00:00+08:00"}), 422, "deadline")
    await _post(service, f"/tickets/{number}/responses", {"message": "您好"})
    _problem(await _post(service, f"/tickets/{number}/wait-for-customer", {"note": "   "}),
             422, "note")
    ticket = {"channel": "im", "kind": "complaint", "description": "d", "importance": "low",
              "urgency": "low"}
    customer_id = await service.customer()
    _problem(await _post(service, "/tickets", {**ticket, "customer_id": customer_id}),
             422, "grade")
    _problem(await _post(service, "/tickets", {**ticket, "grade": "major",
                                               "customer_id": "CU-NOBODY"}), 422, "customer_id")
    _problem(await _post(service, "/customers", {"name": "李四", "tier": "no_such_tier"}),
             422, "tier")
    _problem(await _post(service, "/tickets", {**ticket, "grade": "major", "customer": {
        "name": "李四", "tier": "no_such_tier"}}), 422, "customer.tier")
    search = await service.client.get("/articles/search", params={"q": "!!"},
                                      headers=service.as_("presales"))
    _problem(search, 422, "q")


async def test_a_body_that_is_not_json_names_the_body_not_a_character_offset(service) -> None:
    answer = await service.client.post(
        "/tickets", content=b'{"channel": "im", "kind": ', headers={
            **service.as_("aftersales"), "content-type": "application/json"})
    assert answer.status_code == 422, answer.text
    errors = answer.json()["errors"]
    assert [e["field"] for e in errors] == ["body"]
    assert errors[0]["type"] == "json_invalid"
    assert "at character" in errors[0]["reason"]
