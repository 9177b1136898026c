"""L10, L11: an order cancelled after payment is voided if not yet printed, recalled if it was.

Recall states: requested → courier_accepted | courier_refused; courier_accepted → returning →
parcel_received → refunded; requested, courier_accepted and returning may also end as failed.
"Original parcel received" is signed by the order desk (name and date) or matched from a
warehouse receipt by tracking number; the refund then follows the RMA's exactly-once path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType

from logistics.domain import events as ev
from logistics.domain.errors import Refused
from logistics.domain.follow_up import DEFAULT_FOLLOW_UP, NOT_STORED, FollowUpPolicy
from logistics.domain.model import Refund, refund_id_for
from logistics.domain.timeline import StateMachine, TimelineEntry


class RecallState(StrEnum):
    REQUESTED = "requested"
    COURIER_ACCEPTED = "courier_accepted"
    COURIER_REFUSED = "courier_refused"
    RETURNING = "returning"
    PARCEL_RECEIVED = "parcel_received"
    REFUNDED = "refunded"
    FAILED = "failed"


R = RecallState
MACHINE = StateMachine("recall", MappingProxyType({
    R.REQUESTED: frozenset({R.COURIER_ACCEPTED, R.COURIER_REFUSED, R.FAILED}),
    R.COURIER_ACCEPTED: frozenset({R.RETURNING, R.PARCEL_RECEIVED, R.FAILED}),
    R.COURIER_REFUSED: frozenset(),
    R.RETURNING: frozenset({R.PARCEL_RECEIVED, R.FAILED}),
    R.PARCEL_RECEIVED: frozenset({R.REFUNDED}),
    R.REFUNDED: frozenset(),
    R.FAILED: frozenset(),
}))
TAKES_PARCEL = frozenset({R.COURIER_ACCEPTED, R.RETURNING})


@dataclass(frozen=True)
class Slip:
    """The two-part recall slip: one part signed by the courier, kept by the order desk."""

    slip_number: str
    courier_signed_by: str
    kept_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class ParcelSignature:
    """"Original parcel received": signed by the order desk, or matched from a receipt."""

    signed_by: str
    on: date
    receipt_id: str | None = None


@dataclass(frozen=True)
class Void:
    """L11: an order cancelled after payment, before printing: voided, no recall."""

    order_id: str
    reason: str
    voided_by: str
    voided_at: datetime
    ticket_number: str | None = None


@dataclass
class Recall:
    number: str
    order_id: str
    tracking_number: str
    courier: str | None
    paid_fen: int
    owner_id: str
    opened_by: str
    opened_at: datetime
    reason: str = ""
    ticket_number: str | None = None
    state: RecallState = RecallState.REQUESTED
    slip: Slip | None = None
    received: ParcelSignature | None = None
    refund_id: str | None = None
    next_action_at: datetime | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)
    follow_up: FollowUpPolicy = field(default=DEFAULT_FOLLOW_UP, compare=False, repr=False,
                                      metadata=NOT_STORED)
    """The manager's follow-up policy, handed over by the use case (not part of the record)."""

    @classmethod
    def open(cls, *, number: str, order_id: str, tracking_number: str, courier: str | None,
             paid_fen: int, owner_id: str, reason: str, by: str, at: datetime,
             ticket_number: str | None = None,
             follow_up: FollowUpPolicy = DEFAULT_FOLLOW_UP) -> tuple[Recall, list[ev.Event]]:
        recall = cls(number=number, order_id=order_id, tracking_number=tracking_number,
                     courier=courier, paid_fen=paid_fen, owner_id=owner_id, opened_by=by,
                     opened_at=at, reason=reason, ticket_number=ticket_number,
                     follow_up=follow_up)
        recall.next_action_at = recall._next_action(R.REQUESTED, at)
        recall.note(at, by, "requested", order_id=order_id, tracking_number=tracking_number,
                    reason=reason)
        return recall, [recall.case(at)]

    @property
    def is_open(self) -> bool:
        return not MACHINE.terminal(self.state)

    def allowed_next(self) -> list[str]:
        return MACHINE.allowed(self.state)

    def courier_answered(self, accepted: bool, by: str, at: datetime, note: str = ""
                         ) -> list[ev.Event]:
        target = R.COURIER_ACCEPTED if accepted else R.COURIER_REFUSED
        return self._move(target, by, at, "courier_answered", note=note)

    def record_slip(self, slip: Slip, by: str) -> None:
        if not self.is_open:
            raise Refused("closed", f"{self.number} is {self.state.value}",
                          current=self.state.value)
        self.slip = slip
        self.note(slip.recorded_at, by, "slip_recorded", slip_number=slip.slip_number,
                  courier_signed_by=slip.courier_signed_by, kept_by=slip.kept_by)

    def returning(self, by: str, at: datetime) -> list[ev.Event]:
        return self._move(R.RETURNING, by, at, "returning")

    def parcel_received(self, signature: ParcelSignature, by: str, at: datetime
                        ) -> list[ev.Event]:
        self.received = signature
        return self._move(R.PARCEL_RECEIVED, by, at, "parcel_received",
                          signed_by=signature.signed_by, on=signature.on.isoformat(),
                          receipt_id=signature.receipt_id)

    def fail(self, reason: str, by: str, at: datetime) -> list[ev.Event]:
        return self._move(R.FAILED, by, at, "failed", note=reason)

    def refund(self, by: str, at: datetime) -> tuple[Refund, list[ev.Event]]:
        """L10 → L7: the whole order is refunded once the original parcel is back."""
        MACHINE.check(self.state, R.REFUNDED)
        refund = Refund(refund_id=refund_id_for(self.number), subject=self.number,
                        order_id=self.order_id, ticket_number=self.ticket_number,
                        items_fen=self.paid_fen, postage_fen=0, issued_at=at, issued_by=by)
        self.refund_id = refund.refund_id
        events = self._move(R.REFUNDED, by, at, "refunded", refund_id=refund.refund_id,
                            amount_fen=refund.amount_fen)
        return refund, [*events, ev.refund_issued(refund)]

    def case(self, at: datetime, note: str = "") -> ev.CaseUpdated:
        return ev.case_updated("recall", self.number, self.order_id, self.state.value,
                               open=self.is_open, owner_id=self.owner_id,
                               next_action_at=self.next_action_at, at=at,
                               refund_in_progress=self.is_open,
                               ticket_number=self.ticket_number, note=note)

    def _move(self, target: RecallState, by: str, at: datetime, action: str,
              **details: object) -> list[ev.Event]:
        MACHINE.check(self.state, target)
        before, self.state = self.state, target
        self.next_action_at = self._next_action(target, at)
        self.note(at, by, action, **{"from": before.value, "to": target.value, **details})
        return [self.case(at, str(details.get("note", "") or ""))]

    def _next_action(self, state: RecallState, at: datetime) -> datetime | None:
        delay = self.follow_up.recall(state)
        return at + delay if delay is not None else None

    def note(self, at: datetime, by: str, action: str, **details: object) -> None:
        self.timeline.append(TimelineEntry(at, by, action, dict(details)))
