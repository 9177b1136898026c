"""T13: review items built from logistics events, whatever order the events arrive in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import permutations

import pytest

from ops_shared.contracts.logistics import (
    CaseUpdated,
    RefundIssued,
    RmaOpened,
    RmaStatusChanged,
)
from tickets.application.review import case_updated, opened, refund_issued, status_changed
from tickets.domain.review import UNASSIGNED, ReviewRecord, case_key

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def _status(*, dispute=False, refund=False, owner="as-1", next_action_at=None, to="x"):
    return RmaStatusChanged(rma_number="RMA-1", order_id="O-1", from_status="a", to_status=to,
                            owner_id=owner, dispute=dispute, refund_in_progress=refund,
                            next_action_at=next_action_at)


def _refund(at: datetime) -> RefundIssued:
    return RefundIssued(refund_id="RF-1", rma_number="RMA-1", order_id="O-1", amount_fen=100,
                        issued_at=at)


def _apply(steps) -> ReviewRecord:
    record = ReviewRecord(rma_number="RMA-1")
    for change, event, at in steps:
        change(record, event, at)
    return record


def test_t13_open_refund_is_reviewed_even_when_also_disputed() -> None:
    record = _apply([(status_changed, _status(dispute=True, refund=True), NOW)])
    assert record.kind == "refund_in_progress"


@pytest.mark.parametrize("order", list(permutations(range(3))))
def test_t13_dispute_after_a_refund_reopens_in_any_arrival_order(order) -> None:
    steps = [
        (status_changed, _status(refund=True), NOW - timedelta(days=3)),
        (refund_issued, _refund(NOW - timedelta(days=2)), NOW - timedelta(days=2)),
        (status_changed, _status(dispute=True), NOW - timedelta(days=1)),
    ]
    record = _apply([steps[i] for i in order])
    assert (record.kind, record.resolved, record.refund_id) == ("dispute", False, "RF-1")


@pytest.mark.parametrize("order", list(permutations(range(3))))
def test_t13_refund_issued_resolves_in_any_arrival_order(order) -> None:
    steps = [
        (opened, RmaOpened(rma_number="RMA-1", kind="return", order_id="O-1",
                           owner_id="as-9", ticket_number="TK-20261126-0001"),
         NOW - timedelta(days=4)),
        (status_changed, _status(refund=True, owner=None), NOW - timedelta(days=3)),
        (refund_issued, _refund(NOW - timedelta(days=2)), NOW - timedelta(days=2)),
    ]
    record = _apply([steps[i] for i in order])
    assert (record.kind, record.resolved) == (None, True)
    assert (record.owner_id, record.ticket_number) == ("as-9", "TK-20261126-0001")


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_t13_an_older_status_change_does_not_undo_a_newer_one(order) -> None:
    steps = [(status_changed, _status(to="closed"), NOW),
             (status_changed, _status(dispute=True, to="disputed"), NOW - timedelta(hours=1))]
    record = _apply([steps[i] for i in order])
    assert (record.status, record.kind) == ("closed", None)


def test_t13_domain_item_falls_back_for_missing_owner_and_next_action() -> None:
    record = _apply([(status_changed, _status(dispute=True, owner=None), NOW)])
    item = record.as_item(NOW + timedelta(hours=1))
    assert item is not None
    assert (item.owner_id, item.next_action_at, item.order_id) == (UNASSIGNED, NOW, "O-1")
    assert item.needs_review(NOW)  # no planned next action: the dispute is due now
    assert ReviewRecord(rma_number="RMA-2").as_item(NOW) is None


def test_t13_the_history_reads_in_the_order_things_happened() -> None:
    from datetime import UTC, datetime

    from tickets.domain.review import ReviewRecord

    record = ReviewRecord(rma_number="RMA-20261126-0001")
    record.remember("b", "logistics.rma.status_changed", datetime(2026, 11, 26, 10, 1, tzinfo=UTC))
    record.remember("a", "logistics.rma.opened", datetime(2026, 11, 26, 10, 0, tzinfo=UTC))
    assert [e["event_id"] for e in record.history] == ["a", "b"]


def _case(*, is_open: bool, at: datetime, status: str = "recalling") -> CaseUpdated:
    return CaseUpdated(case_type="recall", case_id="RC-1", order_id="O-1", status=status,
                       open=is_open, owner_id="as-2", next_action_at=NOW - timedelta(hours=1),
                       updated_at=at)


@pytest.mark.parametrize("order", list(permutations(range(3))))
def test_l12_a_closed_case_stays_closed_in_any_arrival_order(order) -> None:
    steps = [(case_updated, _case(is_open=True, at=NOW - timedelta(days=2)),
              NOW - timedelta(days=2)),
             (case_updated, _case(is_open=True, at=NOW - timedelta(days=1)),
              NOW - timedelta(days=1)),
             (case_updated, _case(is_open=False, at=NOW, status="recalled"), NOW)]
    record = ReviewRecord(rma_number=case_key("recall", "RC-1"), case_type="recall")
    for i in order:
        change, event, at = steps[i]
        change(record, event, at)
    assert (record.status, record.kind, record.resolved) == ("recalled", None, True)
    assert record.as_item(NOW) is None and record.case_id == "RC-1"


def test_l12_an_open_case_is_reviewed_once_its_next_action_is_due() -> None:
    record = ReviewRecord(rma_number=case_key("recall", "RC-1"), case_type="recall")
    case_updated(record, _case(is_open=True, at=NOW), NOW)
    item = record.as_item(NOW)
    assert item is not None and item.kind == "dispute" and item.owner_id == "as-2"
    assert item.needs_review(NOW) and not item.needs_review(NOW - timedelta(hours=2))
