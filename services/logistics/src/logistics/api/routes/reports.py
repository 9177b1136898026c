"""The manager's returns report: JSON, CSV or XLSX."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from logistics.api.deps import PROBLEM_RESPONSES, DepsDep, DomainRoute, SupervisorActor
from logistics.application import reports
from logistics.domain.report import Period
from ops_shared.web import Moment, staff_time

router = APIRouter(tags=["reports"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/reports/returns", summary="Returns and exchanges by reason, SKU and verdict",
            responses={200: {"content": {"text/csv": {}, XLSX: {}}}})
async def returns_report(deps: DepsDep, _: SupervisorActor, start: Annotated[Moment, Query()],
                         end: Annotated[Moment, Query()],
                         format: Literal["json", "csv", "xlsx"] = "json") -> Any:
    """RMAs opened and refunds issued in [start, end): by reason, by SKU (quality returns
    first: how a bad batch shows), by quality verdict; refunds and postage paid by the shop."""
    report = await reports.returns_report(deps, Period(start, end))
    name = f"returns-{start:%Y%m%d}-{end:%Y%m%d}"
    if format == "csv":
        return Response(reports.as_csv(report), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    if format == "xlsx":
        return Response(reports.as_xlsx(report), media_type=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
    return _json(asdict(report))


def _json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return staff_time(value) if isinstance(value, datetime) else value
