"""Small builders for use-case tests: actors, customers, duty, and tickets opened the real way."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time
from typing import Any

from ops_shared.contracts import Envelope, Event, new_envelope
from tickets.application.context import Actor
from tickets.application.deps import Deps
from tickets.application.intake import NewTicket, open_ticket
from tickets.domain.customers import Customer
from tickets.domain.duty import DutyAssignment, StaffRecord
from tickets.domain.model import Channel, ComplaintGrade, Importance, Kind, Urgency
from tickets.domain.ports import TicketsUnitOfWork
from tickets.domain.ticket import Ticket

from .store import Store
from .unit_of_work import store_of

AGENT = Actor("agent-1", "aftersales")
PRESALES = Actor("presales-1", "presales")
SUPERVISOR = Actor("sup-1", "supervisor")
MANAGER = Actor("mgr-1", "manager")
CUSTOMER_ID = "CU000000000001"
Handler = Callable[[Deps, TicketsUnitOfWork, Any, Envelope], Awaitable[None]]


def add_customer(store: Store, customer_id: str = CUSTOMER_ID, *, tier: str = "regular",
                 platform_ids: tuple[str, ...] = ("tb-buyer-1",)) -> str:
    store.customers[customer_id] = Customer(
        id=customer_id, name="王芳", phone="13800138000", email=None, address="上海市",
        platform_ids=tuple(platform_ids), tier=tier)
    return customer_id


def add_staff(store: Store, staff_id: str, role: str, *, active: bool = True) -> None:
    """A staff member as hr's staff events leave them in the directory (H1)."""
    store.staff[staff_id] = StaffRecord(id=staff_id, display_name=staff_id, role=role,
                                        active=active)


def put_on_duty(store: Store, staff_id: str, role: str, day: date,
                start: time = time(0, 0), end: time = time(23, 59)) -> None:
    """A duty entry as hr's roster gives it (H2)."""
    duty = DutyAssignment(day=day, staff_id=staff_id, role=role, shift="day",
                          periods=((start, end),), source="test")
    store.duty[duty.id] = duty


def command(kind: Kind = Kind.COMPLAINT, *, grade: ComplaintGrade | None = None,
            customer_id: str = CUSTOMER_ID, **overrides: object) -> NewTicket:
    if kind is Kind.COMPLAINT and grade is None:
        grade = ComplaintGrade.GENERAL
    fields: dict[str, object] = {
        "channel": Channel.IM, "kind": kind, "description": "收到的鞋子开胶了",
        "importance": Importance.LOW, "urgency": Urgency.LOW, "grade": grade,
        "customer_id": customer_id, **overrides}
    return NewTicket(**fields)  # type: ignore[arg-type]


async def opened(deps: Deps, kind: Kind = Kind.COMPLAINT, *, actor: Actor = AGENT,
                 **overrides: object) -> Ticket:
    """A ticket opened through the intake use case, for an existing customer."""
    store = store_of(deps)
    customer_id = overrides.pop("customer_id", CUSTOMER_ID)
    if customer_id not in store.customers:
        add_customer(store, str(customer_id))
    return await open_ticket(deps, actor, command(kind, customer_id=str(customer_id),
                                                  **overrides))


async def deliver(deps: Deps, handler: Handler, event: Event,
                  occurred_at: datetime | None = None) -> Envelope:
    """Apply another service's event as the consumer does: inbox row and handler in one
    transaction (a second delivery of the same envelope raises AlreadyHandled)."""
    envelope = new_envelope(event, occurred_at=occurred_at or deps.clock.now())
    await redeliver(deps, handler, event, envelope)
    return envelope


async def redeliver(deps: Deps, handler: Handler, event: Event, envelope: Envelope) -> None:
    async def work(uow: TicketsUnitOfWork) -> None:
        await uow.record_inbox(envelope)
        await handler(deps, uow, event, envelope)

    await deps.transaction(work)
