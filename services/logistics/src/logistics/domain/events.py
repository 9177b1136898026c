"""The events the logistics domain causes: the published contracts of
`ops_shared.contracts.logistics`, built here from the aggregates (the domain returns them, the
use case hands them to `uow.publish`, and the outbox carries them)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from ops_shared.contracts.envelope import Event
from ops_shared.contracts.logistics import (
    CaseUpdated,
    ExchangeShipped,
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
    "ParcelUnidentified",
    "RefundIssued",
    "RmaOpened",
    "RmaStatusChanged",
    "case_of",
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


def case_of(rma: Rma, at: datetime) -> CaseUpdated:
    return case_updated("rma", rma.number, rma.order_id, rma.state.value, open=rma.is_open,
                        owner_id=rma.owner_id, next_action_at=rma.next_action_at, at=at,
                        refund_in_progress=_refund_in_progress(rma),
                        dispute=rma.state == "disputed", ticket_number=rma.ticket_number)


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
