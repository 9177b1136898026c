"""T14 routes: per-agent performance figures for a period, as JSON and as CSV."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from tickets.api.deps import PROBLEM_RESPONSES, DepsDep, DomainRoute, actor_with
from tickets.api.schemas.common import FromDay, ToDay
from tickets.api.schemas.reports import AgentFiguresRead, AgentReportRead
from tickets.application import reports
from tickets.application.context import Actor
from tickets.domain.reports import to_csv

router = APIRouter(tags=["reports"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)
Reader = Annotated[Actor, Depends(actor_with("supervisor", "manager", "hr_admin"))]
CSV_EXAMPLE = ("agent_id,tickets_handled,first_response_hit_rate,resolution_sla_hit_rate,"
               "resolution_rate,average_satisfaction,satisfaction_count\n"
               "agent-1,2,1.0,0.5,0.5,3.0,2\n")


@router.get("/reports/agents", summary="Per-agent figures for a period (T14)")
async def agents(deps: DepsDep, _: Reader, from_: FromDay, to: ToDay) -> AgentReportRead:
    """Supervisor, manager or hr_admin. T14: per assignee, for tickets opened in [from, to] (shop
    days): tickets handled, T2 and T3 hit rates, resolution rate and average satisfaction from
    callbacks and survey answers. 422 `to`: before `from` or 366 days or more later."""
    period, rows = await reports.agent_figures(deps, starts_on=from_, ends_on=to)
    return AgentReportRead(period_start=period.start, period_end=period.end,
                           agents=[AgentFiguresRead.model_validate(row, from_attributes=True)
                                   for row in rows])


CSV_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"example": CSV_EXAMPLE}},
          "description": "One row per agent, with a header row."}}


@router.get("/reports/agents.csv", summary="Per-agent figures for a period as CSV (T14)",
            response_class=Response, responses=CSV_RESPONSES)
async def agents_csv(deps: DepsDep, _: Reader, from_: FromDay, to: ToDay) -> Response:
    """Supervisor, manager or hr_admin. T14: the same per-agent figures as /reports/agents, as a
    CSV attachment with a header row. 422 `to`: before `from` or 366 days or more later."""
    _, rows = await reports.agent_figures(deps, starts_on=from_, ends_on=to)
    filename = f"agents-{from_:%Y%m%d}-{to:%Y%m%d}.csv"
    return Response(to_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
