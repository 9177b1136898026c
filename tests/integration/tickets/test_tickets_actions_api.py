"""Ticket actions over HTTP: state machine (409 with current_state/allowed), handovers (T7),
rectification and callbacks (T3, T4, T6), links and merges (T8), articles (T10)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

pytestmark = pytest.mark.integration


def _deadline(hours: int = 24) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


async def _post(service, number: str, action: str, body: dict | None = None,
                role: str = "aftersales", staff_id: str | None = None):
    return await service.client.post(f"/tickets/{number}/{action}", json=body,
                                     headers=service.as_(role, staff_id))


async def _timeline(service, number: str) -> list[dict]:
    answer = await service.client.get(f"/tickets/{number}/timeline",
                                      headers=service.as_("supervisor"))
    return answer.json()["entries"]


async def _opened_complaint(service, grade: str = "major") -> str:
    ticket = await service.ticket(kind="complaint", grade=grade)
    assert (await _post(service, ticket["number"], "responses",
                        {"message": "您好"})).status_code == 200
    return ticket["number"]


async def test_impossible_transition_is_409_with_current_state_and_allowed(service) -> None:
    number = (await service.ticket())["number"]
    answer = await _post(service, number, "close")
    assert answer.status_code == 409
    body = answer.json()
    assert body["type"].endswith("/transition-refused")
    assert body["current_state"] == "new"
    assert body["allowed"] == ["open", "escalated", "transferred", "merged"]
    waiting = await _post(service, number, "wait-for-customer", {"note": "等回复"})
    assert waiting.status_code == 409 and waiting.json()["current_state"] == "new"
    assert waiting.json()["target"] == "pending_customer"


async def test_t8_wait_for_customer_and_customer_reply_round_trip(service) -> None:
    number = (await service.ticket())["number"]
    await _post(service, number, "responses", {"message": "请提供照片"})
    parked = await _post(service, number, "wait-for-customer", {"note": "等客户照片"})
    assert parked.status_code == 200 and parked.json()["state"] == "pending_customer"
    back = await _post(service, number, "customer-replies", {"message": "照片已发"})
    assert back.status_code == 200 and back.json()["state"] == "open"
    actions = [e["action"] for e in await _timeline(service, number)]
    assert actions[-2:] == ["customer_replied", "customer_reply_recorded"]


async def test_t7_escalation_goes_supervisor_then_manager_with_notice(service) -> None:
    number = (await service.ticket())["number"]
    skip = await _post(service, number, "escalations", {
        "to_level": "manager", "to_staff_id": "mgr-1", "reason": "超出权限",
        "deadline": _deadline()})
    assert skip.status_code == 403
    first = await _post(service, number, "escalations", {
        "to_level": "supervisor", "to_staff_id": "sup-1", "reason": "超出权限",
        "deadline": "2030-01-02T18:00:00+08:00"})
    assert first.status_code == 200, first.text
    notice = first.json()["customer_notice"]
    assert notice == "您的问题已升级至客服主管处理，预计于 2030-01-02 18:00 前给您答复。"
    ticket = first.json()["ticket"]
    assert ticket["state"] == "escalated" and ticket["assignee_id"] == "sup-1"
    assert ticket["escalation_level"] == "supervisor"
    second = await _post(service, number, "escalations", {
        "to_level": "manager", "to_staff_id": "mgr-1", "reason": "客户要求部长处理",
        "deadline": _deadline(), "customer_notice": "部长将在明天联系您"}, role="supervisor")
    assert second.json()["customer_notice"] == "部长将在明天联系您"
    entry = (await _timeline(service, number))[-1]
    assert entry["action"] == "escalated" and entry["details"]["reason"] == "客户要求部长处理"
    assert entry["details"]["customer_notice"] == "部长将在明天联系您"


async def test_t7_handover_needs_a_future_deadline_and_typed_fields(service) -> None:
    number = (await service.ticket())["number"]
    past = await _post(service, number, "escalations", {
        "to_level": "supervisor", "to_staff_id": "sup-1", "reason": "r",
        "deadline": "2001-01-01T00:00:00+08:00"})
    assert past.status_code == 422 and "deadline" in past.json()["detail"]
    naive = await _post(service, number, "transfers", {
        "department": "仓库", "owner_id": "wh-1", "reason": "r",
        "deadline": "2030-01-01T00:00:00"})
    assert naive.status_code == 422
    injected = await _post(service, number, "transfers", {
        "department": {"$ne": ""}, "owner_id": "wh-1", "reason": "r", "deadline": _deadline()})
    assert injected.status_code == 422


async def test_t7_transfer_to_department_with_owner_and_notice(service) -> None:
    number = (await service.ticket())["number"]
    answer = await _post(service, number, "transfers", {
        "department": "仓库", "owner_id": "wh-1", "reason": "核实发货",
        "deadline": "2030-01-03T12:00:00+08:00"})
    assert answer.status_code == 200, answer.text
    assert "转交仓库处理" in answer.json()["customer_notice"]
    ticket = answer.json()["ticket"]
    assert ticket["state"] == "transferred" and ticket["department"] == "仓库"
    assert ticket["assignee_id"] == "wh-1"


async def test_t2_reassign_is_for_supervisors_and_moves_sla_responsibility(service) -> None:
    number = (await service.ticket())["number"]
    refused = await _post(service, number, "reassign", {"to_staff_id": "as-9"})
    assert refused.status_code == 403
    answer = await _post(service, number, "reassign", {"to_staff_id": "as-9", "reason": "请假"},
                         role="supervisor")
    assert answer.status_code == 200
    ticket = answer.json()
    assert ticket["assignee_id"] == "as-9"
    assert all(t["responsible_id"] == "as-9" for t in ticket["sla"] if t["met_at"] is None)


async def test_t4_close_refused_without_confirmed_callback_api(service) -> None:
    number = await _opened_complaint(service, "general")
    rectified = await _post(service, number, "rectification", {"note": "已补发"})
    assert rectified.status_code == 200
    ticket = rectified.json()
    assert ticket["state"] == "awaiting_callback"
    callback = next(t for t in ticket["sla"] if t["metric"] == "callback")
    assert callback["policy_name"] == "callback_general"
    refused = await _post(service, number, "close")
    assert refused.status_code == 409 and refused.json()["type"].endswith("/callback-required")
    assert refused.json()["current_state"] == "awaiting_callback"
    unconfirmed = await _post(service, number, "callbacks", {
        "question": "满意吗？", "satisfaction": 4})
    assert unconfirmed.status_code == 200 and unconfirmed.json()["state"] == "awaiting_callback"
    confirmed = await _post(service, number, "callbacks", {
        "question": "满意吗？", "satisfaction": 5,
        "confirmation": {"kind": "code", "value": "839201"}})
    assert confirmed.status_code == 200
    closed = confirmed.json()
    assert closed["state"] == "closed" and closed["callbacks"][-1]["confirmed"] is True
    assert next(t for t in closed["sla"] if t["metric"] == "callback")["met_at"] is not None
    again = await _post(service, number, "responses", {"message": "还有问题吗"})
    assert again.status_code == 409 and again.json()["allowed"] == []


@pytest.mark.parametrize("body", [
    {"question": "q", "satisfaction": 6},
    {"question": "q", "satisfaction": "5"},
    {"question": "q", "satisfaction": True},
    {"question": "q", "satisfaction": 3, "confirmation": {"kind": "hug", "value": "x"}},
    {"question": "q", "satisfaction": 3, "extra": 1},
])
async def test_t4_callback_input_is_typed(service, body) -> None:
    number = await _opened_complaint(service)
    assert (await _post(service, number, "callbacks", body)).status_code == 422


async def test_t4_callback_before_rectification_is_refused(service) -> None:
    number = await _opened_complaint(service)
    answer = await _post(service, number, "callbacks", {"question": "q", "satisfaction": 3})
    assert answer.status_code == 422 and "rectification" in answer.json()["detail"]


async def test_t6_special_service_payment_notice_and_callback(service) -> None:
    number = (await service.ticket(kind="special_service"))["number"]
    await _post(service, number, "responses", {"message": "收到"})
    ticket = (await _post(service, number, "rectification", {"note": "特约服务完成"})).json()
    assert {t["metric"] for t in ticket["sla"]} >= {"payment_notice", "callback"}
    noticed = await _post(service, number, "payment-notice")
    assert noticed.status_code == 200
    notice = next(t for t in noticed.json()["sla"] if t["metric"] == "payment_notice")
    assert notice["met_at"] is not None and notice["margin_seconds"] > 0
    other = (await service.ticket())["number"]
    assert (await _post(service, other, "payment-notice")).status_code == 422


async def test_t8_link_is_recorded_on_both_tickets(service) -> None:
    first, second = (await service.ticket())["number"], (await service.ticket())["number"]
    answer = await _post(service, first, "links", {"other_number": second})
    assert answer.status_code == 200 and answer.json()["links"] == [second]
    other = await service.client.get(f"/tickets/{second}", headers=service.as_("supervisor"))
    assert other.json()["links"] == [first]
    assert (await _timeline(service, second))[-1]["details"]["other_number"] == first
    assert (await _post(service, first, "links", {"other_number": first})).status_code == 422
    missing = await _post(service, first, "links", {"other_number": "TK-19990101-0001"})
    assert missing.status_code == 404
    assert (await _post(service, first, "links", {"other_number": "RMA-1"})).status_code == 422


async def test_t8_merge_keeps_both_histories(service) -> None:
    dup, keep = (await service.ticket())["number"], (await service.ticket())["number"]
    answer = await _post(service, dup, "merge", {"into_number": keep})
    assert answer.status_code == 200
    assert answer.json()["state"] == "merged" and answer.json()["merged_into"] == keep
    assert [e["action"] for e in await _timeline(service, dup)] == ["opened", "merged"]
    assert [e["action"] for e in await _timeline(service, keep)] == ["opened", "merged_from"]
    again = await _post(service, dup, "merge", {"into_number": keep})
    assert again.status_code == 409 and again.json()["current_state"] == "merged"


async def _article(service) -> str:
    answer = await service.client.post("/articles", headers=service.as_("aftersales"), json={
        "title": "尺码偏大吗", "body": "本款偏大半码，建议选小一码。"})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


async def test_t10_article_used_is_recorded_once(service) -> None:
    number, article_id = (await service.ticket())["number"], await _article(service)
    for _ in range(2):
        answer = await _post(service, number, "articles-used",
                             {"article_id": article_id, "version": 1})
        assert answer.status_code == 200, answer.text
    assert answer.json()["articles"] == [f"{article_id}@v1"]
    assert (await _post(service, number, "articles-used",
                        {"article_id": article_id, "version": 0})).status_code == 422


async def test_t10_article_used_must_exist_in_that_version(service) -> None:
    number, article_id = (await service.ticket())["number"], await _article(service)
    unknown = await _post(service, number, "articles-used",
                          {"article_id": "kb-does-not-exist", "version": 1})
    assert unknown.status_code == 422 and unknown.json()["field"] == "article_id", unknown.text
    no_version = await _post(service, number, "articles-used",
                             {"article_id": article_id, "version": 2})
    assert no_version.status_code == 422 and no_version.json()["field"] == "version"
    timeline = await _timeline(service, number)
    assert "article_used" not in [e["action"] for e in timeline]


@pytest.mark.parametrize("action,body", [
    ("responses", {"message": "x"}), ("close", None), ("rectification", {"note": "x"}),
    ("payment-notice", None), ("wait-for-customer", {"note": "x"}),
])
async def test_actions_on_unknown_ticket_are_404(service, action, body) -> None:
    answer = await _post(service, "TK-19990101-0001", action, body)
    assert answer.status_code == 404


@pytest.mark.parametrize("action,body", [
    ("responses", {"message": {"$ne": ""}}),
    ("responses", {"message": "x", "as": "admin"}),
    ("responses", None),
    ("rectification", {"note": ["x"]}),
    ("merge", {"into_number": {"$gt": ""}}),
])
async def test_action_bodies_are_typed_and_closed(service, action, body) -> None:
    number = (await service.ticket())["number"]
    assert (await _post(service, number, action, body)).status_code == 422


async def test_actions_need_a_token_and_a_customer_service_role(service) -> None:
    number = (await service.ticket())["number"]
    no_token = await service.client.post(f"/tickets/{number}/responses", json={"message": "x"})
    assert no_token.status_code == 401
    assert (await _post(service, number, "responses", {"message": "x"},
                        role="warehouse")).status_code == 403
