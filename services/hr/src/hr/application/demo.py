"""Development only: the demo staff, hired through the directory like anyone (so the gateway
learns them from `hr.staff.changed`), and this month's rosters, published, so that a new
ticket finds someone on duty."""

from __future__ import annotations

import contextlib

import structlog

from hr.application import rosters, staff
from hr.application.deps import Deps
from hr.domain.errors import Conflict
from hr.domain.roster import Roster, month_of
from hr.domain.staff import Actor, Staff

log = structlog.get_logger(__name__)
SEEDER = Actor("demo-seed", "manager")
# staff id, role, team, supervisor
DEMO_STAFF: tuple[tuple[str, str, str, str | None], ...] = (
    ("manager1", "manager", "management", None),
    ("hradmin1", "hr_admin", "hr", "manager1"),
    ("supervisor1", "supervisor", "customer_service", "manager1"),
    ("presales1", "presales", "customer_service", "supervisor1"),
    ("presales2", "presales", "customer_service", "supervisor1"),
    ("aftersales1", "aftersales", "customer_service", "supervisor1"),
    ("aftersales2", "aftersales", "customer_service", "supervisor1"),
    ("orderdesk1", "order_desk", "order_desk", "supervisor1"),
    ("warehouse1", "warehouse", "warehouse", "supervisor1"),
)
ROSTER_TEAMS = ("customer_service", "order_desk")


async def seed(deps: Deps) -> None:
    """Hire the missing demo staff and publish this month's rosters (idempotent)."""
    for staff_id, role, team, supervisor in DEMO_STAFF:
        if await deps.reads.staff.find(staff_id) is None:
            person = Staff(staff_id, f"Demo {role.replace('_', ' ')}", role, team, supervisor,
                           wage_fen=600_000)
            with contextlib.suppress(Conflict):
                await staff.hire(deps, SEEDER, person)
    month = month_of(deps.clock.now().astimezone(deps.tz))
    for team in ROSTER_TEAMS:
        roster_id = Roster.id_for(month, team)
        with contextlib.suppress(Conflict):
            await rosters.generate(deps, SEEDER, month, team)
        if (await deps.reads.rosters.get(roster_id)).status != "published":
            await rosters.publish(deps, SEEDER, roster_id)
    log.info("demo_staff.seeded", month=month)
