"""Routes: customer profiles (T9), shown in full or masked by who asks (T15)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from ops_shared.web import IDEMPOTENT
from tickets.api.deps import PROBLEM_RESPONSES, AgentActor, DepsDep, DomainRoute
from tickets.api.schemas.customers import (
    CustomerCreate,
    CustomerId,
    CustomerRead,
    CustomerTicketsQuery,
    CustomerUpdate,
    OrderRefCreate,
)
from tickets.api.schemas.tickets import TicketPageRead
from tickets.application import customers
from tickets.application.ticket_queries import customer_tickets

router = APIRouter(prefix="/customers", tags=["customers"], route_class=DomainRoute,
                   responses=PROBLEM_RESPONSES)
IdPath = Annotated[CustomerId, Path(description="Customer id, e.g. CU1A2B3C4D5E6F.")]


@router.post("", status_code=201,
             dependencies=[IDEMPOTENT], summary="Open a customer profile (T9)")
async def create_customer(body: CustomerCreate, deps: DepsDep,
                          actor: AgentActor) -> CustomerRead:
    """Any agent. T9: opens a customer profile (contact details, platform ids, tier, default `new`).
    It comes back masked (T15) unless you are a supervisor/manager or the assignee of one of the
    customer's open tickets. 422 `tier`: unknown tier."""
    profile = customers.NewCustomer(**body.model_dump())
    return CustomerRead.of(await customers.create_customer(deps, actor, profile))


@router.get("/{customer_id}", summary="A customer profile, masked unless you may see it (T15)")
async def get_customer(customer_id: IdPath, deps: DepsDep,
                       actor: AgentActor) -> CustomerRead:
    """Any agent. T9: the profile with its order references. T15: personal data in full only for
    supervisors/managers and the assignee of one of the customer's open tickets, masked otherwise
    (`masked: true`). 404: unknown customer."""
    return CustomerRead.of(await customers.view_customer(deps, actor, customer_id))


@router.patch("/{customer_id}", summary="Change contact details or (supervisor) the tier")
async def update_customer(customer_id: IdPath, body: CustomerUpdate, deps: DepsDep,
                          actor: AgentActor) -> CustomerRead:
    """Any agent for contact details; only a supervisor or manager may change `tier` (403
    otherwise), which must exist (422 `tier`). Omitted or null fields are left as they are. Returned
    masked as for GET (T15). 404: unknown customer."""
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    return CustomerRead.of(await customers.update_customer(deps, actor, customer_id, changes))


@router.post("/{customer_id}/orders", summary="Add an order history reference (T9)")
async def add_order(customer_id: IdPath, body: OrderRefCreate, deps: DepsDep,
                    actor: AgentActor) -> CustomerRead:
    """Any agent. T9: adds a reference to one of the customer's orders; an order id already on the
    profile is not added again. Returned masked as for GET (T15). 404: unknown customer."""
    order = customers.OrderRef(**body.model_dump())
    return CustomerRead.of(await customers.add_order_reference(deps, actor, customer_id,
                                                               order))


@router.get("/{customer_id}/tickets", summary="The customer's tickets, newest first (T9)")
async def list_customer_tickets(
    customer_id: IdPath, query: Annotated[CustomerTicketsQuery, Query()], deps: DepsDep,
    actor: AgentActor,
) -> TicketPageRead:
    """Any agent. T9: the customer's tickets, newest first, paged; each embedded customer is masked
    unless you are that ticket's assignee or a supervisor/manager (T15). 404: unknown customer."""
    found = await customer_tickets(deps, actor, customer_id, query.page, query.limit)
    return TicketPageRead.of(found)
