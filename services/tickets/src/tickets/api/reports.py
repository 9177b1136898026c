"""T14 routes: per-agent performance figures for a period, as JSON and as CSV."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tickets.api.deps import PROBLEM_RESPONSES, DepsDep, DomainRoute, actor_with
from tickets.api.schemas import Day
from tickets.application import reports
from tickets.application.context import Actor
from tickets.domain.reports import to_csv

router = APIRouter(tags=["reports"], route_class=DomainRoute, responses=PROBLEM_RESPONSES)
Reader = Annotated[Actor, Depends(actor_with("supervisor", "manager", "hr_admin"))]
From = Annotated[Day, Query(alias="from", description="First shop-local day, included.",
                            examples=["2026-11-01"])]
To = Annotated[Day, Query(alias="to", description="Last shop-local day, included.",
                          examples=["2026-11-30"])]
CSV_EXAMPLE = ("agent_id,tickets_handled,first_response_hit_rate,resolution_sla_hit_rate,"
               "resolution_rate,average_satisfaction,satisfaction_count\n"
               "agent-1,2,1.0,0.5,0.5,3.0,2\n")


class AgentFigures(BaseModel):
    agent_id: str
    tickets_handled: int = Field(description="Tickets opened in the period assigned to them.")
    first_response_hit_rate: float | None = Field(description="T2 targets met on time, 0..1.")
    resolution_sla_hit_rate: float | None = Field(description="T3 targets met on time, 0..1.")
    resolution_rate: float | None = Field(description="Share of their tickets resolved, 0..1.")
    average_satisfaction: float | None = Field(description="Callbacks and survey answers, 1..5.")
    satisfaction_count: int


class AgentReport(BaseModel):
    period_start: datetime
    period_end: datetime = Field(description="Exclusive end.")
    agents: list[AgentFigures]


@router.get("/reports/agents", summary="Per-agent figures for a period (T14)")
async def agents(deps: DepsDep, _: Reader, from_: From, to: To) -> AgentReport:
    """Supervisor, manager or hr_admin. T14: per assignee, for tickets opened in [from, to] (shop
    days): tickets handled, T2 and T3 hit rates, resolution rate and average satisfaction from
    callbacks and survey answers. 422 `to`: before `from` or 366 days or more later."""
    period, rows = await reports.agent_figures(deps, starts_on=from_, ends_on=to)
    return AgentReport(period_start=period.start, period_end=period.end,
                       agents=[AgentFigures.model_validate(row, from_attributes=True)
                               for row in rows])


CSV_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"example": CSV_EXAMPLE}},
          "description": "One row per agent, with a header row."}}


@router.get("/reports/agents.csv", summary="Per-agent figures for a period as CSV (T14)",
            response_class=Response, responses=CSV_RESPONSES)
async def agents_csv(deps: DepsDep, _: Reader, from_: From, to: To) -> Response:
    """Supervisor, manager or hr_admin. T14: the same per-agent figures as /reports/agents, as a
    CSV attachment with a header row. 422 `to`: before `from` or 366 days or more later."""
    _, rows = await reports.agent_figures(deps, starts_on=from_, ends_on=to)
    filename = f"agents-{from_:%Y%m%d}-{to:%Y%m%d}.csv"
    return Response(to_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
