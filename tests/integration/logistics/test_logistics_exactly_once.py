"""Exactly once on the real broker and database (L6, L7): the same receipt many times, a
consumer restarted mid-run, two replicas, a double click racing a redelivery, a receipt racing
a cancellation, and a malformed receipt dead-lettered then replayed after correction."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from logistics_support import receipt_event

from ops_shared.contracts import new_envelope
from support.broker import raw_channel
from support.ticketing import tap
from support.wait import eventually

pytestmark = [pytest.mark.integration, pytest.mark.slow]


async def _in_transit(svc, **fields) -> tuple[str, str]:
    rma = await svc.rma(**fields)
    tracking = f"SF{uuid.uuid4().hex[:10]}"
    answer = await svc.post(f"/rmas/{rma['number']}/tracking", {
        "tracking_number": tracking, "return_postage_fen": 800})
    assert answer.status_code == 200, answer.text
    return rma["number"], tracking


async def _settled(svc, seen, rma_number: str, quiet_s: float = 1.0) -> None:
    """Wait until the queue is drained and nothing new was published for `quiet_s`."""
    async def drained() -> bool:
        async with raw_channel(svc.settings.amqp_url) as channel:
            queue = await channel.declare_queue(svc.settings.queue("events"), passive=True)
            return queue.declaration_result.message_count == 0
    await eventually(drained, timeout=30, what="queue drained")
    before = len(seen.messages)
    await asyncio.sleep(quiet_s)
    await eventually(lambda: len(seen.messages) == before, timeout=10)


def _refunds_on_bus(seen, rma_number: str) -> list[dict]:
    return [d for d in seen.data("logistics.refund.issued") if d["rma_number"] == rma_number]


async def test_l7_same_receipt_five_times_and_a_restart_give_one_refund(start_logistics,
                                                                        amqp_url) -> None:
    async with start_logistics() as first, start_logistics(settings=first.settings) as second, \
            tap(amqp_url, first.settings.exchange, "logistics.#") as seen:
        number, tracking = await _in_transit(first, quality_claim=True, photos=["p/1.jpg"])
        await first.post(f"/rmas/{number}/quality-decision", {"verdict": "confirmed"})
        event = receipt_event(rma_number=number, tracking_number=tracking)
        envelope = new_envelope(event)
        await first.send(envelope)
        await first.send(envelope)  # a redelivery: the same message id
        await first.runtime.consumer.stop()
        await second.runtime.consumer.stop()
        await first.send(new_envelope(event))  # the warehouse publishing the receipt again
        await first.send(envelope)
        await first.runtime.consumer.start()
        await second.runtime.consumer.start()
        await first.send(new_envelope(event))
        await eventually(lambda: _refunds_on_bus(seen, number), timeout=30)
        await _settled(first, seen, number)
        refunds = await first.refunds(number)
        assert len(refunds) == 1
        assert refunds[0]["amount_fen"] == 29900 + 800 and refunds[0]["postage_fen"] == 800
        assert len(_refunds_on_bus(seen, number)) == 1
        assert await first.db.receipts.count_documents({"_id": event.receipt_id}) == 1


async def test_l7_double_click_and_redelivery_at_once_give_one_refund(start_logistics,
                                                                      amqp_url) -> None:
    async with start_logistics() as svc, \
            tap(amqp_url, svc.settings.exchange, "logistics.refund.issued") as seen:
        number, _ = await _in_transit(svc)
        envelope = new_envelope(receipt_event(rma_number=number))
        click = {"override_reason": "客户催促"}
        answers = await asyncio.gather(
            svc.send(envelope), svc.send(envelope),
            svc.post(f"/rmas/{number}/refund", click, role="supervisor", staff_id="sup-1"),
            svc.post(f"/rmas/{number}/refund", click, role="supervisor", staff_id="sup-1"))
        clicks = [a.status_code for a in answers[2:]]
        assert clicks.count(201) <= 1 and all(c in (201, 409) for c in clicks), clicks
        await eventually(lambda: _refunds_on_bus(seen, number), timeout=30)
        await eventually(lambda: svc.db.receipts.count_documents({}), timeout=30)
        await _settled(svc, seen, number)
        assert len(await svc.refunds(number)) == 1
        assert len(_refunds_on_bus(seen, number)) == 1
        rma = (await svc.get(f"/rmas/{number}")).json()
        assert rma["state"] == "refunded" and rma["inspection"] is not None


async def test_l6_receipt_racing_a_cancellation_never_both(service, amqp_url) -> None:
    for _ in range(3):
        number, tracking = await _in_transit(service)
        event = receipt_event(tracking_number=tracking)
        _, cancel = await asyncio.gather(
            service.send(event),
            service.post(f"/rmas/{number}/cancel", {"reason": "客户撤销退货"}))
        assert cancel.status_code in (200, 409), cancel.text
        receipt_id = event.receipt_id
        recorded = await eventually(lambda: service.db.receipts.find_one(
            {"_id": receipt_id}), timeout=30)  # noqa: B023 - awaited within the iteration
        rma = (await service.get(f"/rmas/{number}")).json()
        if cancel.status_code == 200:
            assert rma["state"] == "cancelled"
            assert recorded["task_id"] is not None and recorded["matched"] is None
            assert any("cancelled" in n for n in recorded["notes"])
            assert await service.refunds(number) == []
        else:
            assert cancel.json()["current_state"] == "refunded"
            assert rma["state"] == "refunded" and len(await service.refunds(number)) == 1


async def test_l6_malformed_receipt_dead_lettered_then_replayed_after_correction(
        service, amqp_url) -> None:
    number, _ = await _in_transit(service)
    bad = receipt_event(rma_number=number)
    envelope = new_envelope(bad)
    data = {**envelope.data, "items": []}  # the warehouse system sent no items
    malformed = envelope.model_copy(update={"data": data})
    behind, behind_tracking = await _in_transit(service)
    await service.send(malformed)
    await service.send(receipt_event(tracking_number=behind_tracking))
    await eventually(lambda: service.refunds(behind), timeout=30, what="valid receipt behind")
    dead = await eventually(lambda: service.db.dead_letters.find_one(
        {"message_id": malformed.id}), timeout=30)
    assert "items" in dead["error"] and dead["permanent"] is True
    corrected = json.loads(dead["body"])
    corrected["data"]["items"] = [{"sku": "WOOL-38", "quantity": 1, "intact": True,
                                   "box_complete": True, "resellable": True}]
    # The operator corrects the stored body (no edit route yet), then replays it.
    await service.db.dead_letters.update_one(
        {"_id": dead["_id"]}, {"$set": {"body": json.dumps(corrected).encode()}})
    replay = await service.post(f"/admin/dead-letters/{dead['_id']}/replay", role="manager")
    assert replay.status_code == 200, replay.text
    refunds = await eventually(lambda: service.refunds(number), timeout=30)
    assert len(refunds) == 1 and refunds[0]["amount_fen"] == 29900
    again = await service.post(f"/admin/dead-letters/{dead['_id']}/replay", role="manager")
    assert again.status_code == 409


async def test_l3_quality_exchange_refunds_the_advanced_postage_exactly_once(service,
                                                                           amqp_url) -> None:
    """L3 + L7: the received quality exchange is refunded its advanced return postage (no
    item amount), once, whatever is redelivered or clicked; the replacement goes on."""
    async with tap(amqp_url, service.settings.exchange, "logistics.refund.issued") as seen:
        number, tracking = await _in_transit(service, kind="exchange",
                                             wanted_replacement="WOOL-37",
                                             quality_claim=True, photos=["p/1.jpg"])
        decided = await service.post(f"/rmas/{number}/quality-decision",
                                     {"verdict": "confirmed", "note": "鞋底开胶"})
        assert decided.status_code == 200, decided.text
        early = await service.post(f"/rmas/{number}/refund", {})
        assert early.status_code == 409 and early.json()["type"].endswith("inspection-required")
        envelope = new_envelope(receipt_event(rma_number=number, tracking_number=tracking))
        await asyncio.gather(service.send(envelope), service.send(envelope))
        await eventually(lambda: _refunds_on_bus(seen, number), timeout=30)
        click = await service.post(f"/rmas/{number}/refund", {})
        assert click.status_code == 409
        await _settled(service, seen, number)
        refunds = await service.refunds(number)
        assert len(refunds) == 1 and len(_refunds_on_bus(seen, number)) == 1
        assert (refunds[0]["items_fen"], refunds[0]["postage_fen"]) == (0, 800)
        issued = _refunds_on_bus(seen, number)[0]
        assert issued["amount_fen"] == issued["postage_fen"] == 800
        assert set(issued) == {"refund_id", "rma_number", "order_id", "ticket_number",
                               "amount_fen", "postage_fen", "issued_at", "issued_by"}
        rma = (await service.get(f"/rmas/{number}")).json()
        assert rma["state"] == "received" and rma["exchange"]["status"] == "pending"
        assert (await service.get(f"/rmas/{number}/refund")).json()["amount_fen"] == 800


async def test_l3_plain_exchange_has_no_postage_to_refund(service) -> None:
    number, _ = await _in_transit(service, kind="exchange", wanted_replacement="WOOL-37")
    await service.post("/receipts", receipt_event(rma_number=number).model_dump(mode="json"),
                       role="warehouse")
    refused = await service.post(f"/rmas/{number}/refund", {})
    assert refused.status_code == 409 and refused.json()["type"].endswith("no-postage-owed")
    assert await service.refunds(number) == []
