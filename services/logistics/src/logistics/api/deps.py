"""Dependencies of the logistics routes: the deps, the acting staff member, domain errors →
problem details.

`DomainRoute` turns the domain's refusals into problem details for every route of a router:
Refused 409 (with its rule `code` and `current_state`) here, the common ones by
`ops_shared.web.domain_problem`: ValidationFailed 422 (with `field`), NotAllowed 403,
TransitionRefused 409 (with `current_state`, `target` and `allowed`), NotFound 404, Conflict 409
(with `existing` naming the RMA, refund or receipt already there).
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Path

from logistics.application.context import Actor
from logistics.application.deps import Deps
from logistics.domain.errors import DomainError, Refused
from ops_shared.web import PROBLEM_RESPONSES as PROBLEM_RESPONSES  # the routes' 4xx answers
from ops_shared.web import Problem, domain_problem, domain_route, runtime_deps, staff_actor

AFTERSALES = ("aftersales", "supervisor", "manager")
WAREHOUSE = ("warehouse", "supervisor", "manager")
ORDER_DESK = ("order_desk", "supervisor", "manager")
SUPERVISORS = ("supervisor", "manager")
STAFF = ("presales", "aftersales", "order_desk", "warehouse", "supervisor", "manager")


def problem_for(exc: DomainError) -> Problem:
    if isinstance(exc, Refused):
        return Problem(409, exc.code.replace("_", "-"), "Refused by a rule", exc.detail,
                       current_state=exc.current)
    return domain_problem(exc)


DomainRoute = domain_route(problem_for)


def actor_with(*roles: str) -> Callable[..., Any]:
    return staff_actor(Actor, *roles)


DepsDep = Annotated[Deps, Depends(runtime_deps)]
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
