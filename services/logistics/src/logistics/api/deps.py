"""Dependencies of the logistics routes: the deps, the acting staff member, domain errors →
problem details.

`DomainRoute` turns the domain's refusals into problem details for every route of a router:
ValidationFailed 422 (with `field`), NotAllowed 403, TransitionRefused 409 (with `current_state`
and `allowed`), Refused 409 (with its rule `code` and `current_state`), NotFound 404, Conflict 409
(with `existing` naming the RMA, refund or receipt already there).
"""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Path, Request, Response
from fastapi.routing import APIRoute

from logistics.application.context import Actor
from logistics.application.deps import Deps
from logistics.domain.errors import (
    Conflict,
    DomainError,
    NotAllowed,
    NotFound,
    Refused,
    TransitionRefused,
    ValidationFailed,
)
from ops_shared.web import Principal, Problem, require_roles

AFTERSALES = ("aftersales", "supervisor", "manager")
WAREHOUSE = ("warehouse", "supervisor", "manager")
ORDER_DESK = ("order_desk", "supervisor", "manager")
SUPERVISORS = ("supervisor", "manager")
STAFF = ("presales", "aftersales", "order_desk", "warehouse", "supervisor", "manager")

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
    if isinstance(exc, Refused):
        return Problem(409, exc.code.replace("_", "-"), "Refused by a rule", exc.detail,
                       current_state=exc.current)
    if isinstance(exc, NotAllowed):
        return Problem(403, "forbidden", "Not allowed", exc.detail)
    if isinstance(exc, NotFound):
        return Problem(404, "not-found", "Not found", exc.detail)
    if isinstance(exc, Conflict):
        named = {"existing": exc.existing} if exc.existing else {}
        return Problem(409, "conflict", "Conflict", exc.detail, **named)
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


def actor_with(*roles: str) -> Callable[..., Any]:
    check = require_roles(*roles)

    async def dependency(principal: Annotated[Principal, Depends(check)]) -> Actor:
        return Actor(principal.staff_id, principal.role)

    return dependency


DepsDep = Annotated[Deps, Depends(get_deps)]
StaffActor = Annotated[Actor, Depends(actor_with(*STAFF))]
AftersalesActor = Annotated[Actor, Depends(actor_with(*AFTERSALES))]
WarehouseActor = Annotated[Actor, Depends(actor_with(*WAREHOUSE))]
OrderDeskActor = Annotated[Actor, Depends(actor_with(*ORDER_DESK))]
RecallActor = Annotated[Actor, Depends(actor_with("order_desk", *AFTERSALES))]
SupervisorActor = Annotated[Actor, Depends(actor_with(*SUPERVISORS))]
ManagerActor = Annotated[Actor, Depends(actor_with("manager"))]
RmaNumber = Annotated[str, Path(pattern=r"^RMA-\d{8}-\d{4,}$", examples=["RMA-20261120-0007"],
                                description="RMA number RMA-YYYYMMDD-NNNN (L1).")]
RecallNumber = Annotated[str, Path(pattern=r"^RC-\d{8}-\d{4,}$", examples=["RC-20261120-0001"])]
CaseId = Annotated[str, Path(pattern=r"^(PP|RS)-\d{8}-\d{4,}$", examples=["PP-20261120-0001"])]
