"""H2, H7, H12 use cases: generate a team's month, edit it, publish it, see who is on duty."""

from __future__ import annotations

from datetime import date

import structlog

from hr.application.deps import Deps
from hr.domain.errors import NotAllowed, ValidationFailed
from hr.domain.ports import HrUnitOfWork
from hr.domain.roster import Roster, RosterEntry, month_days, rotate
from hr.domain.staff import Actor

log = structlog.get_logger(__name__)
PLANNERS = frozenset({"supervisor", "manager"})


def _check_planner(actor: Actor) -> None:
    if actor.role not in PLANNERS:
        raise NotAllowed("only a supervisor or the manager plans rosters")


async def generate(deps: Deps, actor: Actor, month: str, team: str) -> Roster:
    """H2: a draft roster for the team's active members that rotates every 5 days (policy)."""
    _check_planner(actor)
    month_days(month)

    async def work(uow: HrUnitOfWork) -> Roster:
        members = await uow.staff.search(team=team, active=True)
        if not members:
            raise ValidationFailed(f"team {team!r} has no active members", field="team")
        roster = rotate(month, team, members, await uow.policies.get())
        await uow.rosters.add(roster)
        return roster

    roster = await deps.transaction(work)
    log.info("roster.generated", roster_id=roster.roster_id, entries=len(roster.entries),
             by=actor.staff_id)
    return roster


async def set_entry(deps: Deps, actor: Actor, roster_id: str, day: date, staff_id: str,
                    shift: str | None, holiday_duty: bool) -> Roster:
    """H2/H7: the supervisor puts someone on a shift (or off duty) and marks holiday duty."""
    _check_planner(actor)

    async def work(uow: HrUnitOfWork) -> Roster:
        roster = await uow.rosters.get(roster_id)
        person = await uow.staff.get(staff_id)
        roster.set_entry(day, person, shift, await uow.policies.get(), holiday_duty)
        await uow.rosters.save(roster)
        return roster

    return await deps.transaction(work)


async def publish(deps: Deps, actor: Actor, roster_id: str) -> Roster:
    """H2/H12: publish (again) after the staffing check; sends `hr.roster.published`."""
    _check_planner(actor)

    async def work(uow: HrUnitOfWork) -> Roster:
        roster = await uow.rosters.get(roster_id)
        event = roster.publish(await uow.policies.get(), deps.clock.now(), actor.staff_id)
        await uow.rosters.save(roster)
        uow.publish(event)
        return roster

    roster = await deps.transaction(work)
    log.info("roster.published", roster_id=roster_id, by=actor.staff_id)
    return roster


async def read(deps: Deps, roster_id: str) -> Roster:
    return await deps.reads.rosters.get(roster_id)


async def of_month(deps: Deps, month: str) -> list[Roster]:
    month_days(month)
    return await deps.reads.rosters.of_month(month)


async def on_duty(deps: Deps, day: date) -> list[RosterEntry]:
    """H12: who is on duty that day, by the published rosters."""
    rosters = await deps.reads.rosters.of_month(f"{day:%Y-%m}", published=True)
    return sorted((e for r in rosters for e in r.on(day)), key=lambda e: (e.shift, e.staff_id))
