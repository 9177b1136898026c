"""L7, L3: what an RMA refunds, in integer fen.

A return refunds what was paid for the accepted items (every item when a supervisor overrides
before an inspection) plus the postage owed to the customer. An exchange refunds no item (the
customer gets the replacement), but a confirmed quality problem still owes the customer the
return postage they advanced (L3: the shop pays both ways): an exchange's refund is that postage
alone, and nothing when nothing is owed. Either way it is one refund per RMA, whose id derives
from the RMA number (the `refunds` collection's unique subject keeps it to one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from logistics.domain.errors import Refused
from logistics.domain.model import Item
from logistics.domain.postage import Postage
from logistics.domain.receipts import Inspection
from logistics.domain.rma_parts import Dispute, RmaKind
from logistics.domain.rma_states import MACHINE, RmaState


class Refundable(Protocol):
    """What the refund rules read of an RMA."""

    number: str
    kind: RmaKind
    state: RmaState
    items: list[Item]
    inspection: Inspection | None
    dispute: Dispute | None
    refund_id: str | None

    @property
    def postage(self) -> Postage: ...


@dataclass(frozen=True)
class RefundAmounts:
    items_fen: int
    postage_fen: int

    @property
    def amount_fen(self) -> int:
        return self.items_fen + self.postage_fen


def return_amounts(items: Sequence[Item], accepted: Sequence[Item] | None,
                   postage: Postage) -> RefundAmounts | None:
    """The accepted items (all when `accepted` is None) at the amounts the RMA has now (they
    may be entered after the receipt), plus the postage owed; None while one lacks its
    amount."""
    prices = {i.sku: i.unit_paid_fen for i in items}
    refunded = [replace(i, unit_paid_fen=prices.get(i.sku))
                for i in (items if accepted is None else accepted)]
    paid = [i.paid_fen for i in refunded]
    if any(p is None for p in paid):
        return None
    return RefundAmounts(sum(p or 0 for p in paid), postage.owed_to_customer_fen)


def exchange_amounts(postage: Postage) -> RefundAmounts | None:
    """The return postage the customer advanced, when the shop owes it (a confirmed quality
    problem, L3); None when nothing is owed."""
    owed = postage.owed_to_customer_fen
    return RefundAmounts(0, owed) if owed > 0 else None


def return_accepted(rma: Refundable) -> bool:
    """The parcel is back and its inspection passed, or its dispute was settled."""
    return rma.inspection is not None and rma.dispute is None


def refund_amounts(rma: Refundable, *, overridden: bool) -> RefundAmounts:
    """L7: what `rma` refunds now, or why it cannot (a supervisor override stands in for the
    passed inspection)."""
    current = rma.state.value
    if rma.kind == RmaKind.EXCHANGE:
        if rma.refund_id is not None:
            raise Refused("already_refunded", f"{rma.number} is already refunded "
                          f"({rma.refund_id})", current=current)
        if rma.state == RmaState.CANCELLED:
            raise Refused("closed", f"cannot refund: {rma.number} is cancelled",
                          current=current)
        amounts = exchange_amounts(rma.postage)
        if amounts is None:
            raise Refused("no_postage_owed", f"{rma.number} is an exchange: only the return "
                          "postage of a confirmed quality problem is refunded (L3), and none "
                          "is owed", current=current)
        accepted = return_accepted(rma)
    else:
        MACHINE.check(rma.state, RmaState.REFUNDED)
        accepted = rma.state == RmaState.RECEIVED
        amounts = return_amounts(rma.items, rma.inspection.accepted if rma.inspection
                                 else None, rma.postage)
    if not accepted and not overridden:
        raise Refused("inspection_required", "a refund needs a signed receipt whose "
                      "inspection passed, or a supervisor override with a reason (L7)",
                      current=current)
    if amounts is None:
        raise Refused("amounts_missing", f"{rma.number} has items without the amount paid: "
                      "after-sales enters them first", current=current)
    return amounts
