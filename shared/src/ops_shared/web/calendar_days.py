"""Admin routes for the holidays and extra working days kept in the database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

import structlog
from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from ops_shared.calendar.overrides import CALENDAR_DAYS, load_overrides
from ops_shared.web.auth import CurrentStaff, Principal, require_roles
from ops_shared.web.problems import Problem
from ops_shared.web.times import FIRST_DAY, LAST_DAY, Day


class CalendarDayIn(BaseModel):
    """A shop holiday or an extra working day, entered by an admin."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"date": "2027-01-01", "kind": "holiday", "note": "New Year (package does not know 2027)"},
        {"date": "2027-02-06", "kind": "workday", "note": "adjusted working Saturday"},
    ]})

    date: Day
    kind: Literal["holiday", "workday"]
    note: str = Field("", max_length=200)


class CalendarDay(CalendarDayIn):
    model_config = ConfigDict(extra="ignore")

    date: date  # days stored before the range was enforced are still listed
    added_by: str
    added_at: datetime


log = structlog.get_logger(__name__)
router = APIRouter(prefix="/admin/calendar", tags=["calendar"])
Admin = Annotated[Principal, Depends(require_roles("manager", "supervisor", "ops_admin"))]
FORBIDDEN = {403: {"description": "Supervisors, managers and ops admins only (problem details)"}}
PathDay = Annotated[date, Path(ge=FIRST_DAY, le=LAST_DAY,
                               description="A day in 2000-2099, the years tickets accept.")]


@router.get("/days", summary="Holidays and working days added by an admin")
async def list_days(request: Request, _: CurrentStaff) -> list[CalendarDay]:
    """They win over the statutory calendar; every deadline of this service uses them."""
    docs = await request.app.state.runtime.database.db[CALENDAR_DAYS].find(
        {}, sort=[("_id", 1)]).to_list()
    return [CalendarDay(date=d["_id"], **{k: v for k, v in d.items() if k != "_id"})
            for d in docs]


@router.put("/days/{day}", summary="Add or change an admin holiday or working day",
            responses=FORBIDDEN)
async def put_day(day: PathDay, body: CalendarDayIn, request: Request,
                  staff: Admin) -> CalendarDay:
    """Supervisor, manager or ops_admin. Days in 2000-2099 only, the years tickets accept (422
    otherwise). Takes effect at once in this replica; the others re-read the days within
    `CALENDAR_REFRESH_S`."""
    if body.date != day:
        raise Problem(422, "validation-error", "Invalid request",
                      "date in the body differs from the path", errors=[
                          {"field": "date", "reason": "must equal the date in the path"}])
    runtime = request.app.state.runtime
    doc = {"kind": body.kind, "note": body.note, "added_by": staff.staff_id,
           "added_at": datetime.now(UTC)}
    await runtime.database.db[CALENDAR_DAYS].replace_one({"_id": day.isoformat()}, doc,
                                                        upsert=True)
    await load_overrides(runtime.database, runtime.calendar)
    log.info("calendar.day_set", day=day.isoformat(), kind=body.kind)
    return CalendarDay(date=day, **doc)


@router.delete("/days/{day}", status_code=204, summary="Remove an admin day",
               responses={**FORBIDDEN,
                          404: {"description": "The day has no admin entry (problem details)"}})
async def delete_day(day: date, request: Request, _: Admin) -> None:
    """Supervisor, manager or ops_admin. The statutory calendar applies to the day again; 404
    when the day has no admin entry. Other replicas re-read the days within
    `CALENDAR_REFRESH_S`."""
    runtime = request.app.state.runtime
    result = await runtime.database.db[CALENDAR_DAYS].delete_one({"_id": day.isoformat()})
    if not result.deleted_count:
        raise Problem(404, "not-found", "No such day", f"{day} has no admin entry")
    await load_overrides(runtime.database, runtime.calendar)
