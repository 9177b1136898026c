"""Dependencies of the tickets routes: the deps, the acting staff member, domain errors → 7807.

`DomainRoute` turns the domain's refusals into problem details for every route of a router:
CallbackRequired 409 (with `current_state` and `allowed`) here, the common ones by
`ops_shared.web.domain_problem`: ValidationFailed 422 (with `field` when one input is at fault),
NotAllowed 403, TransitionRefused 409 (with `current_state`, `target` and `allowed`), NotFound
404, Conflict 409. It also serialises the response's times in the shop's zone (`StaffTime`).
"""


from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Path

from ops_shared.web import PROBLEM_RESPONSES as PROBLEM_RESPONSES  # the routes' 4xx answers
from ops_shared.web import Problem, domain_problem, domain_route, runtime_deps, staff_actor
from tickets.api.schemas.common import TICKET_NUMBER_PATTERN
from tickets.application.context import Actor
from tickets.application.deps import Deps
from tickets.domain.errors import CallbackRequired, DomainError
from tickets.domain.model import SUPERVISORS as DOMAIN_SUPERVISORS

AGENTS = ("presales", "aftersales", "supervisor", "manager")
SUPERVISORS = tuple(sorted(role.value for role in DOMAIN_SUPERVISORS))


def problem_for(exc: DomainError) -> Problem:
    if isinstance(exc, CallbackRequired):
        return Problem(409, "callback-required", "Confirmed callback required", exc.detail,
                       current_state=exc.current, allowed=exc.allowed)
    return domain_problem(exc)


DomainRoute = domain_route(problem_for)


def actor_with(*roles: str) -> Callable[..., Any]:
    return staff_actor(Actor, *roles)


DepsDep = Annotated[Deps, Depends(runtime_deps)]
AgentActor = Annotated[Actor, Depends(actor_with(*AGENTS))]
SupervisorActor = Annotated[Actor, Depends(actor_with(*SUPERVISORS))]
ManagerActor = Annotated[Actor, Depends(actor_with("manager"))]
TicketNumber = Annotated[str, Path(pattern=TICKET_NUMBER_PATTERN,
                                   examples=["TK-20261126-0001"],
                                   description="Ticket number TK-YYYYMMDD-NNNN (T1).")]
