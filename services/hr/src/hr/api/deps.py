"""Dependencies of the hr routes: the deps, the acting staff member, domain errors → 7807.

`DomainRoute` turns the domain's refusals into problem details for every route of a router:
RuleRefused 409 (with `rule` and `reason`) here, the common ones by
`ops_shared.web.domain_problem`: TransitionRefused 409 (with `current_state` and `allowed`),
ValidationFailed 422 (titled "Invalid input", with `field`), NotAllowed 403, NotFound 404,
Conflict 409.
"""


from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends

from hr.application.deps import Deps
from hr.domain.errors import DomainError, RuleRefused
from hr.domain.staff import Actor
from ops_shared.web import (
    Principal,
    Problem,
    current_principal,
    domain_problem,
    domain_route,
    runtime_deps,
    staff_actor,
)

STAFF_ROLES = ("presales", "aftersales", "order_desk", "warehouse", "supervisor", "manager",
               "hr_admin")
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or invalid staff token (problem details)"},
    403: {"description": "The caller's role may not do this or see this (problem details)"},
    404: {"description": "No such resource (problem details)"},
    409: {"description": "Refused by a rule (with `rule` and `reason`), the state machine, "
                         "or a concurrent change (problem details)"},
    422: {"description": "Invalid input (problem details)"},
}


def problem_for(exc: DomainError) -> Problem:
    if isinstance(exc, RuleRefused):
        return Problem(409, "rule-refused", "Refused by a rule", exc.detail, rule=exc.rule,
                       reason=exc.reason)
    return domain_problem(exc, invalid_title="Invalid input")


DomainRoute = domain_route(problem_for)


def actor_with(*roles: str) -> Callable[..., Any]:
    return staff_actor(Actor, *roles)


async def any_actor(principal: Annotated[Principal, Depends(current_principal)]) -> Actor:
    return Actor(principal.staff_id, principal.role)


DepsDep = Annotated[Deps, Depends(runtime_deps)]
StaffActor = Annotated[Actor, Depends(actor_with(*STAFF_ROLES))]
AnyActor = Annotated[Actor, Depends(any_actor)]
AdminActor = Annotated[Actor, Depends(actor_with("hr_admin", "manager"))]
PlannerActor = Annotated[Actor, Depends(actor_with("supervisor", "manager"))]
ManagerActor = Annotated[Actor, Depends(actor_with("manager"))]
