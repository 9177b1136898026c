"""Follow-up delays as policy (T13 next-action times, L8 delivery follow-up, L12): bounded,
and used by every move of an RMA, a recall and a re-shipment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import T0, open_rma, receipt

from logistics.domain.cases import Reshipment, ReshipmentState
from logistics.domain.errors import ValidationFailed
from logistics.domain.follow_up import DEFAULT_FOLLOW_UP, FollowUpPolicy
from logistics.domain.recall import Recall, RecallState
from logistics.domain.rma import RmaKind, RmaState
from logistics.storage.documents import from_doc, to_doc

LATER = T0 + timedelta(hours=1)
POLICY = FollowUpPolicy(rma_opened_hours=3, rma_disputed_hours=5, exchange_delivery_hours=30,
                        recall_requested_hours=7, recall_returning_hours=11,
                        reshipment_hours=13)


@pytest.mark.parametrize("bad", [0, -1, 24 * 60 + 1, 1.5, True, "2"])
def test_t13_follow_up_hours_are_bounded_whole_hours(bad) -> None:
    with pytest.raises(ValidationFailed) as refused:
        FollowUpPolicy(rma_received_hours=bad)
    assert refused.value.field == "rma_received_hours"


def test_t13_defaults_keep_the_former_delays() -> None:
    assert DEFAULT_FOLLOW_UP.rma(RmaState.OPENED) == timedelta(days=7)
    assert DEFAULT_FOLLOW_UP.rma(RmaState.EXCHANGE_SHIPPED) == timedelta(days=5)
    assert DEFAULT_FOLLOW_UP.rma(RmaState.REFUNDED) is None
    assert DEFAULT_FOLLOW_UP.recall(RecallState.PARCEL_RECEIVED) == timedelta(hours=4)
    assert DEFAULT_FOLLOW_UP.reshipment == timedelta(days=2)


def test_l8_rma_moves_take_their_next_action_from_the_policy() -> None:
    rma = open_rma(kind=RmaKind.EXCHANGE, follow_up=POLICY)
    assert rma.next_action_at == T0 + timedelta(hours=3)
    rma.apply_receipt(receipt(), "rma_number", LATER)
    rma.ship_exchange("SF2", "SF", "wh-1", LATER)
    assert rma.next_action_at == LATER + timedelta(hours=30)  # delivery followed up
    disputed = open_rma(follow_up=POLICY)
    disputed.apply_receipt(receipt(signed_by=None), "rma_number", LATER)
    assert disputed.next_action_at == disputed.dispute.next_action_at == LATER + timedelta(
        hours=5)


def test_l10_l12_recall_and_reshipment_follow_the_policy() -> None:
    recall, events = Recall.open(number="RC-1", order_id="TB-1", tracking_number="SF1",
                                 courier="SF", paid_fen=100, owner_id="as-1", reason="取消",
                                 by="desk-1", at=T0, follow_up=POLICY)
    assert events[0].next_action_at == recall.next_action_at == T0 + timedelta(hours=7)
    recall.courier_answered(True, "desk-1", LATER)
    recall.returning("desk-1", LATER)
    assert recall.next_action_at == LATER + timedelta(hours=11)
    case, _ = Reshipment.log(case_id="RS-1", order_id="TB-1", original_tracking="SF1",
                             reason="破损", owner_id="desk-1", by="desk-1", at=T0,
                             follow_up=POLICY)
    assert case.next_action_at == T0 + timedelta(hours=13)
    case.move(ReshipmentState.RETURNED, "desk-1", LATER)
    assert case.next_action_at == LATER + timedelta(hours=13)


def test_the_policy_handed_to_a_case_is_not_stored_with_it() -> None:
    rma = open_rma(follow_up=POLICY)
    doc = to_doc(rma)
    assert "follow_up" not in doc
    assert from_doc(type(rma), doc).follow_up == DEFAULT_FOLLOW_UP
