"""Routes: punches, attendance and the day's close (H3, H4, H10)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query

from hr.api.deps import PROBLEM_RESPONSES, AdminActor, DepsDep, DomainRoute, StaffActor
from hr.api.schemas.attendance import AttendanceRead, DayCloseRead, ImportRead, PunchRead
from hr.api.schemas.common import Month, StaffId
from hr.application import attendance
from hr.domain.errors import ValidationFailed

router = APIRouter(tags=["attendance"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)
MAX_FILE = 5 * 1024 * 1024


@router.post("/punches", status_code=201, summary="Clock in or out now (H3)")
async def punch(deps: DepsDep, actor: StaffActor) -> PunchRead:
    return PunchRead.of(await attendance.punch(deps, actor))


@router.post("/punches/import", summary="Import a time-clock CSV (HR admin)",
             openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {
                 "type": "string", "example": "punch_id,staff_id,at\n"
                 "D-1,aftersales1,2026-12-01T08:55:00+08:00\n"}}}, "required": True}})
async def import_punches(deps: DepsDep, actor: StaffActor,
                         body: Annotated[bytes, Body(media_type="text/csv")] = b""
                         ) -> ImportRead:
    """HR admin. Columns punch_id, staff_id, at. A punch id already imported is skipped, so
    a re-imported file adds nothing. 422: a row does not parse, or an unknown staff id."""
    if len(body) > MAX_FILE:
        raise ValidationFailed("the file is larger than 5 MiB", field="file")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationFailed("the file is not UTF-8 text", field="file") from None
    rows, added = await attendance.import_punches(deps, actor, text)
    return ImportRead(rows=rows, added=added)


@router.get("/attendance/{staff_id}", summary="A person's attendance per shift, recomputed")
async def of_person(staff_id: Annotated[StaffId, Path()],
                    month: Annotated[Month, Query()], deps: DepsDep,
                    actor: StaffActor) -> list[AttendanceRead]:
    """Derived from the punches, approved missed-punch requests and the published roster
    each time it is read. Oneself, one's team (supervisor), or anyone (HR admin, manager)."""
    return [AttendanceRead.of(a) for a in
            await attendance.month_attendance(deps, actor, staff_id, month)]


@router.post("/days/{day}/close", summary="Close a working day now (HR admin, manager)")
async def close(day: Annotated[date, Path()], deps: DepsDep, _: AdminActor) -> DayCloseRead:
    """What the nightly job does: unexplained absences, early leaves, lateness, presence and
    expired missed punches become ledger entries. Running it again adds nothing."""
    return DayCloseRead(day=day, entries_added=await attendance.close_day(deps, day))
