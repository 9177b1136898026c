"""Schemas of the per-agent performance report (T14)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from tickets.api.schemas.common import StaffTime


class AgentFiguresRead(BaseModel):
    agent_id: str
    tickets_handled: int = Field(description="Tickets opened in the period assigned to them.")
    first_response_hit_rate: float | None = Field(description="T2 targets met on time, 0..1.")
    resolution_sla_hit_rate: float | None = Field(description="T3 targets met on time, 0..1.")
    resolution_rate: float | None = Field(description="Share of their tickets resolved, 0..1.")
    average_satisfaction: float | None = Field(description="Callbacks and survey answers, 1..5.")
    satisfaction_count: int


class AgentReportRead(BaseModel):
    period_start: StaffTime
    period_end: StaffTime = Field(description="Exclusive end.")
    agents: list[AgentFiguresRead]
