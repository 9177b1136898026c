"""H1 use cases: hire, change and list staff; every change publishes `hr.staff.changed`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import structlog

from hr.application.deps import Deps
from hr.domain.errors import NotFound
from hr.domain.ports import HrRepositories, HrUnitOfWork
from hr.domain.staff import Actor, Staff, can_see, check_admin, check_grant, check_sees

log = structlog.get_logger(__name__)


async def hire(deps: Deps, actor: Actor, staff: Staff) -> Staff:
    """H1: add a person to the directory (HR admin or the manager)."""
    check_grant(actor, staff.role)
    staff = replace(staff, updated_at=deps.clock.now(), version=0)
    staff.check()

    async def work(uow: HrUnitOfWork) -> Staff:
        await _check_supervisor(uow, staff)
        await uow.staff.add(staff)
        uow.publish(staff.event())
        return staff

    hired = await deps.transaction(work)
    log.info("staff.hired", staff_id=hired.staff_id, role=hired.role, by=actor.staff_id)
    return hired


async def change(deps: Deps, actor: Actor, staff_id: str, fields: dict[str, Any]) -> Staff:
    """H1: change role, team, supervisor, active flag, name or wage; published at once."""
    check_admin(actor)

    async def work(uow: HrUnitOfWork) -> Staff:
        current = await uow.staff.get(staff_id)
        check_grant(actor, current.role, fields.get("role", current.role))
        changed = current.changed(deps.clock.now(), **fields)
        await _check_supervisor(uow, changed)
        await uow.staff.save(changed)
        uow.publish(changed.event())
        return changed

    changed = await deps.transaction(work)
    log.info("staff.changed", staff_id=staff_id, fields=sorted(fields), by=actor.staff_id)
    return changed


async def _check_supervisor(uow: HrUnitOfWork, staff: Staff) -> None:
    if staff.supervisor_id and await uow.staff.find(staff.supervisor_id) is None:
        raise NotFound(f"no staff member {staff.supervisor_id} to be the supervisor")


async def read(deps: Deps, actor: Actor, staff_id: str) -> Staff:
    person = await deps.reads.staff.get(staff_id)
    check_sees(actor, person)
    return person


async def listing(deps: Deps, actor: Actor, team: str | None, active: bool | None
                  ) -> list[Staff]:
    """Issue 9, item 9: everyone for HR admin and the manager; a supervisor's team; oneself."""
    people = await deps.reads.staff.search(team=team, active=active)
    return [p for p in people if can_see(actor, p)]


async def visible_ids(repos: HrRepositories, actor: Actor) -> set[str] | None:
    """Whose records the actor sees: None means everyone."""
    if actor.role in ("hr_admin", "manager"):
        return None
    ids = {actor.staff_id}
    if actor.role == "supervisor":
        ids |= {p.staff_id for p in await repos.staff.search(supervisor_id=actor.staff_id)}
    return ids


async def check_visible(repos: HrRepositories, actor: Actor, staff_id: str) -> None:
    check_sees(actor, await repos.staff.get(staff_id))
