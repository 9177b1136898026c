"""The events the logistics domain causes: the published contracts of
`ops_shared.contracts.logistics`, built here from the aggregates (the domain returns them, the
use case hands them to `uow.publish`, and the outbox carries them).

Open cases (L12, for T13): an RMA's owner, next-action time, refund-in-progress and dispute
flags travel on `logistics.rma.status_changed` (which tickets already reads); recalls, problem
parcels and re-shipments publish `logistics.case.updated`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from ops_shared.contracts.envelope import Event
from ops_shared.contracts.logistics import (
    CaseUpdated,
    ExchangeShipped,
    ParcelIdentified,
    ParcelUnidentified,
    RefundIssued,
    RmaOpened,
    RmaStatusChanged,
)

if TYPE_CHECKING:
    from logistics.domain.model import Refund
    from logistics.domain.rma import Rma

__all__ = [
    "CaseUpdated",
    "Event",
    "ExchangeShipped",
    "ParcelIdentified",
    "ParcelUnidentified",
    "RefundIssued",
    "RmaOpened",
    "RmaStatusChanged",
    "coalesce",
    "refund_issued",
    "status_changed",
]
CaseType = Literal["rma", "recall", "problem_parcel", "reshipment"]


def _refund_in_progress(rma: Rma) -> bool:
    return rma.kind == "return" and rma.state in ("opened", "in_transit", "received")


def status_changed(rma: Rma, before: str, note: str = "") -> RmaStatusChanged:
    return RmaStatusChanged(
        rma_number=rma.number, order_id=rma.order_id, ticket_number=rma.ticket_number,
        from_status=before, to_status=rma.state.value, owner_id=rma.owner_id,
        refund_in_progress=_refund_in_progress(rma), dispute=rma.state == "disputed",
        next_action_at=rma.next_action_at, note=note)


def case_updated(case_type: CaseType, case_id: str, order_id: str, status: str, *, open: bool,
                 owner_id: str | None, next_action_at: datetime | None, at: datetime,
                 refund_in_progress: bool = False, dispute: bool = False,
                 ticket_number: str | None = None, note: str = "") -> CaseUpdated:
    """L12: an open case with its owner and next-action time (T13 lists it)."""
    return CaseUpdated(case_type=case_type, case_id=case_id, order_id=order_id, status=status,
                       open=open, owner_id=owner_id,
                       next_action_at=next_action_at if open else None,
                       refund_in_progress=refund_in_progress, dispute=dispute,
                       ticket_number=ticket_number, note=note, updated_at=at)


def refund_issued(refund: Refund) -> RefundIssued:
    """L7: `amount_fen` is the whole refund, `postage_fen` the postage part of it (L3)."""
    return RefundIssued(refund_id=refund.refund_id, rma_number=refund.subject,
                        order_id=refund.order_id, ticket_number=refund.ticket_number,
                        amount_fen=refund.amount_fen, postage_fen=refund.postage_fen,
                        issued_at=refund.issued_at, issued_by=refund.issued_by)


def coalesce(events: list[Event]) -> list[Event]:
    """One status change per RMA and transaction: a receipt that is received and refunded at
    once publishes in_transit → refunded (the timeline keeps both steps)."""
    out: list[Event] = []
    for event in events:
        previous = next((i for i, e in enumerate(out) if isinstance(e, RmaStatusChanged)
                         and isinstance(event, RmaStatusChanged)
                         and e.rma_number == event.rma_number), None)
        if previous is None:
            out.append(event)
            continue
        first = out.pop(previous)
        assert isinstance(first, RmaStatusChanged) and isinstance(event, RmaStatusChanged)
        note = "; ".join(n for n in (first.note, event.note) if n)
        out.append(event.model_copy(update={"from_status": first.from_status, "note": note}))
    return out
