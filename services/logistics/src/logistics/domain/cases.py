"""L12: problem shipments (疑难件), forwarded parcels (转件) and re-shipments.

A problem or forwarded parcel records its forwarding number, whether forwarding succeeded and
safe delivery; a parcel that must come back and be re-shipped is logged as a re-shipment whose
return is followed. Each open case has an owner and a next-action time (published, for T13).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from logistics.domain import events as ev
from logistics.domain.errors import ValidationFailed
from logistics.domain.follow_up import DEFAULT_FOLLOW_UP, NOT_STORED, FollowUpPolicy
from logistics.domain.timeline import StateMachine, TimelineEntry


class ParcelKind(StrEnum):
    PROBLEM = "problem"  # 疑难件
    FORWARDED = "forwarded"  # 转件


class ParcelState(StrEnum):
    OPEN = "open"
    FORWARDED = "forwarded"  # forwarding number recorded, waiting for the outcome
    DELIVERED = "delivered"  # delivered safely
    FAILED = "failed"  # forwarding failed / lost: a re-shipment may follow
    CLOSED = "closed"


P = ParcelState
PARCEL_MACHINE = StateMachine("problem parcel", MappingProxyType({
    P.OPEN: frozenset({P.FORWARDED, P.DELIVERED, P.FAILED, P.CLOSED}),
    P.FORWARDED: frozenset({P.FORWARDED, P.DELIVERED, P.FAILED}),
    P.DELIVERED: frozenset(),  # delivered safely: nothing left to follow
    P.FAILED: frozenset({P.CLOSED}),
    P.CLOSED: frozenset(),
}))


class ReshipmentState(StrEnum):
    AWAITING_RETURN = "awaiting_return"
    RETURNED = "returned"
    RESHIPPED = "reshipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


RS = ReshipmentState
RESHIP_MACHINE = StateMachine("re-shipment", MappingProxyType({
    RS.AWAITING_RETURN: frozenset({RS.RETURNED, RS.RESHIPPED, RS.CANCELLED}),
    RS.RETURNED: frozenset({RS.RESHIPPED, RS.CANCELLED}),
    RS.RESHIPPED: frozenset({RS.DELIVERED}),
    RS.DELIVERED: frozenset(),
    RS.CANCELLED: frozenset(),
}))


@dataclass
class ProblemParcel:
    case_id: str
    kind: ParcelKind
    order_id: str
    tracking_number: str
    description: str
    owner_id: str
    next_action_at: datetime
    opened_by: str
    opened_at: datetime
    ticket_number: str | None = None
    state: ParcelState = ParcelState.OPEN
    forwarding_number: str | None = None
    forwarding_succeeded: bool | None = None
    delivered_safely: bool | None = None
    outcome: str = ""
    timeline: list[TimelineEntry] = field(default_factory=list)

    @classmethod
    def open(cls, *, case_id: str, kind: ParcelKind, order_id: str, tracking_number: str,
             description: str, owner_id: str, next_action_at: datetime, by: str, at: datetime,
             ticket_number: str | None = None) -> tuple[ProblemParcel, list[ev.Event]]:
        _not_before(next_action_at, at)
        case = cls(case_id=case_id, kind=kind, order_id=order_id,
                   tracking_number=tracking_number, description=description, owner_id=owner_id,
                   next_action_at=next_action_at, opened_by=by, opened_at=at,
                   ticket_number=ticket_number)
        case.note(at, by, "opened", kind=kind.value, tracking_number=tracking_number)
        return case, [case.case(at)]

    @property
    def is_open(self) -> bool:
        return not PARCEL_MACHINE.terminal(self.state)

    def allowed_next(self) -> list[str]:
        return PARCEL_MACHINE.allowed(self.state)

    def update(self, *, by: str, at: datetime, state: ParcelState | None = None,
               forwarding_number: str | None = None, forwarding_succeeded: bool | None = None,
               delivered_safely: bool | None = None, outcome: str | None = None,
               owner_id: str | None = None, next_action_at: datetime | None = None
               ) -> list[ev.Event]:
        """Record what is known now; a move of state is checked against the machine."""
        target = ParcelState(state) if state else (
            P.FORWARDED if forwarding_number and self.state == P.OPEN else self.state)
        if target != self.state or not self.is_open:
            PARCEL_MACHINE.check(self.state, target)
        if next_action_at is not None:
            _not_before(next_action_at, at)
            self.next_action_at = next_action_at
        before, self.state = self.state, target
        for name, value in (("forwarding_number", forwarding_number),
                            ("forwarding_succeeded", forwarding_succeeded),
                            ("delivered_safely", delivered_safely), ("outcome", outcome),
                            ("owner_id", owner_id)):
            if value is not None:
                setattr(self, name, value)
        self.note(at, by, "updated", **{"from": before.value, "to": target.value,
                                        "forwarding_number": forwarding_number,
                                        "forwarding_succeeded": forwarding_succeeded,
                                        "delivered_safely": delivered_safely,
                                        "outcome": outcome})
        return [self.case(at)]

    def case(self, at: datetime) -> ev.CaseUpdated:
        return ev.case_updated("problem_parcel", self.case_id, self.order_id, self.state.value,
                               open=self.is_open, owner_id=self.owner_id,
                               next_action_at=self.next_action_at, at=at,
                               ticket_number=self.ticket_number, note=self.outcome)

    def note(self, at: datetime, by: str, action: str, **details: object) -> None:
        self.timeline.append(TimelineEntry(at, by, action, dict(details)))


@dataclass
class Reshipment:
    """A parcel that must come back and be sent again; its return is followed."""

    case_id: str
    order_id: str
    original_tracking: str
    reason: str
    owner_id: str
    opened_by: str
    opened_at: datetime
    next_action_at: datetime | None = None
    problem_case_id: str | None = None
    state: ReshipmentState = ReshipmentState.AWAITING_RETURN
    new_tracking: str | None = None
    courier: str | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)
    follow_up: FollowUpPolicy = field(default=DEFAULT_FOLLOW_UP, compare=False, repr=False,
                                      metadata=NOT_STORED)
    """The manager's follow-up policy, handed over by the use case (not part of the record)."""

    @classmethod
    def log(cls, *, case_id: str, order_id: str, original_tracking: str, reason: str,
            owner_id: str, by: str, at: datetime, problem_case_id: str | None = None,
            follow_up: FollowUpPolicy = DEFAULT_FOLLOW_UP) -> tuple[Reshipment, list[ev.Event]]:
        case = cls(case_id=case_id, order_id=order_id, original_tracking=original_tracking,
                   reason=reason, owner_id=owner_id, opened_by=by, opened_at=at,
                   problem_case_id=problem_case_id, follow_up=follow_up,
                   next_action_at=at + follow_up.reshipment)
        case.note(at, by, "logged", original_tracking=original_tracking, reason=reason)
        return case, [case.case(at)]

    @property
    def is_open(self) -> bool:
        return not RESHIP_MACHINE.terminal(self.state)

    def allowed_next(self) -> list[str]:
        return RESHIP_MACHINE.allowed(self.state)

    def move(self, target: ReshipmentState, by: str, at: datetime, *,
             tracking_number: str | None = None, courier: str | None = None,
             note: str = "") -> list[ev.Event]:
        RESHIP_MACHINE.check(self.state, target)
        if target == RS.RESHIPPED:
            if not tracking_number:
                raise ValidationFailed("a re-shipment records its new tracking number",
                                       "tracking_number")
            self.new_tracking, self.courier = tracking_number, courier
        before, self.state = self.state, target
        self.next_action_at = at + self.follow_up.reshipment if self.is_open else None
        self.note(at, by, target.value, **{"from": before.value, "to": target.value,
                                           "tracking_number": tracking_number, "note": note})
        return [self.case(at)]

    def case(self, at: datetime) -> ev.CaseUpdated:
        return ev.case_updated("reshipment", self.case_id, self.order_id, self.state.value,
                               open=self.is_open, owner_id=self.owner_id,
                               next_action_at=self.next_action_at, at=at)

    def note(self, at: datetime, by: str, action: str, **details: object) -> None:
        self.timeline.append(TimelineEntry(at, by, action, dict(details)))


def _not_before(moment: datetime, at: datetime) -> None:
    if moment < at:
        raise ValidationFailed("the next-action time is in the past", "next_action_at")
