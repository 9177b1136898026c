"""Schemas of the deadline preview (T2-T6) and the intake policy bounding `asked_at` (T2)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tickets.api.schemas.common import Moment, StaffTime, read_config, request_config
from tickets.api.schemas.customers import TierName
from tickets.api.schemas.tickets import SLA_EXAMPLE, SlaTargetRead
from tickets.domain.intake import DEFAULT_MAX_ASKED_AGE_HOURS
from tickets.domain.model import Channel, ComplaintGrade, Kind, Origin

_AT = "2026-11-26T10:00:00+08:00"


class DeadlinePreviewQuery(BaseModel):
    """A ticket that could be opened; an unknown parameter is a 422."""

    model_config = ConfigDict(extra="forbid")

    at: Moment | None = Field(None, description="When it would open (its clocks start); "
                                                "default now.")
    kind: Kind
    grade: ComplaintGrade | None = Field(None, description="Complaints only: major or general.")
    tier: TierName = "regular"
    channel: Channel = Channel.IM
    origin: Origin = Origin.CUSTOMER


class DeadlinePreviewRead(BaseModel):
    model_config = read_config({"at": _AT, "kind": "complaint", "grade": "major",
                                "tier": "regular", "channel": "im", "origin": "customer",
                                "targets": [SLA_EXAMPLE]})

    at: StaffTime
    kind: str
    grade: str | None
    tier: str
    channel: str
    origin: str
    targets: list[SlaTargetRead]


class IntakePolicyUpdate(BaseModel):
    """T2: how long ago a request logged now may have been asked (`asked_at`)."""

    model_config = request_config({"max_asked_age_hours": DEFAULT_MAX_ASKED_AGE_HOURS})

    max_asked_age_hours: int = Field(ge=1, le=24 * 31, strict=True)


class IntakePolicyRead(BaseModel):
    model_config = read_config({"max_asked_age_hours": DEFAULT_MAX_ASKED_AGE_HOURS})

    max_asked_age_hours: int
