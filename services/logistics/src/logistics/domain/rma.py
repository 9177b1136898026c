"""The RMA aggregate (L1-L5, L7-L9, L14): a return or exchange with its state machine.

Every method checks the move against the state machine (refusals name the current state and the
allowed next ones), appends to the timeline and returns the events it causes. Its parts live
beside it: the values in `rma_parts`, the states and the platform's refund status in
`rma_states`, postage in `postage` and refund amounts in `rma_refund`; when the owner looks
again comes from the manager's `follow_up` policy, which the use case hands over.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from logistics.domain import events as ev
from logistics.domain.errors import Refused, ValidationFailed
from logistics.domain.follow_up import DEFAULT_FOLLOW_UP, NOT_STORED, FollowUpPolicy
from logistics.domain.model import Item, Refund, refund_id_for
from logistics.domain.postage import Postage, postage_terms
from logistics.domain.receipts import Inspection, Receipt, inspect
from logistics.domain.rma_parts import (
    Approval,
    Dispute,
    ExchangeOrder,
    QualityDecision,
    RmaKind,
    ServiceCard,
    Verdict,
)
from logistics.domain.rma_refund import exchange_amounts, refund_amounts, return_accepted
from logistics.domain.rma_states import MACHINE, OPEN, TAKES_PARCEL, PlatformStatus, RmaState
from logistics.domain.rma_states import RmaState as S
from logistics.domain.timeline import TimelineEntry

__all__ = ["TAKES_PARCEL", "Approval", "Dispute", "ExchangeOrder", "PlatformStatus",
           "QualityDecision", "Rma", "RmaKind", "RmaState", "ServiceCard", "Verdict"]


@dataclass
class Rma:
    number: str
    kind: RmaKind
    order_id: str
    items: list[Item]
    card: ServiceCard
    owner_id: str
    opened_by: str
    opened_at: datetime
    quality_claim: bool = False
    ticket_number: str | None = None
    photos: list[str] = field(default_factory=list)
    decision: QualityDecision | None = None
    state: RmaState = RmaState.OPENED
    return_postage_fen: int = 0
    outgoing_postage_fen: int = 0
    tracking_number: str | None = None
    courier: str | None = None
    platform_status: PlatformStatus | None = None
    inspection: Inspection | None = None
    dispute: Dispute | None = None
    advance: Approval | None = None
    exchange: ExchangeOrder | None = None
    refund_id: str | None = None
    next_action_at: datetime | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)
    follow_up: FollowUpPolicy = field(default=DEFAULT_FOLLOW_UP, compare=False, repr=False,
                                      metadata=NOT_STORED)
    """The manager's follow-up policy, handed over by the use case (not part of the record)."""

    # -- reading -------------------------------------------------------------------------
    @property
    def quality_confirmed(self) -> bool:
        return self.decision is not None and self.decision.verdict == Verdict.CONFIRMED

    @property
    def postage(self) -> Postage:
        """L3, from the decision and the postage entered so far."""
        return postage_terms(exchange=self.kind == RmaKind.EXCHANGE,
                             quality_confirmed=self.quality_confirmed,
                             return_postage_fen=self.return_postage_fen,
                             outgoing_postage_fen=self.outgoing_postage_fen)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    @property
    def takes_parcel(self) -> bool:
        """L6: a receipt can still apply (the parcel is awaited, or an exchange shipped in
        advance awaits the return)."""
        return self.state in TAKES_PARCEL and self.inspection is None

    @property
    def skus(self) -> set[str]:
        return {item.sku for item in self.items}

    def allowed_next(self) -> list[str]:
        return MACHINE.allowed(self.state)

    # -- L1, L2, L5: after-sales details -------------------------------------------------
    @classmethod
    def open(cls, *, number: str, kind: RmaKind, order_id: str, items: Sequence[Item],
             card: ServiceCard, owner_id: str, by: str, at: datetime, quality_claim: bool = False,
             photos: Sequence[str] = (), ticket_number: str | None = None,
             follow_up: FollowUpPolicy = DEFAULT_FOLLOW_UP) -> tuple[Rma, list[ev.Event]]:
        if not items:
            raise ValidationFailed("an RMA needs at least one item", "items")
        if kind == RmaKind.EXCHANGE and not card.wanted_replacement:
            raise ValidationFailed("an exchange names the wanted replacement",
                                   "wanted_replacement")
        rma = cls(number=number, kind=kind, order_id=order_id, items=list(items), card=card,
                  owner_id=owner_id, opened_by=by, opened_at=at, quality_claim=quality_claim,
                  photos=list(photos), ticket_number=ticket_number, follow_up=follow_up)
        rma.next_action_at = rma._next_action(S.OPENED, at)
        rma.note(at, by, "opened", kind=kind.value, order_id=order_id,
                 items=[(i.sku, i.quantity) for i in items], quality_claim=quality_claim)
        return rma, [ev.RmaOpened(rma_number=number, kind=kind.value, order_id=order_id,
                                  ticket_number=ticket_number, customer_id=card.customer_id,
                                  owner_id=owner_id, quality_claim=quality_claim)]

    def add_photos(self, refs: Sequence[str], by: str, at: datetime) -> None:
        self._require_open("add photos")
        self.photos += [r for r in refs if r not in self.photos]
        self.note(at, by, "photos_added", count=len(refs))

    def decide_quality(self, verdict: Verdict, note: str, by: str, at: datetime) -> None:
        """L2: after-sales confirms or rejects the quality claim; it needs photo evidence."""
        self._require_open("decide the quality claim")
        if not self.quality_claim:
            raise Refused("no_quality_claim", f"{self.number} claims no quality problem",
                          current=self.state.value)
        if not self.photos:
            raise Refused("photos_required", "a quality claim needs photo evidence before a "
                          "decision (L2)", current=self.state.value)
        if self.refund_id:
            raise Refused("already_refunded", f"{self.number} is already refunded",
                          current=self.state.value)
        self.decision = QualityDecision(verdict, note, by, at)
        self.note(at, by, "quality_decided", verdict=verdict.value, note=note,
                  return_leg_payer=self.postage.return_leg_payer.value)

    def record_tracking(self, tracking_number: str, courier: str | None,
                        return_postage_fen: int | None, by: str, at: datetime) -> list[ev.Event]:
        """L5: the customer sent the parcel; what they paid the courier is what they advanced."""
        if return_postage_fen is not None:
            postage_terms(exchange=True, quality_confirmed=False,
                          return_postage_fen=return_postage_fen)  # validates the amount
            self.return_postage_fen = return_postage_fen
        self.tracking_number, self.courier = tracking_number, courier
        return self._move(S.IN_TRANSIT, by, at, "tracking_recorded",
                          tracking_number=tracking_number, courier=courier,
                          return_postage_fen=self.return_postage_fen)

    def enter_amounts(self, amounts: Mapping[str, int], by: str, at: datetime) -> None:
        """What was paid per unit of each SKU, for an RMA opened without amounts."""
        self._require_open("enter amounts")
        unknown = set(amounts) - self.skus
        if unknown:
            raise ValidationFailed(f"not items of {self.number}: {sorted(unknown)}", "amounts")
        self.items = [replace(i, unit_paid_fen=amounts.get(i.sku, i.unit_paid_fen))
                      for i in self.items]
        self.note(at, by, "amounts_entered", amounts=dict(amounts))

    def set_platform_status(self, status: PlatformStatus, by: str, at: datetime) -> None:
        self.platform_status = status
        self.note(at, by, "platform_status", status=status.value)

    def reassign(self, owner_id: str, by: str, at: datetime) -> list[ev.Event]:
        self._require_open("reassign")
        self.owner_id = owner_id
        self.note(at, by, "reassigned", owner_id=owner_id)
        return [ev.status_changed(self, self.state.value, f"reassigned to {owner_id}")]

    def cancel(self, reason: str, by: str, at: datetime) -> list[ev.Event]:
        return self._move(S.CANCELLED, by, at, "cancelled", reason=reason)

    def close(self, note: str, by: str, at: datetime) -> list[ev.Event]:
        return self._move(S.CLOSED, by, at, "closed", note=note)

    # -- L4, L6: the parcel comes back ---------------------------------------------------
    def apply_receipt(self, receipt: Receipt, matched_by: str, at: datetime) -> list[ev.Event]:
        """The warehouse's inspection decides item by item; any failure opens a dispute."""
        inspection = inspect(self.items, receipt)
        self.inspection = inspection
        details = {"receipt_id": receipt.receipt_id, "matched_by": matched_by,
                   "passed": inspection.passed, "problems": list(inspection.problems)}
        # The parcel of an overridden refund, or of an advance exchange that passed, is kept
        # on the record; a failed inspection of an advance exchange still opens a dispute.
        if self.state == S.REFUNDED or (self.state == S.EXCHANGE_SHIPPED and inspection.passed):
            self.note(at, receipt.recorded_by, "received", **details)
            return []
        if inspection.passed:
            events = self._move(S.RECEIVED, receipt.recorded_by, at, "received", **details)
            if self.kind == RmaKind.EXCHANGE and self.exchange is None:
                self._order_exchange(at)
            return events
        reason = "; ".join(inspection.problems)
        self.dispute = Dispute(self.owner_id, self._next_action(S.DISPUTED, at) or at, reason, at)
        return self._move(S.DISPUTED, receipt.recorded_by, at, "disputed", **details)

    def settle_dispute(self, accept_rejected: bool, note: str, by: str,
                       at: datetime) -> list[ev.Event]:
        """After-sales settles a failed inspection: accept the rejected items after all, or
        refund only what passed."""
        if self.inspection is None:
            raise Refused("no_inspection", f"{self.number} has no inspection to settle",
                          current=self.state.value)
        MACHINE.check(self.state, S.RECEIVED)
        if accept_rejected:
            self.inspection = replace(self.inspection, accepted=tuple(self.items),
                                      rejected=(), passed=True)
        self.dispute = None
        events = self._move(S.RECEIVED, by, at, "dispute_settled", note=note,
                            accepted_rejected=accept_rejected)
        if self.kind == RmaKind.EXCHANGE and self.exchange is None:
            self._order_exchange(at)
        return events

    # -- L7, L3: the refund ------------------------------------------------------------
    @property
    def postage_refund_due(self) -> bool:
        """L3: a quality-confirmed exchange whose return was accepted owes the customer the
        return postage they advanced, until it is refunded."""
        return (self.kind == RmaKind.EXCHANGE and self.refund_id is None
                and return_accepted(self) and exchange_amounts(self.postage) is not None)

    def refund(self, by: str, at: datetime, override: Approval | None = None
               ) -> tuple[Refund, list[ev.Event]]:
        """L7: after a signed receipt whose inspection passed, or a supervisor override. A
        return is refunded and done; an exchange's postage refund (L3) leaves its state alone:
        the replacement goes on."""
        amounts = refund_amounts(self, overridden=override is not None)
        reason = override.reason if override else None
        refund = Refund(refund_id=refund_id_for(self.number), subject=self.number,
                        order_id=self.order_id, ticket_number=self.ticket_number,
                        items_fen=amounts.items_fen, postage_fen=amounts.postage_fen,
                        issued_at=at, issued_by=by, override_reason=reason,
                        quality_confirmed=self.quality_confirmed)
        self.refund_id = refund.refund_id
        details = {"refund_id": refund.refund_id, "amount_fen": refund.amount_fen,
                   "postage_fen": refund.postage_fen, "override": reason}
        if self.kind == RmaKind.EXCHANGE:
            self.note(at, by, "postage_refunded", **details)
            return refund, [ev.refund_issued(refund)]
        events = self._move(S.REFUNDED, by, at, "refunded", **details)
        return refund, [*events, ev.refund_issued(refund)]

    # -- L8, L9: the replacement ---------------------------------------------------------
    def approve_advance(self, reason: str, by: str, at: datetime) -> None:
        """L9: a supervisor lets the replacement ship before the return arrives."""
        if self.kind != RmaKind.EXCHANGE:
            raise Refused("not_an_exchange", f"{self.number} is a return",
                          current=self.state.value)
        MACHINE.check(self.state, S.EXCHANGE_SHIPPED)
        self.advance = Approval(by, reason, at)
        if self.exchange is None:
            self._order_exchange(at)
        self.note(at, by, "advance_approved", reason=reason)

    def ship_exchange(self, tracking_number: str, courier: str | None, by: str,
                      at: datetime) -> list[ev.Event]:
        if self.kind != RmaKind.EXCHANGE:
            raise Refused("not_an_exchange", f"{self.number} is a return",
                          current=self.state.value)
        MACHINE.check(self.state, S.EXCHANGE_SHIPPED)
        if self.state != S.RECEIVED and self.advance is None:
            raise Refused("return_not_received", "no replacement ships before the return is "
                          "received, unless a supervisor approves it with a reason (L9)",
                          current=self.state.value)
        assert self.exchange is not None
        self.exchange = replace(self.exchange, status="shipped", tracking_number=tracking_number,
                                courier=courier, shipped_at=at, shipped_by=by)
        events = self._move(S.EXCHANGE_SHIPPED, by, at, "exchange_shipped",
                            tracking_number=tracking_number, courier=courier)
        return [*events, ev.ExchangeShipped(
            rma_number=self.number, order_id=self.order_id, ticket_number=self.ticket_number,
            tracking_number=tracking_number, courier=courier, shipped_at=at)]

    def confirm_delivery(self, by: str, at: datetime) -> list[ev.Event]:
        """L8: the replacement's delivery was followed up and confirmed."""
        MACHINE.check(self.state, S.EXCHANGE_DELIVERED)
        assert self.exchange is not None
        self.exchange = replace(self.exchange, status="delivered", delivered_at=at)
        return self._move(S.EXCHANGE_DELIVERED, by, at, "exchange_delivered")

    def _order_exchange(self, at: datetime) -> None:
        self.exchange = ExchangeOrder(replacement=self.card.wanted_replacement or "",
                                      created_at=at)
        self.note(at, "logistics", "exchange_ordered", replacement=self.exchange.replacement)

    # -- plumbing ------------------------------------------------------------------------
    def _move(self, target: RmaState, by: str, at: datetime, action: str,
              **details: object) -> list[ev.Event]:
        MACHINE.check(self.state, target)
        before, self.state = self.state, target
        self.next_action_at = (self.dispute.next_action_at if target == S.DISPUTED and
                               self.dispute else self._next_action(target, at))
        self.note(at, by, action, **{"from": before.value, "to": target.value, **details})
        return [ev.status_changed(self, before.value, str(details.get("note", "") or ""))]

    def _next_action(self, state: RmaState, at: datetime) -> datetime | None:
        delay = self.follow_up.rma(state)
        return at + delay if delay is not None else None

    def _require_open(self, what: str) -> None:
        if not self.is_open:
            raise Refused("closed", f"cannot {what}: {self.number} is {self.state.value}",
                          current=self.state.value)

    def note(self, at: datetime, by: str, action: str, **details: object) -> None:
        self.timeline.append(TimelineEntry(at, by, action, dict(details)))

