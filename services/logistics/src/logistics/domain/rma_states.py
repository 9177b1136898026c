"""The RMA state machine as data (L14): states, the moves each allows, which states still take
a parcel (L6), and the platform's own refund status. When the owner must look again is the
manager's policy (`follow_up`)."""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

from logistics.domain.timeline import StateMachine


class RmaState(StrEnum):
    OPENED = "opened"  # waiting for the customer's parcel
    IN_TRANSIT = "in_transit"  # tracking number recorded (L5)
    RECEIVED = "received"  # signed receipt, inspection passed (or a dispute settled)
    DISPUTED = "disputed"  # inspection failed: an owner and a next-action time
    REFUNDED = "refunded"
    EXCHANGE_SHIPPED = "exchange_shipped"
    EXCHANGE_DELIVERED = "exchange_delivered"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class PlatformStatus(StrEnum):
    """The platform's own refund status, kept beside ours because staff check both."""

    WAITING_SELLER = "waiting_seller"
    WAITING_BUYER_RETURN = "waiting_buyer_return"
    WAITING_SELLER_CONFIRM = "waiting_seller_confirm"
    REFUNDED = "refunded"
    CLOSED = "closed"


S = RmaState
MACHINE = StateMachine("RMA", MappingProxyType({
    S.OPENED: frozenset({S.IN_TRANSIT, S.RECEIVED, S.DISPUTED, S.REFUNDED, S.EXCHANGE_SHIPPED,
                         S.CANCELLED}),
    S.IN_TRANSIT: frozenset({S.IN_TRANSIT, S.RECEIVED, S.DISPUTED, S.REFUNDED,
                             S.EXCHANGE_SHIPPED, S.CANCELLED}),
    S.RECEIVED: frozenset({S.REFUNDED, S.EXCHANGE_SHIPPED, S.CLOSED}),
    S.DISPUTED: frozenset({S.RECEIVED, S.REFUNDED, S.CLOSED}),
    S.REFUNDED: frozenset({S.CLOSED}),
    S.EXCHANGE_SHIPPED: frozenset({S.EXCHANGE_DELIVERED, S.DISPUTED}),
    S.EXCHANGE_DELIVERED: frozenset({S.CLOSED, S.DISPUTED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}))
# A refunded (overridden) return or an exchange shipped in advance still awaits its parcel.
TAKES_PARCEL = frozenset({S.OPENED, S.IN_TRANSIT, S.EXCHANGE_SHIPPED, S.REFUNDED})
OPEN = frozenset(s for s in RmaState if not MACHINE.terminal(s))
