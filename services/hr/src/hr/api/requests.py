"""Routes: swaps, leave, missed punches and offline approvals on one state machine (H4-H13)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from hr.api.deps import PROBLEM_RESPONSES, DepsDep, DomainRoute, StaffActor
from hr.api.schemas.common import Month, StaffId
from hr.api.schemas.requests import (
    LeaveCreate,
    MissedPunchCreate,
    OfflineCreate,
    RequestRead,
    RequestUpdate,
    SwapCreate,
)
from hr.application import requests

router = APIRouter(tags=["requests"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)
RequestPath = Annotated[str, Path(pattern=r"^[a-z_]+-[0-9a-f]{12}$")]
REFUSALS = ("409 `rule`/`reason`: H5 shift_started, H6 swap_limit / consecutive_swaps, "
            "H7 holiday_duty, H8 late_shift_leave, H9 swapped_day_leave, H11 "
            "not_direct_supervisor / leave_notice / no_cover, H4 missed_punch_late / "
            "missed_punch_limit, H13 offline_not_ahead.")


@router.post("/requests/swaps", status_code=201, summary="Ask a colleague for a swap (H5-H7)",
             description=REFUSALS)
async def swap(body: SwapCreate, deps: DepsDep, actor: StaffActor) -> RequestRead:
    return RequestRead.of(await requests.request_swap(
        deps, actor, body.day, body.colleague_id, body.colleague_day, body.approver_id,
        body.reason))


@router.post("/requests/leave", status_code=201, summary="Ask for leave (H7-H9, H11)",
             description=REFUSALS)
async def leave(body: LeaveCreate, deps: DepsDep, actor: StaffActor) -> RequestRead:
    return RequestRead.of(await requests.request_leave(
        deps, actor, body.day, body.leave_type, body.cover_id, body.approver_id, body.reason))


@router.post("/requests/missed-punches", status_code=201,
             summary="Explain a forgotten punch (H4)", description=REFUSALS)
async def missed_punch(body: MissedPunchCreate, deps: DepsDep,
                       actor: StaffActor) -> RequestRead:
    return RequestRead.of(await requests.request_missed_punch(
        deps, actor, body.day, body.side, body.punch_at, body.approver_id, body.reason))


@router.post("/requests/offline", status_code=201, summary="Ask to go offline (H13)",
             description=REFUSALS)
async def offline(body: OfflineCreate, deps: DepsDep, actor: StaffActor) -> RequestRead:
    return RequestRead.of(await requests.request_offline(
        deps, actor, body.start, body.end, body.approver_id, body.reason))


@router.get("/requests", summary="Requests the caller may see")
async def listing(deps: DepsDep, actor: StaffActor,
                  staff_id: Annotated[StaffId | None, Query()] = None,
                  month: Annotated[Month | None, Query()] = None,
                  state: Annotated[str | None, Query(pattern=r"^[a-z_]{1,30}$")] = None,
                  ) -> list[RequestRead]:
    return [RequestRead.of(r) for r in
            await requests.listing(deps, actor, staff_id, month, state)]


@router.get("/requests/{request_id}", summary="One request and its history")
async def read(request_id: RequestPath, deps: DepsDep, actor: StaffActor) -> RequestRead:
    return RequestRead.of(await requests.read(deps, actor, request_id))


@router.post("/requests/{request_id}/decisions", summary="Accept, decline, approve, refuse "
             "or cancel", description="The colleague accepts or declines a swap; the direct "
             "supervisor approves or refuses; the requester cancels. Approving a swap or leave "
             "changes the roster and publishes `hr.shift.changed`. 409 `rule: H12`: the "
             "approval would leave a shift below minimum staffing. " + REFUSALS)
async def decide(request_id: RequestPath, body: RequestUpdate, deps: DepsDep,
                 actor: StaffActor) -> RequestRead:
    return RequestRead.of(await requests.act(deps, actor, request_id, body.action, body.note))
