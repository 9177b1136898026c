"""Dependencies of the tickets routes: the deps, the acting staff member, domain errors → 7807.

`DomainRoute` turns the domain's refusals into problem details for every route of a router:
ValidationFailed 422 (with `field` when one input is at fault), NotAllowed 403,
TransitionRefused 409 (with `current_state` and `allowed`), CallbackRequired 409, NotFound 404,
Conflict 409. It also serialises the response's times in the shop's zone (`StaffTime`).
"""


from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Path, Request, Response
from fastapi.routing import APIRoute

from ops_shared.web import Principal, Problem, require_roles
from tickets.api.schemas.common import TICKET_NUMBER_PATTERN
from tickets.application.context import Actor
from tickets.application.deps import Deps
from tickets.domain.errors import (
    CallbackRequired,
    Conflict,
    DomainError,
    NotAllowed,
    NotFound,
    TransitionRefused,
    ValidationFailed,
)
from tickets.domain.model import SUPERVISORS as DOMAIN_SUPERVISORS

AGENTS = ("presales", "aftersales", "supervisor", "manager")
SUPERVISORS = tuple(sorted(role.value for role in DOMAIN_SUPERVISORS))

PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or invalid staff token (problem details)"},
    403: {"description": "The caller's role may not do this (problem details)"},
    404: {"description": "No such resource (problem details)"},
    409: {"description": "Refused by the state machine or a rule (problem details)"},
    422: {"description": "Invalid input (problem details)"},
}


def problem_for(exc: DomainError) -> Problem:
    if isinstance(exc, TransitionRefused):
        return Problem(409, "transition-refused", "Transition refused", exc.detail,
                       current_state=exc.current, target=exc.target, allowed=exc.allowed)
    if isinstance(exc, CallbackRequired):
        return Problem(409, "callback-required", "Confirmed callback required", exc.detail,
                       current_state=exc.current, allowed=exc.allowed)
    if isinstance(exc, NotAllowed):
        return Problem(403, "forbidden", "Not allowed", exc.detail)
    if isinstance(exc, NotFound):
        return Problem(404, "not-found", "Not found", exc.detail)
    if isinstance(exc, Conflict):
        return Problem(409, "conflict", "Conflict", exc.detail)
    if isinstance(exc, ValidationFailed):
        named = {"field": exc.field} if exc.field else {}
        return Problem(422, "validation-failed", "Rule violated", exc.detail, **named)
    return Problem(422, exc.code.replace("_", "-"), "Refused", exc.detail)


class DomainRoute(APIRoute):
    """A route whose domain refusals leave as problem details."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except DomainError as exc:
                raise problem_for(exc) from None

        return route


def get_deps(request: Request) -> Deps:
    return request.app.state.runtime.deps


def _actor(principal: Principal) -> Actor:
    return Actor(principal.staff_id, principal.role)


def actor_with(*roles: str) -> Callable[..., Any]:
    check = require_roles(*roles)

    async def dependency(principal: Annotated[Principal, Depends(check)]) -> Actor:
        return _actor(principal)

    return dependency


DepsDep = Annotated[Deps, Depends(get_deps)]
AgentActor = Annotated[Actor, Depends(actor_with(*AGENTS))]
SupervisorActor = Annotated[Actor, Depends(actor_with(*SUPERVISORS))]
ManagerActor = Annotated[Actor, Depends(actor_with("manager"))]
TicketNumber = Annotated[str, Path(pattern=TICKET_NUMBER_PATTERN,
                                   examples=["TK-20261126-0001"],
                                   description="Ticket number TK-YYYYMMDD-NNNN (T1).")]
