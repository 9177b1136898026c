"""Use cases and handlers on in-memory fakes of the Protocols: opening (L1), receipts (L6),
refunds exactly once (L7), recalls and voids (L10, L11), problem parcels (L12)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import T0, inspected, receipt
from fakes import FakeDatabase, fake_deps

from logistics.application import cases, exchanges, recalls, refunds, rmas
from logistics.application import receipts as receipt_cases
from logistics.application.context import Actor
from logistics.application.on_tickets import return_requested
from logistics.application.on_warehouse import receipt_recorded
from logistics.domain.cases import ParcelKind
from logistics.domain.errors import Conflict, NotAllowed, Refused, TransitionRefused
from logistics.domain.model import Item
from logistics.domain.rma import RmaKind, RmaState, ServiceCard
from ops_shared.contracts import new_envelope
from ops_shared.contracts.tickets import ReturnItem, ReturnRequested
from ops_shared.contracts.warehouse import ReceiptItem, ReceiptRecorded

AGENT = Actor("as-1", "aftersales")
SUPERVISOR = Actor("sup-1", "supervisor")
DESK = Actor("desk-1", "order_desk")


@pytest.fixture
def db() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def deps(db):
    return fake_deps(db)


def command(order: str = "TB-1", **fields) -> rmas.OpenRma:
    values = {"kind": RmaKind.RETURN, "order_id": order,
              "items": [Item("WOOL-38", 1, 29900)], "card": ServiceCard("cust-1", "尺码"),
              **fields}
    return rmas.OpenRma(**values)


async def test_l1_open_numbers_by_shop_day_and_publishes(deps, db) -> None:
    first = await rmas.open_rma(deps, AGENT, command())
    second = await rmas.open_rma(deps, AGENT, command("TB-2"))
    assert (first.number, second.number) == ("RMA-20261126-0001", "RMA-20261126-0002")
    assert [d["rma_number"] for d in db.published("logistics.rma.opened")] == [
        first.number, second.number]


async def test_l1_second_open_rma_for_the_same_items_is_refused(deps) -> None:
    first = await rmas.open_rma(deps, AGENT, command())
    with pytest.raises(Conflict) as refused:
        await rmas.open_rma(deps, AGENT, command())
    assert refused.value.existing == first.number
    await rmas.cancel_rma(deps, AGENT, first.number, "客户撤回")
    again = await rmas.open_rma(deps, AGENT, command())
    assert again.number != first.number


def _request(**fields) -> ReturnRequested:
    values = {"ticket_number": "TK-20261126-0001", "kind": "return", "order_id": "TB-9",
              "customer_id": "cust-9", "reason": "开胶",
              "items": [ReturnItem(sku="WOOL-38", quantity=1, unit_paid_fen=100)],
              "requested_by": "as-9", "requested_at": T0, **fields}
    return ReturnRequested(**values)


async def _handle(db, deps, handler, event) -> None:
    envelope = new_envelope(event)

    async def work(uow) -> None:
        await uow.record_inbox(envelope)
        await handler(deps, uow, event, envelope)
    await db.transaction(work)


async def test_l1_return_request_opens_once_and_notes_a_duplicate(deps, db) -> None:
    await _handle(db, deps, return_requested, _request())
    await _handle(db, deps, return_requested, _request(ticket_number="TK-20261126-0002"))
    opened = await deps.reads.rmas.open_for_order("TB-9")
    assert len(opened) == 1 and opened[0].owner_id == "as-9"
    timeline = await deps.reads.rmas.timeline(opened[0].number)
    assert [e.action for e in timeline] == ["opened", "duplicate_request"]


def _event(**fields) -> ReceiptRecorded:
    values = {"receipt_id": "WR-1", "received_at": T0, "inspector": "wh-7", "signed_by": "张三",
              "items": [ReceiptItem(sku="WOOL-38", quantity=1, intact=True, box_complete=True,
                                    resellable=True)], **fields}
    return ReceiptRecorded(**values)


async def test_l7_receipt_event_refunds_once_however_often(deps, db) -> None:
    rma = await rmas.open_rma(deps, AGENT, command())
    for _ in range(3):
        await _handle(db, deps, receipt_recorded, _event(rma_number=rma.number))
    assert len(db.published("logistics.refund.issued")) == 1
    assert db.state.refunds[rma.number].amount_fen == 29900
    with pytest.raises(TransitionRefused):
        await refunds.refund_rma(deps, AGENT, rma.number)


async def test_l7_the_refund_row_is_the_guarantee(deps, db) -> None:
    """Even if the RMA's state did not stop it, the unique refund refuses a second one."""
    rma = await rmas.open_rma(deps, SUPERVISOR, command())
    await refunds.refund_rma(deps, SUPERVISOR, rma.number, "快递丢件")
    db.state.aggregates["rmas"][rma.number].aggregate.state = RmaState.RECEIVED
    with pytest.raises(Conflict):
        await refunds.refund_rma(deps, AGENT, rma.number)
    assert len(db.published("logistics.refund.issued")) == 1
    assert (await deps.reads.rmas.get(rma.number)).state == RmaState.RECEIVED  # rolled back


