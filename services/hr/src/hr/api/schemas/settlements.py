"""Settlements (H14-H16, H20-H22) and per-person figures: Create / Read."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from hr.api.schemas.common import Month
from hr.domain.settlement import PersonSettlement, Settlement


class SettlementCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: Month


class PersonSettlementRead(BaseModel):
    staff_id: str
    display_name: str
    role: str
    supervisor_id: str | None
    points: int
    point_fine_fen: int
    cash_fines_fen: int
    cash_awards_fen: int
    award_fen: int
    full_attendance_fen: int
    performance_fen: int
    team_fen: int
    net_fen: int
    dismissal: bool
    entry_ids: list[str]

    @classmethod
    def of(cls, p: PersonSettlement) -> PersonSettlementRead:
        return cls(**{**p.__dict__, "entry_ids": list(p.entry_ids), "net_fen": p.net_fen})


class SettlementRead(BaseModel):
    month: str
    state: str
    created_at: datetime
    created_by: str
    reviewed_by: str | None
    approved_by: str | None
    approved_at: datetime | None
    people: list[PersonSettlementRead]

    @classmethod
    def of(cls, s: Settlement, people: list[PersonSettlement] | None = None) -> SettlementRead:
        return cls(month=s.month, state=s.state, created_at=s.created_at,
                   created_by=s.created_by, reviewed_by=s.reviewed_by,
                   approved_by=s.approved_by, approved_at=s.approved_at,
                   people=[PersonSettlementRead.of(p) for p in
                           (s.people if people is None else people)])


class FiguresRead(BaseModel):
    staff_id: str
    month: str
    shifts: int
    attendance: dict[str, int]
    points: int
    sla_breaches: int
    tickets: int
    callbacks: int
    satisfaction_avg: float | None
