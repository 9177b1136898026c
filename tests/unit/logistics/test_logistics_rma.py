"""The RMA aggregate: L1, L2, L4, L7, L9 rules and its state machine with timeline (L14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import T0, inspected, open_rma, receipt

from logistics.domain.errors import Refused, TransitionRefused, ValidationFailed
from logistics.domain.model import Item
from logistics.domain.rma import Approval, RmaKind, RmaState, Verdict

LATER = T0 + timedelta(hours=1)


def test_l1_open_publishes_opened() -> None:
    from logistics.domain.rma import Rma, ServiceCard
    rma, events = Rma.open(number="RMA-20261126-0001", kind=RmaKind.RETURN, order_id="TB-1",
                           items=[Item("A", 1)], card=ServiceCard("c", "r"), owner_id="as-1",
                           by="as-1", at=T0, quality_claim=True, ticket_number="TK-1")
    assert [type(e).__name__ for e in events] == ["RmaOpened"]
    assert events[0].quality_claim is True
    assert rma.timeline[0].action == "opened" and rma.next_action_at > T0


def test_l1_exchange_needs_the_wanted_replacement() -> None:
    with pytest.raises(ValidationFailed) as refused:
        _exchange_without()
    assert refused.value.field == "wanted_replacement"


def _exchange_without():
    from logistics.domain.rma import Rma, ServiceCard
    return Rma.open(number="RMA-1", kind=RmaKind.EXCHANGE, order_id="o", items=[Item("A", 1)],
                    card=ServiceCard("c", "r"), owner_id="a", by="a", at=T0)


def test_l2_decision_needs_a_claim_and_photos() -> None:
    plain = open_rma()
    with pytest.raises(Refused) as no_claim:
        plain.decide_quality(Verdict.CONFIRMED, "", "as-1", LATER)
    assert no_claim.value.code == "no_quality_claim"
    claim = open_rma(quality_claim=True)
    with pytest.raises(Refused) as no_photos:
        claim.decide_quality(Verdict.CONFIRMED, "", "as-1", LATER)
    assert no_photos.value.code == "photos_required"
    claim.add_photos(["p/1.jpg"], "as-1", LATER)
    claim.record_tracking("SF1", "SF", 1500, "as-1", LATER)
    assert claim.postage.owed_to_customer_fen == 0  # undecided counts as no quality problem
    claim.decide_quality(Verdict.CONFIRMED, "开胶", "as-1", LATER)
    assert claim.postage.owed_to_customer_fen == 1500
    claim.decide_quality(Verdict.REJECTED, "人为损坏", "as-2", LATER)
    assert claim.postage.owed_to_customer_fen == 0


def test_l7_refund_after_passed_inspection_includes_postage_owed() -> None:
    rma = open_rma(quality_claim=True, photos=["p.jpg"],
                   items=[Item("WOOL-38", 2, 15000), Item("RUBBER-40", 1, 9900)])
    rma.record_tracking("SF1", "SF", 1200, "as-1", LATER)
    rma.decide_quality(Verdict.CONFIRMED, "", "as-1", LATER)
    rma.apply_receipt(receipt(inspected("WOOL-38", 2), inspected("RUBBER-40")), "rma_number",
                      LATER)
    assert rma.state == RmaState.RECEIVED
    refund, events = rma.refund("logistics", LATER)
    assert (refund.items_fen, refund.postage_fen, refund.amount_fen) == (39900, 1200, 41100)
    assert refund.refund_id == "RF-RMA-20261126-0001"
    issued = [e for e in events if type(e).__name__ == "RefundIssued"]
    assert issued[0].amount_fen == 41100 and issued[0].postage_fen == 1200
    with pytest.raises(TransitionRefused) as twice:
        rma.refund("as-1", LATER)
    assert twice.value.current == "refunded" and twice.value.allowed == ["closed"]


def test_l4_an_item_failing_inspection_opens_a_dispute_with_owner_and_time() -> None:
    rma = open_rma(items=[Item("WOOL-38", 2, 15000)])
    events = rma.apply_receipt(receipt(inspected("WOOL-38", 1),
                                       inspected("WOOL-38", 1, ok=False)), "tracking", LATER)
    assert rma.state == RmaState.DISPUTED
    assert rma.dispute is not None and rma.dispute.owner_id == "as-1"
    assert rma.next_action_at == rma.dispute.next_action_at > LATER
    changed = events[0]
    assert changed.dispute is True and changed.to_status == "disputed"
    with pytest.raises(Refused) as refused:
        rma.refund("as-1", LATER)
    assert refused.value.code == "inspection_required"
    rma.settle_dispute(False, "只退一双", "as-1", LATER)
    refund, _ = rma.refund("as-1", LATER)
    assert refund.items_fen == 15000


def test_l7_unsigned_receipt_does_not_pass() -> None:
    rma = open_rma()
    rma.apply_receipt(receipt(signed_by=" "), "rma_number", LATER)
    assert rma.state == RmaState.DISPUTED and "receipt not signed" in rma.dispute.reason


def test_l7_override_refunds_without_a_receipt_and_records_the_reason() -> None:
    rma = open_rma()
    refund, _ = rma.refund("sup-1", LATER, Approval("sup-1", "快递丢件", LATER))
    assert refund.override_reason == "快递丢件" and refund.amount_fen == 29900


def test_l7_without_amounts_no_refund() -> None:
    rma = open_rma(items=[Item("WOOL-38", 1)])
    rma.apply_receipt(receipt(), "rma_number", LATER)
    with pytest.raises(Refused) as refused:
        rma.refund("as-1", LATER)
    assert refused.value.code == "amounts_missing"
    rma.enter_amounts({"WOOL-38": 100}, "as-1", LATER)
    assert rma.refund("as-1", LATER)[0].amount_fen == 100


def test_l9_no_replacement_before_the_return_without_approval() -> None:
    rma = open_rma(kind=RmaKind.EXCHANGE)
    with pytest.raises(Refused) as refused:
        rma.ship_exchange("SF2", "SF", "wh-1", LATER)
    assert refused.value.code == "return_not_received"
    rma.approve_advance("婚礼急用", "sup-1", LATER)
    events = rma.ship_exchange("SF2", "SF", "wh-1", LATER)
    assert rma.state == RmaState.EXCHANGE_SHIPPED
    assert any(type(e).__name__ == "ExchangeShipped" for e in events)


def test_l8_exchange_order_is_created_after_inspection_passes() -> None:
    rma = open_rma(kind=RmaKind.EXCHANGE)
    rma.apply_receipt(receipt(), "rma_number", LATER)
    assert rma.exchange is not None and rma.exchange.status == "pending"
    assert rma.exchange.replacement == "WOOL-37"
    rma.ship_exchange("SF2", "SF", "wh-1", LATER)
    rma.confirm_delivery("as-1", LATER)
    assert rma.state == RmaState.EXCHANGE_DELIVERED and rma.exchange.status == "delivered"


def test_l14_refusal_names_current_and_allowed_states() -> None:
    rma = open_rma()
    rma.cancel("客户撤回", "as-1", LATER)
    with pytest.raises(TransitionRefused) as refused:
        rma.record_tracking("SF1", None, None, "as-1", LATER)
    assert refused.value.current == "cancelled" and refused.value.allowed == []
    assert "cancelled" in refused.value.detail and "in_transit" in refused.value.detail


def test_l14_every_step_is_on_the_timeline_with_who_and_when() -> None:
    rma = open_rma()
    rma.record_tracking("SF1", "SF", None, "as-2", LATER)
    rma.apply_receipt(receipt(), "tracking_number", LATER)
    rma.refund("logistics", LATER)
    assert [(e.action, e.actor_id) for e in rma.timeline] == [
        ("opened", "as-1"), ("tracking_recorded", "as-2"), ("received", "warehouse-system"),
        ("refunded", "logistics")]
    assert all(e.at is not None for e in rma.timeline)


@pytest.mark.parametrize("state,allowed", [
    (RmaState.OPENED, ["in_transit", "received", "disputed", "refunded", "exchange_shipped",
                       "cancelled"]),
    (RmaState.RECEIVED, ["refunded", "exchange_shipped", "closed"]),
    (RmaState.CLOSED, []),
])
def test_l14_state_machine_as_data(state, allowed) -> None:
    rma = open_rma()
    rma.state = state
    assert rma.allowed_next() == allowed


def test_l12_one_status_change_per_rma_and_transaction() -> None:
    from logistics.domain.events import coalesce
    rma = open_rma()
    events = rma.record_tracking("SF1", None, None, "as-1", LATER)
    events += rma.apply_receipt(receipt(), "tracking_number", LATER)
    events += rma.refund("logistics", LATER)[1]
    published = coalesce(events)
    assert [type(e).__name__ for e in published] == ["RmaStatusChanged", "RefundIssued"]
    assert (published[0].from_status, published[0].to_status) == ("opened", "refunded")
    assert published[0].refund_in_progress is False


def test_l12_rma_status_carries_owner_next_action_and_flags() -> None:
    rma = open_rma()
    changed = rma.apply_receipt(receipt(inspected(ok=False)), "rma_number", LATER)[0]
    assert changed.dispute is True and changed.owner_id == "as-1"
    assert changed.next_action_at == rma.dispute.next_action_at
