"""Events in and out on the real broker: tickets.return.requested opens an RMA (L1, once),
the contracts logistics publishes, an unidentified parcel reaching tickets as an after-sales
ticket (L6), a recall from cancellation to refund (L10, L11, L7)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from logistics_support import order_id, receipt_event

from ops_shared.contracts import new_envelope
from ops_shared.contracts.tickets import ReturnItem, ReturnRequested
from support.harness import running
from support.ticketing import Service, tap
from support.wait import eventually
from tickets.main import create_app as create_tickets
from tickets.settings import Settings as TicketsSettings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def seen(service, amqp_url):
    async with tap(amqp_url, service.settings.exchange, "logistics.#") as collected:
        yield collected


def _request(**fields) -> ReturnRequested:
    values = {"ticket_number": "TK-20261126-0042", "kind": "return", "order_id": order_id(),
              "customer_id": "cust-1", "reason": "鞋底开胶", "quality_claim": True,
              "items": [ReturnItem(sku="WOOL-38", quantity=1, unit_paid_fen=25900)],
              "requested_by": "as-7", "requested_at": datetime.now(UTC), **fields}
    return ReturnRequested(**values)


async def test_l1_return_requested_opens_one_rma_and_publishes_it(service, seen) -> None:
    event = _request()
    envelope = new_envelope(event)
    await service.send(envelope)
    await service.send(envelope)  # redelivered
    opened = await eventually(lambda: [d for d in seen.data("logistics.rma.opened")
                                       if d["order_id"] == event.order_id], timeout=30)
    rmas = (await service.get("/rmas", order_id=event.order_id)).json()
    assert len(rmas) == 1 and opened[0]["rma_number"] == rmas[0]["number"]
    rma = rmas[0]
    assert rma["ticket_number"] == event.ticket_number and rma["owner_id"] == "as-7"
    assert rma["items"] == [{"sku": "WOOL-38", "quantity": 1, "unit_paid_fen": 25900}]
    assert opened[0]["quality_claim"] is True and opened[0]["owner_id"] == "as-7"
    tracked = await service.post(f"/rmas/{rma['number']}/tracking",
                                 {"tracking_number": "SF-E1"})
    assert tracked.status_code == 200
    changes = await eventually(lambda: [d for d in seen.data("logistics.rma.status_changed")
                                        if d["rma_number"] == rma["number"]], timeout=30)
    assert changes[0]["refund_in_progress"] is True and changes[0]["owner_id"] == "as-7"
    assert changes[0]["next_action_at"] is not None
    # Another ticket asks again for the same items: no second RMA, a note on the first.
    await service.send(_request(order_id=event.order_id, ticket_number="TK-20261126-0043"))

    async def noted() -> bool:
        timeline = (await service.get(f"/rmas/{rma['number']}/timeline")).json()
        return any(e["action"] == "duplicate_request" for e in timeline)
    await eventually(noted, timeout=30)
    assert len((await service.get("/rmas", order_id=event.order_id)).json()) == 1


async def test_l1_request_without_amounts_is_opened_but_not_refundable(service) -> None:
    event = _request(items=[ReturnItem(sku="RUBBER-40", quantity=2)], quality_claim=False)
    await service.send(event)
    rmas = await eventually(lambda: _listed(service, event.order_id), timeout=30)
    assert rmas[0]["items"][0]["unit_paid_fen"] is None


async def _listed(service, order: str) -> list:
    return (await service.get("/rmas", order_id=order)).json()


async def test_l10_l11_recall_from_cancellation_to_refund(service, seen) -> None:
    unprinted = order_id()
    void = await service.post(f"/orders/{unprinted}/cancellation", {
        "printed": False, "paid_fen": 39900, "reason": "客户取消"}, role="order_desk")
    assert void.status_code == 201 and void.json()["outcome"] == "voided"
    twice = await service.post(f"/orders/{unprinted}/cancellation", {
        "printed": False, "paid_fen": 39900, "reason": "again"}, role="order_desk")
    assert twice.status_code == 409
    printed, tracking = order_id(), f"ZTO{uuid.uuid4().hex[:8]}"
    answer = await service.post(f"/orders/{printed}/cancellation", {
        "printed": True, "paid_fen": 39900, "reason": "客户取消", "tracking_number": tracking,
        "courier": "ZTO"}, role="order_desk", staff_id="desk-1")
    assert answer.status_code == 201, answer.text
    recall = answer.json()["recall"]
    number = recall["number"]
    assert recall["state"] == "requested"
    early = await service.post(f"/recalls/{number}/refund")
    assert early.status_code == 409 and early.json()["allowed"] == [
        "courier_accepted", "courier_refused", "failed"]
    for path, body, role in (
            ("courier-answer", {"accepted": True}, "aftersales"),
            ("slip", {"slip_number": "SLIP-1", "courier_signed_by": "快递员王五"}, "order_desk"),
            ("returning", None, "order_desk")):
        step = await service.post(f"/recalls/{number}/{path}", body, role=role)
        assert step.status_code == 200, step.text
    # The parcel comes back through the warehouse: matched by tracking number.
    await service.send(receipt_event(tracking_number=tracking))
    back = await eventually(lambda: _recall_in(service, number, "parcel_received"), timeout=30)
    assert back["received"]["receipt_id"] is not None
    assert (await service.get(f"/recalls/{number}/refund")).status_code == 404
    refund = await service.post(f"/recalls/{number}/refund")
    assert refund.status_code == 201 and refund.json()["amount_fen"] == 39900
    kept = await service.get(f"/recalls/{number}/refund")
    assert kept.status_code == 200, kept.text
    assert (kept.json()["refund_id"], kept.json()["subject"]) == (
        refund.json()["refund_id"], number)
    assert (await service.post(f"/recalls/{number}/refund")).status_code == 409
    issued = await eventually(lambda: [d for d in seen.data("logistics.refund.issued")
                                       if d["rma_number"] == number], timeout=30)
    assert issued[0]["amount_fen"] == 39900
    timeline = (await service.get(f"/recalls/{number}/timeline")).json()
    assert [e["action"] for e in timeline] == [
        "requested", "courier_answered", "slip_recorded", "returning", "parcel_received",
        "refunded"]


async def _recall_in(service, number: str, state: str) -> dict | None:
    recall = (await service.get(f"/recalls/{number}")).json()
    return recall if recall["state"] == state else None


async def test_l10_order_desk_signs_the_parcel_received(service) -> None:
    answer = await service.post(f"/orders/{order_id()}/cancellation", {
        "printed": True, "paid_fen": 100, "reason": "r", "tracking_number": "T1"},
        role="order_desk")
    number = answer.json()["recall"]["number"]
    await service.post(f"/recalls/{number}/courier-answer", {"accepted": True})
    signed = await service.post(f"/recalls/{number}/parcel-received",
                                {"signed_by": "打单员李", "on": "2026-11-27"},
                                role="order_desk")
    assert signed.status_code == 200, signed.text
    assert signed.json()["received"]["signed_by"] == "打单员李"
    assert (await service.post(f"/recalls/{number}/parcel-received",
                               {"signed_by": "x", "on": "2026-11-27"},
                               role="aftersales")).status_code == 403
    no_tracking = await service.post(f"/orders/{order_id()}/cancellation", {
        "printed": True, "paid_fen": 100, "reason": "r"}, role="order_desk")
    assert no_tracking.status_code == 422
    refused = await service.post(f"/orders/{order_id()}/cancellation", {
        "printed": True, "paid_fen": 100, "reason": "r", "tracking_number": "T"},
        role="warehouse")
    assert refused.status_code == 403


async def test_l6_unidentified_parcel_reaches_tickets_as_aftersales_ticket(
        isolation, keys, service, amqp_url) -> None:
    settings = isolation.settings("tickets", TicketsSettings, exchange=service.settings.exchange,
                                  sla_scan_interval_s=3600)
    app = create_tickets(settings)
    async with running(app) as client:
        tickets = Service(client, app.state.runtime, settings, keys.headers)
        event = receipt_event(customer_ref=f"tb_{uuid.uuid4().hex[:8]}", tracking_number="UNK")
        await service.send(event)
        task_id = f"PT-{event.receipt_id}"

        async def opened() -> dict | None:
            return await tickets.db.tickets.find_one({"source_ref": f"parcel:{task_id}"})
        ticket = await eventually(opened, timeout=30, what="after-sales ticket for the parcel")
        assert ticket["kind"] == "aftersales"
        assert event.receipt_id in ticket["description"]
