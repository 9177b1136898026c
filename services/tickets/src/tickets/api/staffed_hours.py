"""Routes: T2's staffed hours, a policy a manager edits (seeded from the rulebook).

The schemas live here until the API schemas move to `api/schemas/<resource>.py`.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from tickets.api.deps import PROBLEM_RESPONSES, AgentActor, DepsDep, DomainRoute, ManagerActor
from tickets.application import policies
from tickets.domain.staffed_hours import MAX_PERIODS, StaffedHours

router = APIRouter(tags=["policies"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)
EXAMPLE = {"periods": [{"start": "09:00", "end": "11:30"}, {"start": "12:30", "end": "23:30"}],
           "open_days": "all"}


class StaffedPeriod(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: time = Field(description="Shop-local wall-clock start (Asia/Shanghai).")
    end: time = Field(description="Shop-local wall-clock end, after the start.")


class StaffedHoursUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    periods: Annotated[list[StaffedPeriod], Field(min_length=1, max_length=MAX_PERIODS)]
    open_days: Literal["all", "working"] = "all"


class StaffedHoursRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    periods: list[StaffedPeriod]
    open_days: Literal["all", "working"]
    updated_by: str | None = None
    updated_at: datetime | None = None

    @classmethod
    def of(cls, hours: StaffedHours) -> StaffedHoursRead:
        return cls(periods=[StaffedPeriod(start=s, end=e) for s, e in hours.periods],
                   open_days=hours.open_days, updated_by=hours.updated_by,
                   updated_at=hours.updated_at)


@router.get("/staffed-hours", summary="T2's staffed hours")
async def get_staffed_hours(deps: DepsDep, _: AgentActor) -> StaffedHoursRead:
    """Any agent. T2: the daily periods (shop-local) during which first-response clocks run, and
    whether they run every day or on working days only; the rulebook's until a manager edits
    them."""
    return StaffedHoursRead.of(await policies.get_staffed_hours(deps))


@router.put("/staffed-hours", summary="Change T2's staffed hours (manager)")
async def put_staffed_hours(body: StaffedHoursUpdate, deps: DepsDep,
                            actor: ManagerActor) -> StaffedHoursRead:
    """Manager only. T2: replaces the staffed hours; first-response clocks started from now on
    count them, running targets keep their due time. 422 `periods`: a period that does not end
    after it starts, or periods that overlap."""
    hours = await policies.put_staffed_hours(
        deps, actor, [(p.start, p.end) for p in body.periods], body.open_days)
    return StaffedHoursRead.of(hours)