async def test_l7_override_needs_a_supervisor(deps) -> None:
    rma = await rmas.open_rma(deps, AGENT, command())
    with pytest.raises(NotAllowed):
        await refunds.refund_rma(deps, AGENT, rma.number, "老客户")
    with pytest.raises(Refused):
        await refunds.refund_rma(deps, AGENT, rma.number)


async def test_l6_unidentified_parcel_task_then_resolved(deps, db) -> None:
    await _handle(db, deps, receipt_recorded, _event(customer_ref="nobody"))
    task_id = "PT-WR-1"
    assert db.published("logistics.parcel.unidentified")[0]["task_id"] == task_id
    rma = await rmas.open_rma(deps, AGENT, command())
    task = await receipt_cases.resolve_task(deps, AGENT, task_id, rma.number, "客户确认")
    assert task.resolved_to == rma.number
    assert (await deps.reads.rmas.get(rma.number)).state == RmaState.REFUNDED
    [identified] = db.published("logistics.parcel.identified")
    assert (identified["task_id"], identified["resolved_to"]) == (task_id, rma.number)


async def test_l6_staff_entry_takes_the_same_path_keyed_by_receipt_id(deps, db) -> None:
    rma = await rmas.open_rma(deps, AGENT, command())
    first, new = await receipt_cases.receive(deps, receipt(rma_number=rma.number))
    again, new_again = await receipt_cases.receive(deps, receipt(rma_number=rma.number))
    assert new and not new_again and again == first
    await _handle(db, deps, receipt_recorded, _event(receipt_id="WR-1", rma_number=rma.number))
    assert len(db.state.receipts) == 1 and len(db.published("logistics.refund.issued")) == 1


async def test_l8_exchange_orders_listed_for_the_order_desk(deps) -> None:
    exchange = await rmas.open_rma(deps, AGENT, command(
        kind=RmaKind.EXCHANGE, card=ServiceCard("c", "r", wanted_replacement="WOOL-37")))
    await receipt_cases.receive(deps, receipt(inspected(), rma_number=exchange.number))
    pending = await exchanges.exchange_orders(deps, "pending", 10)
    assert [r.number for r in pending] == [exchange.number]
    with pytest.raises(NotAllowed):
        await exchanges.approve_advance(deps, AGENT, exchange.number, "x")


async def test_l11_unprinted_order_is_voided_printed_one_recalled(deps, db) -> None:
    void = await recalls.cancel_order(deps, DESK, recalls.CancelOrder("TB-5", False, 100, "r"))
    assert void.order_id == "TB-5"
    with pytest.raises(Conflict):
        await recalls.cancel_order(deps, DESK, recalls.CancelOrder("TB-5", False, 100, "r"))
    recall = await recalls.cancel_order(deps, DESK, recalls.CancelOrder(
        "TB-6", True, 100, "r", tracking_number="SF-6"))
    assert recall.number == "RC-20261126-0001"
    assert db.published("logistics.case.updated")[-1]["case_type"] == "recall"


async def test_l10_recall_parcel_matched_by_tracking_then_refunded(deps, db) -> None:
    recall = await recalls.cancel_order(deps, DESK, recalls.CancelOrder(
        "TB-7", True, 5000, "r", tracking_number="SF-7"))
    await recalls.courier_answered(deps, AGENT, recall.number, True, "")
    await _handle(db, deps, receipt_recorded, _event(tracking_number="SF-7"))
    back = await deps.reads.recalls.get(recall.number)
    assert back.state == "parcel_received" and back.received.receipt_id == "WR-1"
    refund = await refunds.refund_recall(deps, AGENT, recall.number)
    assert refund.amount_fen == 5000
    with pytest.raises(TransitionRefused):
        await refunds.refund_recall(deps, AGENT, recall.number)


async def test_l12_problem_parcel_has_owner_and_next_action(deps, db) -> None:
    case = await cases.open_problem_parcel(deps, AGENT, cases.OpenProblemParcel(
        ParcelKind.PROBLEM, "TB-8", "YT-8", "疑难件", T0 + timedelta(days=1)))
    published = db.published("logistics.case.updated")[-1]
    assert published["case_id"] == case.case_id and published["owner_id"] == "as-1"
    reship = await cases.log_reshipment(deps, AGENT, "TB-8", "YT-8", "破损", case.case_id)
    assert reship.problem_case_id == case.case_id and reship.next_action_at is not None
