"""Routes: the points and money ledger (H14-H20, H23), presence (H13), the fund (H22)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from hr.api.deps import (
    PROBLEM_RESPONSES,
    AnyActor,
    DepsDep,
    DomainRoute,
    ManagerActor,
    PlannerActor,
    StaffActor,
)
from hr.api.schemas.common import Month, StaffId
from hr.api.schemas.ledger import (
    FundEntryRead,
    FundRead,
    LedgerEntryRead,
    NonWorkCreate,
    PresenceCreate,
    PresenceRead,
    SpendingCreate,
)
from hr.application import ledger, presence, settlement

router = APIRouter(tags=["ledger"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)


@router.get("/ledger/{staff_id}", summary="A person's entries of a month (H23)")
async def entries(staff_id: Annotated[StaffId, Path()], month: Annotated[Month, Query()],
                  deps: DepsDep, actor: StaffActor) -> list[LedgerEntryRead]:
    """Each entry names its rule, source, author and month. Oneself, one's team, or anyone
    (HR admin, manager)."""
    return [LedgerEntryRead.of(e) for e in
            await ledger.entries_of(deps, actor, staff_id, month)]


@router.post("/ledger/non-work", status_code=201,
             summary="Record non-work activity at work (H19)")
async def non_work(body: NonWorkCreate, deps: DepsDep, actor: PlannerActor) -> LedgerEntryRead:
    """The person's supervisor or the manager: first a warning, then -3 points, then the
    dismissal flag."""
    return LedgerEntryRead.of(await ledger.record_non_work(deps, actor, body.staff_id,
                                                           body.note))


@router.post("/presence", status_code=201, summary="Report an IM presence change (H13)")
async def report(body: PresenceCreate, deps: DepsDep, actor: AnyActor) -> PresenceRead:
    """The IM integration account (ops_admin) or HR admin."""
    change = await presence.report(deps, actor, body.staff_id, body.status, body.at)
    return PresenceRead(change_id=change.change_id, staff_id=change.staff_id,
                        status=change.status, at=change.at)


@router.get("/fund", summary="The activity fund and its ledger (H22)")
async def fund(deps: DepsDep, _: StaffActor) -> FundRead:
    balance, moves = await settlement.fund(deps)
    return FundRead(balance_fen=balance, entries=[FundEntryRead.of(e) for e in moves])


@router.post("/fund/spending", status_code=201, summary="Spend from the fund (manager)")
async def spend(body: SpendingCreate, deps: DepsDep, actor: ManagerActor) -> FundEntryRead:
    """409 `rule: H22`: more than the fund holds."""
    return FundEntryRead.of(await settlement.spend(deps, actor, body.amount_fen, body.note))
