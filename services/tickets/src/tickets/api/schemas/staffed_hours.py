"""Schemas of T2's staffed hours, a policy a manager puts whole (so its body is an `Update`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from ops_shared.contracts.bounds import LocalTime
from tickets.api.schemas.common import StaffTime, read_config, request_config
from tickets.domain.staffed_hours import MAX_PERIODS, StaffedHours

EXAMPLE = {"periods": [{"start": "09:00", "end": "11:30"}, {"start": "12:30", "end": "23:30"}],
           "open_days": "all"}


class StaffedPeriod(BaseModel):
    model_config = request_config({"start": "09:00", "end": "11:30"})

    start: LocalTime = Field(description="Shop-local wall-clock start (Asia/Shanghai).")
    end: LocalTime = Field(description="Shop-local wall-clock end, after the start.")


class StaffedHoursUpdate(BaseModel):
    model_config = request_config(EXAMPLE)

    periods: Annotated[list[StaffedPeriod], Field(min_length=1, max_length=MAX_PERIODS)]
    open_days: Literal["all", "working"] = Field(
        "all", description="`all` days, or `working` days only (the shared calendar).")


class StaffedHoursRead(BaseModel):
    model_config = read_config({**EXAMPLE, "updated_by": "mg-01",
                                "updated_at": "2026-11-26T10:00:00.000+08:00"})

    periods: list[StaffedPeriod]
    open_days: Literal["all", "working"]
    updated_by: str | None = None
    updated_at: StaffTime | None = None

    @classmethod
    def of(cls, hours: StaffedHours) -> StaffedHoursRead:
        return cls(periods=[StaffedPeriod(start=s, end=e) for s, e in hours.periods],
                   open_days=hours.open_days, updated_by=hours.updated_by,
                   updated_at=hours.updated_at)
