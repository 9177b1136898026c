"""Subscription tables: contract class → typed handler, bound once to a service's dependencies.

A service declares what it listens to as one literal mapping, for example
`{StaffChanged: on_hr.staff_changed, RefundIssued: on_logistics.refund_issued}`. Each handler is
`async def handler(deps, uow, event, envelope)`: the service's dependencies, its own unit of work
(repositories and `publish`, inside the consumer's transaction), the typed event and its envelope.
`bind` turns the table into what the consumer routes by event type.

A handler may also carry `prepare(deps, uow, events)`: called once with the events of a consumer
batch it is about to handle (in the batch's transaction, before the first of them), so that it
can read what they need in one query instead of one per event. Its handlers must still work
without it (an event applied on its own is not prepared).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol, TypeVar

from ops_shared.contracts.envelope import Envelope, Event
from ops_shared.persistence.unit_of_work import MongoUnitOfWork

EventT = TypeVar("EventT", bound=Event, contravariant=True)
DepsT = TypeVar("DepsT", contravariant=True)
UowT = TypeVar("UowT", contravariant=True)


class Handler(Protocol[DepsT, UowT, EventT]):
    """Applies one event inside the consumer's transaction; it must not call out (the
    transaction may run more than once)."""

    def __call__(self, deps: DepsT, uow: UowT, event: EventT, envelope: Envelope, /
                 ) -> Awaitable[None]: ...


Subscriptions = Mapping[type[Event], Handler[DepsT, UowT, Any]]
"""A service's whole list of what it listens to: contract class → handler."""

Apply = Callable[[Event, Envelope, MongoUnitOfWork], Awaitable[None]]
"""A handler bound to its dependencies, as the consumer calls it."""

Prepare = Callable[[list[Event], MongoUnitOfWork], Awaitable[None]]
"""A handler's `prepare` bound to its dependencies (`prepare_of(apply)`)."""


def prepare_of(apply: Apply) -> Prepare | None:
    """The bound `prepare` of a bound handler, if its handler has one."""
    return getattr(apply, "prepare", None)


def bind(table: Subscriptions[DepsT, UowT], deps: DepsT,
         unit_of_work: Callable[[MongoUnitOfWork], UowT],
         foundation: Mapping[type[Event], Apply] | None = None) -> dict[str, Apply]:
    """Route by event type; each handler gets the deps and the service's unit of work.

    `foundation` handlers are what the runtime itself keeps for every service (the staff
    sessions of `hr.staff.changed`): subscribed too, and when the service also handles the same
    event, both run in the same transaction, the foundation's first."""
    bound: dict[str, Apply] = {}
    for contract, handler in table.items():
        if contract.event_type in bound:
            raise ValueError(f"two handlers for {contract.event_type}")
        bound[contract.event_type] = _bound(handler, deps, unit_of_work)
    for contract, apply in (foundation or {}).items():
        own = bound.get(contract.event_type)
        bound[contract.event_type] = apply if own is None else _both(apply, own)
    return bound


def _both(first: Apply, then: Apply) -> Apply:
    async def apply(event: Event, envelope: Envelope, base: MongoUnitOfWork) -> None:
        await first(event, envelope, base)
        await then(event, envelope, base)

    apply.__qualname__ = f"{first.__qualname__}+{then.__qualname__}"
    return apply


def _bound(handler: Handler[DepsT, UowT, Any], deps: DepsT,
           unit_of_work: Callable[[MongoUnitOfWork], UowT]) -> Apply:
    async def apply(event: Event, envelope: Envelope, base: MongoUnitOfWork) -> None:
        await handler(deps, unit_of_work(base), event, envelope)

    apply.__qualname__ = getattr(handler, "__qualname__", "handler")
    prepare = getattr(handler, "prepare", None)
    if prepare is not None:
        async def prepared(events: list[Event], base: MongoUnitOfWork) -> None:
            await prepare(deps, unit_of_work(base), events)

        apply.prepare = prepared  # type: ignore[attr-defined]
    return apply
