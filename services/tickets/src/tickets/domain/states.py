"""The ticket state machine as data: states and the moves each one allows."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from tickets.domain.errors import TransitionRefused


class TicketState(StrEnum):
    NEW = "new"
    OPEN = "open"  # first response given
    PENDING_CUSTOMER = "pending_customer"
    ESCALATED = "escalated"
    TRANSFERRED = "transferred"
    RECTIFIED = "rectified"
    AWAITING_CALLBACK = "awaiting_callback"
    CLOSED = "closed"
    MERGED = "merged"


S = TicketState
_WORKING = {S.PENDING_CUSTOMER, S.ESCALATED, S.TRANSFERRED, S.RECTIFIED, S.AWAITING_CALLBACK}

TRANSITIONS: Mapping[TicketState, frozenset[TicketState]] = MappingProxyType(
    {
        S.NEW: frozenset({S.OPEN, S.ESCALATED, S.TRANSFERRED, S.MERGED}),
        S.OPEN: frozenset(_WORKING | {S.CLOSED, S.MERGED}),
        S.PENDING_CUSTOMER: frozenset(
            _WORKING - {S.PENDING_CUSTOMER} | {S.OPEN, S.CLOSED, S.MERGED}
        ),
        S.ESCALATED: frozenset(
            _WORKING | {S.OPEN, S.CLOSED, S.MERGED}
        ),  # escalated→escalated: T7 next level
        S.TRANSFERRED: frozenset(_WORKING | {S.OPEN, S.CLOSED, S.MERGED}),
        S.RECTIFIED: frozenset({S.OPEN, S.CLOSED}),
        S.AWAITING_CALLBACK: frozenset({S.OPEN, S.CLOSED}),
        S.CLOSED: frozenset(),
        S.MERGED: frozenset(),
    }
)
TERMINAL: frozenset[TicketState] = frozenset({S.CLOSED, S.MERGED})


def allowed_targets(current: TicketState) -> list[str]:
    """States reachable from current, in declaration order."""
    targets = TRANSITIONS[TicketState(current)]
    return [state.value for state in TicketState if state in targets]


def check_transition(current: TicketState, target: TicketState) -> None:
    """Raise TransitionRefused (listing the allowed states) unless current → target is allowed."""
    if TicketState(target) not in TRANSITIONS[TicketState(current)]:
        raise TransitionRefused(current, target, allowed_targets(current))
