"""Follow-up policy schemas: when the owner of an open case looks again (hours)."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Annotated

from pydantic import Field

from logistics.api.schemas.common import In
from logistics.domain.follow_up import MAX_HOURS, MIN_HOURS, FollowUpPolicy

Hours = Annotated[int, Field(ge=MIN_HOURS, le=MAX_HOURS)]


class FollowUpPolicyIn(In):
    """What the manager edits; every field is required so that an edit is never partial.
    Each is a whole number of hours from 1 to 1440 (60 days)."""

    rma_opened_hours: Hours = Field(description="RMA opened: waiting for the customer's parcel.")
    rma_in_transit_hours: Hours = Field(description="RMA with a return tracking number.")
    rma_received_hours: Hours = Field(description="RMA received: refund or replacement due.")
    rma_disputed_hours: Hours = Field(description="Failed inspection: the dispute's owner.")
    exchange_delivery_hours: Hours = Field(
        description="Replacement shipped: its delivery is followed up (L8).")
    recall_requested_hours: Hours = Field(description="Recall asked of the courier.")
    recall_courier_accepted_hours: Hours = Field(description="Courier accepted the recall.")
    recall_returning_hours: Hours = Field(description="Recalled parcel on its way back.")
    recall_parcel_received_hours: Hours = Field(description="Parcel back: refund due.")
    reshipment_hours: Hours = Field(
        description="Re-shipment: its return, then its delivery, is followed up (L12).")

    def policy(self) -> FollowUpPolicy:
        return FollowUpPolicy(**{f.name: getattr(self, f.name) for f in fields(FollowUpPolicy)})


class FollowUpPolicyRead(FollowUpPolicyIn):
    @classmethod
    def of(cls, policy: FollowUpPolicy) -> FollowUpPolicyRead:
        return cls(**asdict(policy))
