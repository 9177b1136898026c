"""Punches and attendance (H3, H4, H10): Read models (punches are created, never updated)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from hr.domain.attendance import Attendance, Punch


class PunchRead(BaseModel):
    punch_id: str
    staff_id: str
    at: datetime
    source: str

    @classmethod
    def of(cls, punch: Punch) -> PunchRead:
        return cls(punch_id=punch.punch_id, staff_id=punch.staff_id, at=punch.at,
                   source=punch.source)


class ImportRead(BaseModel):
    rows: int
    added: int


class AttendanceRead(BaseModel):
    day: date
    staff_id: str
    shift: str
    status: str
    clock_in: datetime | None
    clock_out: datetime | None
    late_minutes: int
    early_leave_minutes: int
    missing: list[str]
    explained: list[str]

    @classmethod
    def of(cls, att: Attendance) -> AttendanceRead:
        return cls(**{**att.__dict__, "missing": list(att.missing),
                      "explained": list(att.explained)})


class DayCloseRead(BaseModel):
    day: date
    entries_added: int
