"""Routes: the monthly settlement, payroll export (H14-H16, H20-H22) and per-person figures."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from openpyxl import Workbook

from hr.api.deps import (
    PROBLEM_RESPONSES,
    AdminActor,
    DepsDep,
    DomainRoute,
    PlannerActor,
    StaffActor,
)
from hr.api.schemas.common import Month
from hr.api.schemas.settlements import FiguresRead, SettlementCreate, SettlementRead
from hr.application import figures, settlement
from hr.domain.settlement import PAYROLL_HEADERS, Settlement, payroll_rows
from ops_shared.spreadsheets import safe_row

router = APIRouter(tags=["settlements"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)
MonthPath = Annotated[Month, Path(description="Pay month, e.g. 2026-12.")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post("/settlements", status_code=201, summary="Draft the month's settlement (H21)")
async def start(body: SettlementCreate, deps: DepsDep, actor: PlannerActor) -> SettlementRead:
    """Supervisor or manager (the nightly job does it the day before pay day). Started twice,
    even at once, it gives one settlement."""
    return SettlementRead.of(await settlement.start(deps, actor, body.month))


@router.get("/settlements/{month}", summary="The settlement, as far as the caller may see it")
async def read(month: MonthPath, deps: DepsDep, actor: StaffActor) -> SettlementRead:
    found, people = await settlement.read(deps, actor, month)
    return SettlementRead.of(found, people)


@router.post("/settlements/{month}/review", summary="The supervisor reviews (H21)")
async def review(month: MonthPath, deps: DepsDep, actor: PlannerActor) -> SettlementRead:
    return SettlementRead.of(await settlement.review(deps, actor, month))


@router.post("/settlements/{month}/approve", summary="The manager approves; the month closes")
async def approve(month: MonthPath, deps: DepsDep, actor: PlannerActor) -> SettlementRead:
    """Manager only. Fines enter the activity fund (H22); later entries for the month become
    dated corrections in the next month."""
    return SettlementRead.of(await settlement.approve(deps, actor, month))


@router.get("/settlements/{month}/payroll.csv", summary="Payroll export (CSV, Chinese headers)",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def payroll_csv(month: MonthPath, deps: DepsDep, actor: AdminActor) -> Response:
    found = await settlement.export(deps, actor, month)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(PAYROLL_HEADERS)
    writer.writerows(safe_row(row) for row in payroll_rows(found))
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers=_attachment(found, "csv"))


@router.get("/settlements/{month}/payroll.xlsx", summary="Payroll export (XLSX)",
            response_class=Response, responses={200: {"content": {XLSX: {}}}})
async def payroll_xlsx(month: MonthPath, deps: DepsDep, actor: AdminActor) -> Response:
    found = await settlement.export(deps, actor, month)
    book = Workbook()
    sheet = book.active
    sheet.title = f"工资表 {month}"
    sheet.append(PAYROLL_HEADERS)
    for row in payroll_rows(found):
        sheet.append(safe_row(row))
    out = io.BytesIO()
    book.save(out)
    return Response(out.getvalue(), media_type=XLSX, headers=_attachment(found, "xlsx"))


def _attachment(found: Settlement, suffix: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="payroll-{found.month}.{suffix}"'}


@router.get("/figures", summary="Per-person figures of a month (supervisors)")
async def month_figures(month: Annotated[Month, Query()], deps: DepsDep,
                        actor: StaffActor) -> list[FiguresRead]:
    """Attendance, points, SLA breaches against the person, tickets, callback satisfaction:
    the supervisor's team, or everyone for HR admin and the manager."""
    return [FiguresRead(**f.__dict__) for f in
            await figures.month_figures(deps, actor, month)]
