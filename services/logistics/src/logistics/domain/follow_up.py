"""When the owner of an open case must look again: the next-action times of the daily review
(T13), the delivery follow-up of exchanges (L8) and of re-shipments (L12).

Policy a manager edits at run time, like the ship-date promise (L13). Hours, each between
`MIN_HOURS` and `MAX_HOURS`; a state without an entry here has no next action (it is finished,
or someone else's move, e.g. a refused courier).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import timedelta
from enum import StrEnum
from types import MappingProxyType

from logistics.domain.errors import ValidationFailed

MIN_HOURS = 1
MAX_HOURS = 24 * 60


@dataclass(frozen=True)
class FollowUpPolicy:
    rma_opened_hours: int = 7 * 24  # waiting for the customer's parcel
    rma_in_transit_hours: int = 5 * 24  # tracking recorded, the parcel is on its way
    rma_received_hours: int = 4  # received: refund or replacement due
    rma_disputed_hours: int = 24  # inspection failed: the dispute's owner looks again
    exchange_delivery_hours: int = 5 * 24  # the replacement shipped: delivery followed up (L8)
    recall_requested_hours: int = 24
    recall_courier_accepted_hours: int = 2 * 24
    recall_returning_hours: int = 3 * 24
    recall_parcel_received_hours: int = 4  # the parcel is back: refund due
    reshipment_hours: int = 2 * 24  # a re-shipment's return and delivery followed up (L12)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if (not isinstance(value, int) or isinstance(value, bool)
                    or not MIN_HOURS <= value <= MAX_HOURS):
                raise ValidationFailed(
                    f"{f.name} must be a whole number of hours from {MIN_HOURS} to "
                    f"{MAX_HOURS}", f.name)

    def rma(self, state: StrEnum) -> timedelta | None:
        return self._hours({"opened": self.rma_opened_hours,
                            "in_transit": self.rma_in_transit_hours,
                            "received": self.rma_received_hours,
                            "disputed": self.rma_disputed_hours,
                            "exchange_shipped": self.exchange_delivery_hours}.get(state.value))

    def recall(self, state: StrEnum) -> timedelta | None:
        return self._hours({"requested": self.recall_requested_hours,
                            "courier_accepted": self.recall_courier_accepted_hours,
                            "returning": self.recall_returning_hours,
                            "parcel_received": self.recall_parcel_received_hours
                            }.get(state.value))

    @property
    def reshipment(self) -> timedelta:
        return timedelta(hours=self.reshipment_hours)

    @staticmethod
    def _hours(hours: int | None) -> timedelta | None:
        return timedelta(hours=hours) if hours is not None else None


DEFAULT_FOLLOW_UP = FollowUpPolicy()
NOT_STORED = MappingProxyType({"stored": False})
"""Field metadata: a policy an aggregate is handed for its moves is not part of its record."""
