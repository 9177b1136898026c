"""Routes: rosters (H2, H7, H12)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from hr.api.deps import PROBLEM_RESPONSES, DepsDep, DomainRoute, PlannerActor, StaffActor
from hr.api.schemas.common import Month
from hr.api.schemas.rosters import RosterCreate, RosterEntryRead, RosterEntryUpdate, RosterRead
from hr.application import rosters

router = APIRouter(tags=["rosters"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)
RosterPath = Annotated[str, Path(pattern=r"^\d{4}-\d{2}:[^/]{1,50}$",
                                 description="`<month>:<team>`, e.g. 2026-12:customer_service")]


@router.post("/rosters", status_code=201, summary="Generate a team's month (H2)")
async def generate(body: RosterCreate, deps: DepsDep, actor: PlannerActor) -> RosterRead:
    """Supervisor or manager. A draft that rotates every 5 days (policy). 409: the team has a
    roster for that month."""
    return RosterRead.of(await rosters.generate(deps, actor, body.month, body.team))


@router.get("/rosters", summary="The month's rosters")
async def of_month(month: Annotated[Month, Query()], deps: DepsDep,
                   _: StaffActor) -> list[RosterRead]:
    return [RosterRead.of(r) for r in await rosters.of_month(deps, month)]


@router.get("/rosters/{roster_id}", summary="One roster")
async def read(roster_id: RosterPath, deps: DepsDep, _: StaffActor) -> RosterRead:
    return RosterRead.of(await rosters.read(deps, roster_id))


@router.put("/rosters/{roster_id}/entries", summary="Edit one entry; mark holiday duty (H7)")
async def set_entry(roster_id: RosterPath, body: RosterEntryUpdate, deps: DepsDep,
                    actor: PlannerActor) -> RosterRead:
    return RosterRead.of(await rosters.set_entry(deps, actor, roster_id, body.day,
                                                 body.staff_id, body.shift, body.holiday_duty))


@router.post("/rosters/{roster_id}/publish", summary="Publish the roster (H2, H12)")
async def publish(roster_id: RosterPath, deps: DepsDep, actor: PlannerActor) -> RosterRead:
    """Sends `hr.roster.published`. 409 `rule: H12`: a shift is below minimum staffing."""
    return RosterRead.of(await rosters.publish(deps, actor, roster_id))


@router.get("/duty", summary="Who is on duty on a day (H12)")
async def duty(day: Annotated[date, Query()], deps: DepsDep,
               _: StaffActor) -> list[RosterEntryRead]:
    return [RosterEntryRead.of(e) for e in await rosters.on_duty(deps, day)]
