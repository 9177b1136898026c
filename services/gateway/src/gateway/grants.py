"""Who may grant which role (issue 7, item 6): nobody grants a role above their own.

Roles are ranked; granting a role needs a rank strictly above it, so nobody grants a role above
their own, nor their own (an administrator cannot mint accounts with its own powers, such as a
second HR admin whose password it knows). The manager, the department head, is the top and the
one exception: only a manager grants manager, hr_admin and ops_admin.

    rank 4  manager
    rank 3  hr_admin, ops_admin
    rank 2  supervisor
    rank 1  presales, aftersales, order_desk, warehouse

So an HR admin creates and changes accounts of the front line and supervisors; everything above
needs a manager. The rule covers the whole account: one may change (role, team, name, active)
only an account whose current role one may grant, and only to a role one may grant.
"""

from __future__ import annotations

from ops_shared.web import Problem

TOP_ROLE = "manager"
ROLE_RANK: dict[str, int] = {
    "presales": 1, "aftersales": 1, "order_desk": 1, "warehouse": 1,
    "supervisor": 2,
    "hr_admin": 3, "ops_admin": 3,
    "manager": 4,
}
RULE = ("Nobody grants a role above their own: a role is granted only by a higher rank "
        "(front line < supervisor < hr_admin, ops_admin < manager); manager, hr_admin and "
        "ops_admin are granted by a manager.")


class GrantRefused(Problem):
    """The caller tried to grant, or change an account holding, a role it may not grant."""

    def __init__(self, actor_role: str, detail: str) -> None:
        super().__init__(403, "role-grant-not-allowed", "Role above what you may grant",
                         f"{detail} {RULE}", rule=RULE, grantable=grantable_roles(actor_role))


def may_grant(actor_role: str, role: str) -> bool:
    """Whether a holder of `actor_role` may give `role` to someone."""
    if actor_role == TOP_ROLE:
        return True
    return ROLE_RANK.get(actor_role, 0) > ROLE_RANK.get(role, len(ROLE_RANK) + 1)


def grantable_roles(actor_role: str) -> list[str]:
    """The roles a holder of `actor_role` may grant, lowest rank first."""
    return sorted((role for role in ROLE_RANK if may_grant(actor_role, role)),
                  key=lambda role: (ROLE_RANK[role], role))


def check_grant(actor_role: str, role: str) -> None:
    """Refuse creating an account with `role` unless the actor may grant it."""
    if not may_grant(actor_role, role):
        raise GrantRefused(actor_role, f"A {actor_role} may not grant the role {role}.")


def check_change(actor_role: str, current_role: str, new_role: str | None) -> None:
    """Refuse changing an account unless the actor may grant its current and new role."""
    if not may_grant(actor_role, current_role):
        raise GrantRefused(actor_role,
                           f"A {actor_role} may not change the account of a {current_role}.")
    if new_role is not None:
        check_grant(actor_role, new_role)
