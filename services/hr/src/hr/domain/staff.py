"""H1: the staff directory, the one source of truth for who works here.

A person has a role, a team, a direct supervisor, an active flag and a monthly wage (for H11's
day of average wage). The wage is seen only by HR, the manager and the person (`wage_visible`);
it never enters an event or a log line. Every change publishes `hr.staff.changed`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from hr.domain.errors import NotAllowed, ValidationFailed
from ops_shared.contracts.hr import StaffChanged

ROLES = ("presales", "aftersales", "order_desk", "warehouse", "supervisor", "manager",
         "hr_admin")
EVERYONE = frozenset({"hr_admin", "manager"})
"""Roles that see every person's records (issue 9, item 9)."""
STAFF_ADMINS = frozenset({"hr_admin", "manager"})


@dataclass(frozen=True)
class Actor:
    """Who is acting: the verified caller's staff id and role."""

    staff_id: str
    role: str


@dataclass(frozen=True)
class Staff:
    staff_id: str
    display_name: str
    role: str
    team: str | None = None
    supervisor_id: str | None = None
    active: bool = True
    wage_fen: int = 0
    version: int = 0
    updated_at: datetime | None = None

    def changed(self, at: datetime, **fields: Any) -> Staff:
        unknown = set(fields) - {"display_name", "role", "team", "supervisor_id", "active",
                                 "wage_fen"}
        if unknown:
            raise ValidationFailed(f"cannot change {sorted(unknown)}", field=sorted(unknown)[0])
        changed = replace(self, **fields, updated_at=at)
        changed.check()
        return changed

    def check(self) -> None:
        if self.role not in ROLES:
            raise ValidationFailed(f"unknown role {self.role!r}", field="role")
        if self.supervisor_id == self.staff_id:
            raise ValidationFailed("nobody is their own supervisor", field="supervisor_id")
        if self.wage_fen < 0:
            raise ValidationFailed("a wage is not negative", field="wage_fen")

    def event(self) -> StaffChanged:
        """H1: what the other services learn; never the wage."""
        return StaffChanged(staff_id=self.staff_id, display_name=self.display_name,
                            role=self.role, team=self.team, supervisor_id=self.supervisor_id,
                            active=self.active)  # type: ignore[arg-type]

    def day_wage_fen(self, days_x100: int) -> int:
        """H11: one day's average wage (monthly wage over the average working days)."""
        return self.wage_fen * 100 // days_x100


def wage_visible(viewer: Actor, person: Staff) -> bool:
    """H1: the wage is visible to HR admin, the manager and the person only."""
    return viewer.role in EVERYONE or viewer.staff_id == person.staff_id


def can_see(viewer: Actor, person: Staff) -> bool:
    """Issue 9, item 9: oneself; a supervisor their team; HR admin and the manager everyone."""
    return (viewer.role in EVERYONE or viewer.staff_id == person.staff_id
            or (viewer.role == "supervisor" and person.supervisor_id == viewer.staff_id))


def check_sees(viewer: Actor, person: Staff) -> None:
    if not can_see(viewer, person):
        raise NotAllowed(f"{viewer.staff_id} may not see the records of {person.staff_id}")


ROLE_RANK: dict[str, int] = {
    "presales": 1, "aftersales": 1, "order_desk": 1, "warehouse": 1, "supervisor": 2,
    "hr_admin": 3, "manager": 4,
}
"""Nobody grants a role above their own (the gateway's rule, issue 7): HR admin hires and
changes the front line and supervisors; hr_admin and manager need the manager."""


def check_admin(actor: Actor) -> None:
    if actor.role not in STAFF_ADMINS:
        raise NotAllowed("only HR admin and the manager change the staff directory")


def check_grant(actor: Actor, *roles: str) -> None:
    """The actor may give (or change a person holding) each of `roles`."""
    check_admin(actor)
    if actor.role == "manager":
        return
    for role in roles:
        if ROLE_RANK.get(actor.role, 0) <= ROLE_RANK.get(role, 99):
            raise NotAllowed(f"a {actor.role} may not grant or change the role {role}: nobody "
                             "grants a role above their own")
