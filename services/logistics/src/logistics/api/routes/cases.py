"""Problem parcel and re-shipment routes (L12)."""

from __future__ import annotations

from fastapi import APIRouter, Query

from logistics.api.deps import (
    PROBLEM_RESPONSES,
    CaseId,
    DepsDep,
    DomainRoute,
    RecallActor,
    StaffActor,
)
from logistics.api.schemas.cases import (
    ProblemParcelCreate,
    ProblemParcelRead,
    ProblemParcelUpdate,
    ReshipmentCreate,
    ReshipmentMoveIn,
    ReshipmentRead,
)
from logistics.api.schemas.common import TimelineEntryRead
from logistics.application import cases
from logistics.application.cases import OpenProblemParcel, UpdateProblemParcel
from logistics.domain.ports import CaseFilter
from ops_shared.web import IDEMPOTENT

router = APIRouter(tags=["problem parcels"], route_class=DomainRoute,
                   responses=PROBLEM_RESPONSES)
# After-sales and the order desk follow problem parcels and re-shipments.
CaseActor = RecallActor


@router.post("/problem-parcels", status_code=201,
             dependencies=[IDEMPOTENT], summary="Open a problem or forwarded parcel")
async def open_problem_parcel(body: ProblemParcelCreate, deps: DepsDep,
                              actor: CaseActor) -> ProblemParcelRead:
    command = OpenProblemParcel(**body.model_dump())
    return ProblemParcelRead.of(await cases.open_problem_parcel(deps, actor, command))


@router.get("/problem-parcels", summary="Problem and forwarded parcels, newest first")
async def list_problem_parcels(deps: DepsDep, _: StaffActor, open_only: bool = False,
                               limit: int = Query(100, ge=1, le=500)
                               ) -> list[ProblemParcelRead]:
    where = CaseFilter(open_only=open_only, limit=limit)
    return [ProblemParcelRead.of(c) for c in await deps.reads.problem_parcels.listing(where)]


@router.get("/problem-parcels/{case_id}", summary="One problem parcel")
async def get_problem_parcel(case_id: CaseId, deps: DepsDep,
                             _: StaffActor) -> ProblemParcelRead:
    return ProblemParcelRead.of(await deps.reads.problem_parcels.get(case_id))


@router.patch("/problem-parcels/{case_id}", summary="Record forwarding, outcome, delivery")
async def update_problem_parcel(case_id: CaseId, body: ProblemParcelUpdate, deps: DepsDep,
                                actor: CaseActor) -> ProblemParcelRead:
    command = UpdateProblemParcel(**body.model_dump())
    return ProblemParcelRead.of(await cases.update_problem_parcel(deps, actor, case_id,
                                                                  command))


@router.get("/problem-parcels/{case_id}/timeline", summary="The case's timeline")
async def problem_parcel_timeline(case_id: CaseId, deps: DepsDep,
                                  _: StaffActor) -> list[TimelineEntryRead]:
    return [TimelineEntryRead(at=e.at, actor_id=e.actor_id, action=e.action, details=e.details)
            for e in await deps.reads.problem_parcels.timeline(case_id)]


@router.post("/reshipments", status_code=201,
             dependencies=[IDEMPOTENT], summary="Log a parcel to bring back and re-ship")
async def log_reshipment(body: ReshipmentCreate, deps: DepsDep,
                         actor: CaseActor) -> ReshipmentRead:
    return ReshipmentRead.of(await cases.log_reshipment(
        deps, actor, body.order_id, body.original_tracking, body.reason, body.problem_case_id,
        body.owner_id))


@router.get("/reshipments", summary="Re-shipments, newest first")
async def list_reshipments(deps: DepsDep, _: StaffActor, open_only: bool = False,
                           limit: int = Query(100, ge=1, le=500)) -> list[ReshipmentRead]:
    where = CaseFilter(open_only=open_only, limit=limit)
    return [ReshipmentRead.of(c) for c in await deps.reads.reshipments.listing(where)]


@router.get("/reshipments/{case_id}", summary="One re-shipment")
async def get_reshipment(case_id: CaseId, deps: DepsDep, _: StaffActor) -> ReshipmentRead:
    return ReshipmentRead.of(await deps.reads.reshipments.get(case_id))


@router.post("/reshipments/{case_id}/moves", summary="Returned, re-shipped, delivered")
async def move_reshipment(case_id: CaseId, body: ReshipmentMoveIn, deps: DepsDep,
                          actor: CaseActor) -> ReshipmentRead:
    return ReshipmentRead.of(await cases.move_reshipment(
        deps, actor, case_id, body.state, body.tracking_number, body.courier, body.note))


@router.get("/reshipments/{case_id}/timeline", summary="The re-shipment's timeline (L14)")
async def reshipment_timeline(case_id: CaseId, deps: DepsDep,
                              _: StaffActor) -> list[TimelineEntryRead]:
    return [TimelineEntryRead(at=e.at, actor_id=e.actor_id, action=e.action, details=e.details)
            for e in await deps.reads.reshipments.timeline(case_id)]
