"""L3 on exchanges: a confirmed quality exchange refunds the return postage the customer
advanced (no item amount), once, after the return is accepted; nothing is owed otherwise."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import T0, inspected, open_rma, receipt

from logistics.domain.errors import Refused
from logistics.domain.model import Item
from logistics.domain.postage import postage_terms
from logistics.domain.rma import Approval, Rma, RmaKind, RmaState, Verdict
from logistics.domain.rma_refund import exchange_amounts, return_amounts

LATER = T0 + timedelta(hours=1)


def _quality_exchange(postage_fen: int = 1300, verdict: Verdict = Verdict.CONFIRMED) -> Rma:
    rma = open_rma(kind=RmaKind.EXCHANGE, quality_claim=True, photos=["p/1.jpg"])
    rma.record_tracking("SF9", "SF", postage_fen, "as-1", LATER)
    rma.decide_quality(verdict, "鞋底开胶", "as-1", LATER)
    return rma


def test_l3_exchange_amounts_are_the_advanced_postage_owed_and_no_items() -> None:
    owed = postage_terms(exchange=True, quality_confirmed=True, return_postage_fen=1300,
                         outgoing_postage_fen=1500)
    amounts = exchange_amounts(owed)
    assert amounts is not None
    assert (amounts.items_fen, amounts.postage_fen, amounts.amount_fen) == (0, 1300, 1300)
    assert exchange_amounts(postage_terms(exchange=True, quality_confirmed=False,
                                          return_postage_fen=1300)) is None
    assert exchange_amounts(postage_terms(exchange=True, quality_confirmed=True)) is None


def test_l3_return_amounts_are_accepted_items_plus_postage_owed() -> None:
    items = [Item("A", 2, 1000), Item("B", 1, 500)]
    owed = postage_terms(exchange=False, quality_confirmed=True, return_postage_fen=800)
    assert return_amounts(items, None, owed).amount_fen == 3300
    assert return_amounts(items, [Item("A", 1)], owed).amount_fen == 1800  # priced from the RMA
    assert return_amounts([Item("A", 1)], None, owed) is None  # amount unknown


def test_l3_quality_exchange_refunds_the_advanced_postage_once_and_keeps_its_course() -> None:
    rma = _quality_exchange()
    assert not rma.postage_refund_due  # the parcel is not back yet
    rma.apply_receipt(receipt(), "rma_number", LATER)
    assert rma.state == RmaState.RECEIVED and rma.postage_refund_due
    refund, events = rma.refund("logistics", LATER)
    assert (refund.items_fen, refund.postage_fen, refund.amount_fen) == (0, 1300, 1300)
    assert refund.refund_id == "RF-RMA-20261126-0001" and refund.quality_confirmed
    assert [type(e).__name__ for e in events] == ["RefundIssued"]
    assert events[0].amount_fen == events[0].postage_fen == 1300
    assert rma.state == RmaState.RECEIVED and rma.refund_id == refund.refund_id
    assert rma.timeline[-1].action == "postage_refunded"
    assert not rma.postage_refund_due
    with pytest.raises(Refused) as twice:
        rma.refund("as-1", LATER)
    assert twice.value.code == "already_refunded"
    rma.ship_exchange("SF10", "SF", "wh-1", LATER)  # the replacement goes on
    assert rma.state == RmaState.EXCHANGE_SHIPPED


@pytest.mark.parametrize(("postage_fen", "verdict"), [(1300, Verdict.REJECTED),
                                                      (0, Verdict.CONFIRMED)])
def test_l3_exchange_without_postage_owed_refunds_nothing(postage_fen, verdict) -> None:
    rma = _quality_exchange(postage_fen, verdict)
    rma.apply_receipt(receipt(), "rma_number", LATER)
    assert not rma.postage_refund_due
    with pytest.raises(Refused) as refused:
        rma.refund("as-1", LATER)
    assert refused.value.code == "no_postage_owed"


def test_l3_exchange_postage_refund_waits_for_the_accepted_return_or_an_override() -> None:
    rma = _quality_exchange()
    with pytest.raises(Refused) as early:
        rma.refund("as-1", LATER)
    assert early.value.code == "inspection_required"
    rma.apply_receipt(receipt(inspected(ok=False)), "rma_number", LATER)
    assert rma.state == RmaState.DISPUTED and not rma.postage_refund_due
    refund, _ = rma.refund("sup-1", LATER, Approval("sup-1", "客户已寄回", LATER))
    assert refund.postage_fen == 1300 and refund.override_reason == "客户已寄回"


def test_l3_settled_dispute_makes_the_exchange_postage_due() -> None:
    rma = _quality_exchange()
    rma.apply_receipt(receipt(inspected(ok=False)), "rma_number", LATER)
    rma.settle_dispute(True, "质量问题导致", "as-1", LATER)
    assert rma.postage_refund_due
