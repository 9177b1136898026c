"""Recall (L10) and problem-parcel / re-shipment (L12) state machines, and the returns report."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from builders import T0, inspected, open_rma, receipt

from logistics.domain.cases import ParcelKind, ProblemParcel, Reshipment, ReshipmentState
from logistics.domain.errors import TransitionRefused, ValidationFailed
from logistics.domain.model import Item
from logistics.domain.recall import ParcelSignature, Recall, RecallState, Slip
from logistics.domain.report import Period, build_report, rows
from logistics.domain.rma import RmaKind, Verdict

LATER = T0 + timedelta(hours=2)


def recall() -> Recall:
    opened, _ = Recall.open(number="RC-20261126-0001", order_id="TB-1", tracking_number="SF1",
                            courier="SF", paid_fen=39900, owner_id="as-1", reason="取消",
                            by="desk-1", at=T0)
    return opened


def test_l10_recall_runs_from_request_to_refund() -> None:
    r = recall()
    r.courier_answered(True, "as-1", LATER)
    r.record_slip(Slip("S-1", "快递员", "desk-1", LATER), "desk-1")
    r.returning("desk-1", LATER)
    r.parcel_received(ParcelSignature("打单员", date(2026, 11, 27)), "desk-1", LATER)
    refund, events = r.refund("as-1", LATER)
    assert r.state == RecallState.REFUNDED and refund.amount_fen == 39900
    assert [type(e).__name__ for e in events] == ["CaseUpdated", "RefundIssued"]
    assert events[0].open is False


def test_l10_recall_refused_by_courier_is_over() -> None:
    r = recall()
    r.courier_answered(False, "as-1", LATER, "已派送")
    with pytest.raises(TransitionRefused) as refused:
        r.returning("as-1", LATER)
    assert refused.value.current == "courier_refused" and refused.value.allowed == []


def test_l10_no_refund_before_the_parcel_is_back() -> None:
    r = recall()
    with pytest.raises(TransitionRefused) as refused:
        r.refund("as-1", LATER)
    assert refused.value.allowed == ["courier_accepted", "courier_refused", "failed"]


def test_l12_problem_parcel_forwarding_then_safe_delivery() -> None:
    case, events = ProblemParcel.open(case_id="PP-1", kind=ParcelKind.FORWARDED, order_id="o",
                                      tracking_number="T", description="d", owner_id="as-1",
                                      next_action_at=LATER, by="as-1", at=T0)
    assert events[0].next_action_at == LATER
    case.update(by="as-1", at=LATER, forwarding_number="T2")
    assert case.state == "forwarded"
    closing = case.update(by="as-1", at=LATER, state="delivered", delivered_safely=True)
    assert closing[0].open is False and closing[0].next_action_at is None
    with pytest.raises(TransitionRefused):
        case.update(by="as-1", at=LATER, outcome="again")
    with pytest.raises(ValidationFailed):
        ProblemParcel.open(case_id="PP-2", kind=ParcelKind.PROBLEM, order_id="o",
                           tracking_number="T", description="d", owner_id="a",
                           next_action_at=T0 - timedelta(1), by="a", at=T0)


def test_l12_reshipment_needs_the_new_tracking_number() -> None:
    case, _ = Reshipment.log(case_id="RS-1", order_id="o", original_tracking="T", reason="r",
                             owner_id="a", by="a", at=T0)
    with pytest.raises(ValidationFailed):
        case.move(ReshipmentState.RESHIPPED, "a", LATER)
    case.move(ReshipmentState.RESHIPPED, "a", LATER, tracking_number="T2")
    events = case.move(ReshipmentState.DELIVERED, "a", LATER)
    assert events[0].open is False and case.next_action_at is None


def test_report_groups_by_reason_sku_and_verdict() -> None:
    quality = open_rma(quality_claim=True, photos=["p"], items=[Item("BAD-1", 2, 100)])
    quality.record_tracking("SF", None, 800, "a", LATER)
    quality.decide_quality(Verdict.CONFIRMED, "", "a", LATER)
    quality.apply_receipt(receipt(inspected("BAD-1", 2)), "rma_number", LATER)
    refund, _ = quality.refund("logistics", LATER)
    plain = open_rma(number="RMA-20261126-0002", kind=RmaKind.EXCHANGE)
    report = build_report(Period(T0, T0 + timedelta(days=1)), [quality, plain], [refund])
    assert report.by_sku[0].key == "BAD-1" and report.by_sku[0].quality_confirmed == 1
    assert report.by_verdict == {"confirmed": 1, "rejected": 0, "undecided": 0, "no_claim": 1}
    assert report.by_reason[0].returns == 1 and report.by_reason[0].exchanges == 1
    assert report.refunds_fen == 1000 and report.refunded_postage_fen == 800
    assert report.postage_paid_by_shop_fen == 800
    table = rows(report)
    assert table[0][0] == "section" and table[-1][:2] == ["postage", "paid_by_shop"]
    with pytest.raises(ValidationFailed):
        Period(T0, T0)
