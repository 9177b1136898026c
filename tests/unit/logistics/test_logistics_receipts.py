"""L4, L6: inspection item by item, and the matching order of a receipt."""

from __future__ import annotations

from builders import inspected, receipt

from logistics.domain.model import Item
from logistics.domain.receipts import Candidate, MatchedBy, TargetKind, inspect, match_receipt

RMA_A = Candidate(TargetKind.RMA, "RMA-A", True, "opened")
RMA_B = Candidate(TargetKind.RMA, "RMA-B", True, "in_transit")
RECALL = Candidate(TargetKind.RECALL, "RC-1", True, "returning")
CANCELLED = Candidate(TargetKind.RMA, "RMA-X", False, "cancelled")


def test_l6_rma_number_wins_over_tracking_and_customer() -> None:
    found = match_receipt(by_rma_number=RMA_A, by_tracking=[RMA_B], by_customer=[RMA_B]).match
    assert found is not None and (found.number, found.by) == ("RMA-A", MatchedBy.RMA_NUMBER)


def test_l6_tracking_number_comes_second_and_finds_recalls() -> None:
    found = match_receipt(by_rma_number=None, by_tracking=[RECALL], by_customer=[RMA_B]).match
    assert found is not None and found.kind == TargetKind.RECALL
    assert found.by == MatchedBy.TRACKING_NUMBER


def test_l6_customer_reference_comes_last_and_only_when_unambiguous() -> None:
    found = match_receipt(by_rma_number=None, by_tracking=[], by_customer=[RMA_B]).match
    assert found is not None and found.by == MatchedBy.CUSTOMER_REF
    two = match_receipt(by_rma_number=None, by_tracking=[], by_customer=[RMA_A, RMA_B])
    assert two.match is None and "several" in two.notes[0]


def test_l6_a_closed_candidate_is_passed_over_with_a_note() -> None:
    result = match_receipt(by_rma_number=CANCELLED, by_tracking=[CANCELLED], by_customer=[])
    assert result.match is None
    assert "RMA-X is cancelled" in result.notes


def test_l6_nothing_matches_no_match() -> None:
    assert match_receipt(by_rma_number=None, by_tracking=[], by_customer=[]).match is None


def test_l4_accepted_only_if_intact_box_complete_and_resellable() -> None:
    assert inspected().accepted
    assert not inspected(ok=False).accepted


def test_l4_inspection_item_by_item() -> None:
    items = [Item("A", 2, 100), Item("B", 1, 50)]
    result = inspect(items, receipt(inspected("A", 1), inspected("A", 1, ok=False),
                                    inspected("B"), inspected("C")))
    assert result.accepted == (Item("A", 1, 100), Item("B", 1, 50))
    assert result.rejected == (Item("A", 1, 100),)
    assert not result.passed
    assert "A: 1 not accepted" in result.problems and "C: not on the RMA" in result.problems


def test_l4_missing_item_fails() -> None:
    result = inspect([Item("A", 1), Item("B", 1)], receipt(inspected("A")))
    assert not result.passed and result.rejected == (Item("B", 1),)
