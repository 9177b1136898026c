"""The hr policy (H2, H4, H6, H11-H16, H20-H22): Update / Read."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hr.domain.policy import Band, HrPolicy, Period, ShiftDef
from ops_shared.contracts.bounds import LocalTime
from ops_shared.contracts.hr import Role

Count = Annotated[int, Field(ge=0, le=1000)]
Money = Annotated[int, Field(ge=0, le=10**8)]


class PeriodIn(BaseModel):
    """One working stretch, shop-local wall-clock times (no zone), within one day."""

    model_config = ConfigDict(extra="forbid")

    start: LocalTime
    end: LocalTime

    @model_validator(mode="after")
    def _ordered(self) -> PeriodIn:
        if self.end <= self.start:
            raise ValueError("a period ends after it starts, the same day")
        return self


class ShiftIn(BaseModel):
    """H2: a shift as a manager writes it (read back as `ShiftDef`)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=30, pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=1, max_length=50, pattern=r"^[^\x00-\x1f\x7f]+$")
    roles: list[Role] = Field(min_length=1, max_length=7)
    periods: list[PeriodIn] = Field(min_length=1, max_length=4)
    late: bool = False

    @model_validator(mode="after")
    def _in_order(self) -> ShiftIn:
        for before, after in zip(self.periods, self.periods[1:], strict=False):
            if after.start < before.end:
                raise ValueError("periods follow one another without overlapping")
        return self

    def shift(self) -> ShiftDef:
        return ShiftDef(self.code, self.name, tuple(self.roles),
                        tuple(Period(p.start, p.end) for p in self.periods), self.late)


class PolicyUpdate(BaseModel):
    """Only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    shifts: list[ShiftIn] | None = Field(None, min_length=1, max_length=20)
    rotation_days: Annotated[int, Field(ge=1, le=31)] | None = None
    rotation: dict[str, list[str]] | None = None
    min_staff: dict[str, Count] | None = None
    missed_punch_days: Annotated[int, Field(ge=0, le=31)] | None = None
    missed_punches_per_month: Count | None = None
    swaps_per_month: Count | None = None
    leave_notice_days: Annotated[int, Field(ge=0, le=60)] | None = None
    emergency_notice_minutes: Annotated[int, Field(ge=0, le=1440)] | None = None
    missed_punch_fine_fen: Money | None = None
    leaving_post_fine_fen: Money | None = None
    presence_offline_fine_fen: Money | None = None
    bands: list[Band] | None = Field(None, max_length=20)
    dismissal_below: Count | None = None
    award_at: Count | None = None
    award_fen: Money | None = None
    full_attendance_fen: Money | None = None
    performance_fen: Money | None = None
    team_bonus_fen: Money | None = None
    team_penalty_fen: Money | None = None
    pay_day: Annotated[int, Field(ge=1, le=28)] | None = None

    @model_validator(mode="after")
    def _something(self) -> PolicyUpdate:
        if not self.model_fields_set:
            raise ValueError("nothing to change")
        nulls = [f for f in self.model_fields_set if getattr(self, f) is None]
        if nulls:
            raise ValueError(f"may not be null: {', '.join(sorted(nulls))}")
        return self

    def changes(self) -> dict[str, object]:
        fields = {name: getattr(self, name) for name in self.model_fields_set}
        if "shifts" in fields:
            fields["shifts"] = tuple(s.shift() for s in fields["shifts"])  # type: ignore[union-attr]
        if "bands" in fields:
            fields["bands"] = tuple(fields["bands"])  # type: ignore[arg-type]
        if "rotation" in fields:
            fields["rotation"] = {k: tuple(v) for k, v in fields["rotation"].items()}  # type: ignore[union-attr]
        return fields


class PolicyRead(BaseModel):
    shifts: list[ShiftDef]
    rotation_days: int
    rotation: dict[str, list[str]]
    min_staff: dict[str, int]
    missed_punch_days: int
    missed_punches_per_month: int
    swaps_per_month: int
    leave_notice_days: int
    emergency_notice_minutes: int
    missed_punch_fine_fen: int
    leaving_post_fine_fen: int
    presence_offline_fine_fen: int
    presence_away_points: int
    complaint_points: int
    non_work_points: int
    start_points: int
    bands: list[Band]
    dismissal_below: int
    award_at: int
    award_fen: int
    full_attendance_fen: int
    performance_fen: int
    team_bonus_fen: int
    team_penalty_fen: int
    pay_day: int
    version: int

    @classmethod
    def of(cls, policy: HrPolicy) -> PolicyRead:
        fields = {k: v for k, v in policy.__dict__.items() if k in cls.model_fields}
        return cls(**fields)
