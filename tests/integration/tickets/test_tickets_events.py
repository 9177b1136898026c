"""What the tickets service publishes, seen on a raw queue bound to the real exchange:
tickets.ticket.opened (T1), return.requested (L1), complaint.verified (T12),
suggestion.adopted (T11), callback.completed (T4)."""

from __future__ import annotations

import pytest

from support.ticketing import tap
from support.wait import eventually

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def seen(service, amqp_url):
    async with tap(amqp_url, service.settings.exchange, "tickets.#") as collected:
        yield collected


def _for(seen, type_: str, number: str) -> list[dict]:
    return [d for d in seen.data(type_) if d["ticket_number"] == number]


async def _post(service, number: str, action: str, body: dict | None, role: str = "aftersales",
                staff_id: str | None = None):
    return await service.client.post(f"/tickets/{number}/{action}", json=body,
                                     headers=service.as_(role, staff_id))


async def test_t1_ticket_opened_is_published(service, seen) -> None:
    ticket = await service.ticket(kind="complaint", grade="general", importance="high",
                                  urgency="high")
    found = await eventually(lambda: _for(seen, "tickets.ticket.opened", ticket["number"]),
                             timeout=20, what="tickets.ticket.opened")
    assert found[0]["kind"] == "complaint" and found[0]["priority"] == "P1"
    assert found[0]["channel"] == "im" and found[0]["assignee_id"] is None
    message = next(m for m in seen.of("tickets.ticket.opened")
                   if m["data"]["ticket_number"] == ticket["number"])
    assert message["producer"] == "tickets" and message["version"] == 1


async def test_l1_return_request_is_published_for_logistics(service, seen) -> None:
    ticket = await service.ticket(kind="aftersales")
    answer = await _post(service, ticket["number"], "return-requests", {
        "kind": "exchange", "order_id": "TB-42", "reason": "尺码偏大", "quality_claim": False,
        "items": [{"sku": "WOOL-38", "quantity": 1}], "wanted_replacement": "WOOL-37"},
        staff_id="as-ret")
    assert answer.status_code == 200, answer.text
    found = await eventually(
        lambda: _for(seen, "tickets.return.requested", ticket["number"]), timeout=20)
    assert found[0]["customer_id"] == ticket["customer_id"]
    assert found[0]["items"] == [{"sku": "WOOL-38", "quantity": 1}]
    assert found[0]["requested_by"] == "as-ret" and found[0]["kind"] == "exchange"
    no_replacement = await _post(service, ticket["number"], "return-requests", {
        "kind": "exchange", "order_id": "TB-42", "reason": "r",
        "items": [{"sku": "W", "quantity": 1}]})
    assert no_replacement.status_code == 422
    no_items = await _post(service, ticket["number"], "return-requests", {
        "kind": "return", "order_id": "TB-42", "reason": "r", "items": []})
    assert no_items.status_code == 422


async def test_l1_return_request_carries_the_amounts_paid_per_item(service, seen) -> None:
    """Issue 8: `unit_paid_fen` per item is published as given; an omitted one is left out."""
    ticket = await service.ticket(kind="aftersales")
    answer = await _post(service, ticket["number"], "return-requests", {
        "kind": "return", "order_id": "TB-43", "reason": "质量问题", "quality_claim": True,
        "items": [{"sku": "WOOL-38", "quantity": 2, "unit_paid_fen": 25900},
                  {"sku": "GIFT-BOX", "quantity": 1, "unit_paid_fen": 0},
                  {"sku": "SCARF", "quantity": 1}]}, staff_id="as-ret")
    assert answer.status_code == 200, answer.text
    found = await eventually(
        lambda: _for(seen, "tickets.return.requested", ticket["number"]), timeout=20)
    assert found[0]["items"] == [{"sku": "WOOL-38", "quantity": 2, "unit_paid_fen": 25900},
                                 {"sku": "GIFT-BOX", "quantity": 1, "unit_paid_fen": 0},
                                 {"sku": "SCARF", "quantity": 1}]
    for bad in (-1, 100_000_001, "259", 259.5):
        refused = await _post(service, ticket["number"], "return-requests", {
            "kind": "return", "order_id": "TB-43", "reason": "r",
            "items": [{"sku": "W", "quantity": 1, "unit_paid_fen": bad}]})
        assert refused.status_code == 422, (bad, refused.text)
    assert len(_for(seen, "tickets.return.requested", ticket["number"])) == 1


async def test_t12_verified_staff_complaint_is_published_once(service, seen) -> None:
    number = (await service.ticket(kind="complaint", grade="general"))["number"]
    body = {"staff_id": "as-rude", "note": "录音核实属实"}
    agent = await _post(service, number, "staff-complaint-verification", body)
    assert agent.status_code == 403
    ok = await _post(service, number, "staff-complaint-verification", body, role="supervisor",
                     staff_id="sup-v")
    assert ok.status_code == 200, ok.text
    twice = await _post(service, number, "staff-complaint-verification", body, role="supervisor")
    assert twice.status_code == 422
    found = await eventually(
        lambda: _for(seen, "tickets.complaint.verified", number), timeout=20)
    assert found[0]["staff_id"] == "as-rude" and found[0]["verified_by"] == "sup-v"
    not_complaint = (await service.ticket(kind="suggestion"))["number"]
    wrong_kind = await _post(service, not_complaint, "staff-complaint-verification", body,
                             role="manager")
    assert wrong_kind.status_code == 422


async def test_t11_adopted_suggestion_is_published_with_points(service, seen) -> None:
    number = (await service.ticket(kind="suggestion"))["number"]
    supervisor = await _post(service, number, "suggestion-adoption",
                             {"author_staff_id": "as-idea", "points": 5}, role="supervisor")
    assert supervisor.status_code == 403
    for points in (2, 21, "5"):
        bad = await _post(service, number, "suggestion-adoption",
                          {"author_staff_id": "as-idea", "points": points}, role="manager")
        assert bad.status_code == 422, points
    ok = await _post(service, number, "suggestion-adoption",
                     {"author_staff_id": "as-idea", "points": 8}, role="manager",
                     staff_id="mgr-a")
    assert ok.status_code == 200, ok.text
    found = await eventually(
        lambda: _for(seen, "tickets.suggestion.adopted", number), timeout=20)
    assert found[0]["points"] == 8 and found[0]["adopted_by"] == "mgr-a"
    assert found[0]["author_staff_id"] == "as-idea"


async def test_t4_only_a_confirmed_callback_is_published(service, seen) -> None:
    number = (await service.ticket(kind="complaint", grade="major"))["number"]
    await service.client.post(f"/tickets/{number}/reassign", headers=service.as_("supervisor"),
                              json={"to_staff_id": "as-cb", "reason": "test"})
    await _post(service, number, "responses", {"message": "您好"}, staff_id="as-cb")
    await _post(service, number, "rectification", {"note": "已处理"}, staff_id="as-cb")
    await _post(service, number, "callbacks", {"question": "满意吗", "satisfaction": 2})
    confirmed = await _post(service, number, "callbacks", {
        "question": "满意吗", "satisfaction": 4,
        "confirmation": {"kind": "signature_ref", "value": "img/sig-1.png"}})
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "closed"
    found = await eventually(
        lambda: _for(seen, "tickets.callback.completed", number), timeout=20)
    assert len(found) == 1
    assert found[0]["satisfaction"] == 4 and found[0]["agent_id"] == "as-cb"
