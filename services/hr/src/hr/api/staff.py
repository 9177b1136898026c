"""Routes: the staff directory (H1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from hr.api.deps import PROBLEM_RESPONSES, AdminActor, DepsDep, DomainRoute, StaffActor
from hr.api.schemas.common import StaffId, Team
from hr.api.schemas.staff import StaffCreate, StaffRead, StaffUpdate
from hr.application import staff as use_cases
from hr.domain.staff import wage_visible

router = APIRouter(tags=["staff"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)
StaffPath = Annotated[StaffId, Path(description="Staff id, e.g. aftersales1.")]


@router.post("/staff", status_code=201, summary="Add a person to the directory (H1)")
async def hire(body: StaffCreate, deps: DepsDep, actor: AdminActor) -> StaffRead:
    """HR admin or manager. Publishes `hr.staff.changed`; the gateway then accepts an initial
    password for this staff id. 409: the id is taken; 404: unknown supervisor."""
    return StaffRead.of(await use_cases.hire(deps, actor, body.staff()), True)


@router.patch("/staff/{staff_id}", summary="Change role, team, supervisor, wage or active")
async def change(staff_id: StaffPath, body: StaffUpdate, deps: DepsDep,
                 actor: AdminActor) -> StaffRead:
    """HR admin or manager. Publishes `hr.staff.changed`; deactivating someone ends their
    sessions at the gateway at once."""
    return StaffRead.of(await use_cases.change(deps, actor, staff_id, body.changes()), True)


@router.get("/staff", summary="The directory, as far as the caller may see it")
async def listing(deps: DepsDep, actor: StaffActor,
                  team: Annotated[Team | None, Query()] = None,
                  active: Annotated[bool | None, Query()] = None) -> list[StaffRead]:
    """Everyone for HR admin and the manager, the team for a supervisor, else oneself; the
    wage only to HR admin, the manager and the person."""
    people = await use_cases.listing(deps, actor, team, active)
    return [StaffRead.of(p, wage_visible(actor, p)) for p in people]


@router.get("/staff/{staff_id}", summary="One person")
async def read(staff_id: StaffPath, deps: DepsDep, actor: StaffActor) -> StaffRead:
    person = await use_cases.read(deps, actor, staff_id)
    return StaffRead.of(person, wage_visible(actor, person))
