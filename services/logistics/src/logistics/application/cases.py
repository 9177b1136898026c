"""L12: problem and forwarded parcels, re-shipments; each open one has an owner and a
next-action time, published for the daily review (T13)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from logistics.application.context import Actor, followed, publish
from logistics.application.deps import Deps
from logistics.domain.cases import (
    ParcelKind,
    ParcelState,
    ProblemParcel,
    Reshipment,
    ReshipmentState,
)
from logistics.domain.ports import LogisticsUnitOfWork


@dataclass(frozen=True)
class OpenProblemParcel:
    kind: ParcelKind
    order_id: str
    tracking_number: str
    description: str
    next_action_at: datetime
    owner_id: str | None = None
    ticket_number: str | None = None


async def open_problem_parcel(deps: Deps, actor: Actor,
                              command: OpenProblemParcel) -> ProblemParcel:
    case_id = await deps.reads.numbers.next("PP", deps.today())
    at = deps.clock.now()

    async def work(uow: LogisticsUnitOfWork) -> ProblemParcel:
        case, events = ProblemParcel.open(
            case_id=case_id, kind=command.kind, order_id=command.order_id,
            tracking_number=command.tracking_number, description=command.description,
            owner_id=command.owner_id or actor.staff_id, next_action_at=command.next_action_at,
            by=actor.staff_id, at=at, ticket_number=command.ticket_number)
        await uow.problem_parcels.add(case)
        publish(uow, events)
        return case

    return await deps.transaction(work)


@dataclass(frozen=True)
class UpdateProblemParcel:
    state: ParcelState | None = None
    forwarding_number: str | None = None
    forwarding_succeeded: bool | None = None
    delivered_safely: bool | None = None
    outcome: str | None = None
    owner_id: str | None = None
    next_action_at: datetime | None = None


async def update_problem_parcel(deps: Deps, actor: Actor, case_id: str,
                                command: UpdateProblemParcel) -> ProblemParcel:
    at = deps.clock.now()

    async def work(uow: LogisticsUnitOfWork) -> ProblemParcel:
        case = await uow.problem_parcels.get(case_id)
        events = case.update(by=actor.staff_id, at=at, **command.__dict__)
        await uow.problem_parcels.save(case)
        publish(uow, events)
        return case

    return await deps.transaction(work)


async def log_reshipment(deps: Deps, actor: Actor, order_id: str, original_tracking: str,
                         reason: str, problem_case_id: str | None = None,
                         owner_id: str | None = None) -> Reshipment:
    case_id = await deps.reads.numbers.next("RS", deps.today())
    at = deps.clock.now()

    async def work(uow: LogisticsUnitOfWork) -> Reshipment:
        if problem_case_id:
            await uow.problem_parcels.get(problem_case_id)  # NotFound if it does not exist
        case, events = Reshipment.log(
            case_id=case_id, order_id=order_id, original_tracking=original_tracking,
            reason=reason, owner_id=owner_id or actor.staff_id, by=actor.staff_id, at=at,
            problem_case_id=problem_case_id, follow_up=await uow.policies.follow_up_policy())
        await uow.reshipments.add(case)
        publish(uow, events)
        return case

    return await deps.transaction(work)


async def move_reshipment(deps: Deps, actor: Actor, case_id: str, target: ReshipmentState,
                          tracking_number: str | None, courier: str | None,
                          note: str) -> Reshipment:
    at = deps.clock.now()

    async def work(uow: LogisticsUnitOfWork) -> Reshipment:
        case = await followed(uow, await uow.reshipments.get(case_id))
        events = case.move(target, actor.staff_id, at, tracking_number=tracking_number,
                           courier=courier, note=note)
        await uow.reshipments.save(case)
        publish(uow, events)
        return case

    return await deps.transaction(work)
